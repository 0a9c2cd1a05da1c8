// GraphiQL at /graphiql (development installations only), bundled with the console so that the
// page loads nothing from another host. It sends the session's CSRF token like the console does.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { GraphiQL } from 'graphiql';
import { createGraphiQLFetcher } from '@graphiql/toolkit';
import 'graphiql/style.css';
import './styles/graphiql.css';

/** The CSRF cookie the gateway sets at sign-in, echoed in `X-CSRF-Token` on mutations. */
function csrfToken(): string | undefined {
  const found = document.cookie.split('; ').find((c) => c.startsWith('sportello_csrf='));
  return found ? decodeURIComponent(found.slice('sportello_csrf='.length)) : undefined;
}

const fetcher = createGraphiQLFetcher({
  url: '/graphql',
  fetch: (input, init) => {
    const headers = new Headers(init?.headers);
    const token = csrfToken();
    if (token) headers.set('X-CSRF-Token', token);
    return fetch(input, { ...init, headers, credentials: 'same-origin' });
  },
});

createRoot(document.getElementById('graphiql')!).render(
  <StrictMode>
    <GraphiQL fetcher={fetcher} />
  </StrictMode>,
);
