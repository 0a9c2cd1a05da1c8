// The GraphQL-over-HTTP audit of the `graphql-http` package (the reference implementation of the
// GraphQL over HTTP specification) against the running server: every MUST, SHOULD and MAY item.
import { test, expect } from '@playwright/test';
import { auditServer } from 'graphql-http';
import { baseURL } from './helpers';

test('/graphql passes every item of the graphql-http audit', async () => {
  const results = await auditServer({ url: `${baseURL()}/graphql` });
  const failed = results
    .filter((r) => r.status !== 'ok')
    .map((r) => `${r.id} ${r.name}: ${r.status === 'ok' ? '' : r.reason}`);
  const musts = results.filter((r) => r.name.startsWith('MUST')).length;
  const shoulds = results.filter((r) => r.name.startsWith('SHOULD')).length;
  console.log(`graphql-http audit: ${results.length - failed.length} of ${results.length} ok (${musts} MUST, ${shoulds} SHOULD)`);
  expect(musts).toBeGreaterThan(10);
  expect(shoulds).toBeGreaterThan(10);
  expect(failed).toEqual([]);
});
