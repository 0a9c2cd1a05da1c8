// Collaboration pacts: a proposal typed in the console goes proposed → under evaluation → signed
// → active, with its history and an activity report, and then appears on the public list of its
// municipality (no account), in Italian and Arabic, on a phone too; a citizen's name never does.
// Ending a pact asks for confirmation and takes it off the list. Another tenant's list and API
// show none of it. axe-core on every screen.
import { expect } from '@playwright/test';
import { test, PHONE, api, checkA11y, confirmDialog, isolated, newPage, ownTenant, signIn, toArabic } from './helpers';

test.describe.configure({ mode: 'serial' });

/** A field's label, with or without the mark of a required one. */
const label = (text: string) => new RegExp(`^${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}( \\*)?$`);

const ADMIN = { email: 'admin@pistoia-patti.example.org', password: 'Piazza-Duomo-Pistoia-2026' };
const OPERATOR = { email: 'operatore@pistoia-patti.example.org', password: 'Ospedale-Ceppo-2026' };
const OTHER_ADMIN = { email: 'admin@livorno-patti.example.org', password: 'Terrazza-Mascagni-2026' };
const OTHER_OPERATOR = { email: 'operatore@livorno-patti.example.org', password: 'Fortezza-Vecchia-2026' };
const PISTOIA = '047014';
const LIVORNO = '049009';

type Call = Awaited<ReturnType<typeof api>>;
type Seed = { admin: Call; operator: Call; tenantId: string };

let seeded: Promise<Seed> | null = null;
const ready = () =>
  (seeded ??= (async () => {
    const { admin, operator } = await ownTenant({
      name: 'Comune di Pistoia (patti, prova)',
      istat: PISTOIA,
      desk: 'Sportello Pistoia',
      admin: { ...ADMIN, displayName: 'Admin Pistoia' },
      operator: { ...OPERATOR, displayName: 'Operatore Pistoia' },
    });
    // A second municipality, so that the public page asks which one.
    await admin('mutation($c: String!) { addTerritory(input: {istatCode: $c}) { id } }', { c: LIVORNO });
    const tenantId = (await admin('{ viewer { activeTenant { id } } }')).viewer.activeTenant.id as string;
    return { admin, operator, tenantId };
  })());

let pactId = '';

test('a proposal typed in the console goes from proposed to active, with its history and a report', async ({ browser }) => {
  await ready();
  const { page, context } = await newPage(browser);
  await signIn(page, OPERATOR);
  await page.getByRole('link', { name: 'Patti di collaborazione' }).first().click();
  await expect(page).toHaveURL(/\/patti$/);
  await expect(page.getByTestId('empty-state')).toContainText('Nessun patto di collaborazione');
  await checkA11y(page, 'pacts-empty');

  await page.getByRole('link', { name: 'Nuova proposta di patto' }).first().click();
  await expect(page).toHaveURL(/\/patti\/nuovo$/);
  await checkA11y(page, 'pact-form');
  // Required terms missing are named next to their fields, before asking the server.
  await page.getByRole('button', { name: 'Registra la proposta' }).click();
  await expect(page.getByLabel('Nome del proponente')).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByLabel('Impegni del Comune')).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByLabel(label('Comune'))).toHaveAttribute('aria-invalid', 'true');

  await page.getByLabel('Chi propone').selectOption({ label: 'Associazione' });
  await page.getByLabel('Nome del proponente').fill('Associazione Amici della Rana');
  await page.getByLabel('Telefono del proponente').fill('+39 0573 123456');
  await page.getByLabel(label('Comune')).selectOption({ label: isolated('Pistoia') });
  await page.getByLabel('Tipo di bene').selectOption({ label: 'Parco' });
  await page.getByLabel('Nome del bene').fill('Parco della Rana');
  await page.getByLabel('Indirizzo').fill('Via della Rana 1');
  await page.getByLabel('Attività previste').fill('Pulizia dei viali e cura delle aiuole, una domenica al mese.');
  await page.getByLabel('Impegni del Comune').fill('Fornire attrezzi e ritirare i rifiuti raccolti.');
  await page.getByLabel('Impegni del proponente').fill('Organizzare le giornate e tenere il registro delle presenze.');
  await page.getByLabel('Durata in mesi').fill('61');
  await page.getByLabel('Alla scadenza').selectOption('ON_REQUEST');
  // A duration beyond five years is the server's refusal, named next to the field.
  await page.getByRole('button', { name: 'Registra la proposta' }).click();
  await expect(page.getByLabel('Durata in mesi')).toHaveAttribute('aria-invalid', 'true');
  await expect(page.locator('.field-error')).toHaveCount(1);
  await expect(page.locator('.field-error')).toContainText('60');
  await page.getByLabel('Durata in mesi').fill('12');
  await page.getByRole('button', { name: 'Registra la proposta' }).click();

  await expect(page).toHaveURL(/\/patti\/(?!nuovo)[^/]+$/);
  pactId = decodeURIComponent(page.url().split('/').pop() ?? '');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Parco della Rana');
  const badge = page.locator('.page-head [data-status]');
  await expect(badge).toHaveText('Proposto');
  await expect(page.getByTestId('pact-steps').locator('[aria-current="step"]')).toHaveText('Proposto');
  await expect(page.getByTestId('pact-terms')).toContainText('Associazione Amici della Rana');
  await checkA11y(page, 'pact-proposed');

  // While proposed, the terms can be corrected.
  await page.getByRole('button', { name: 'Correggi le condizioni' }).click();
  await expect(page.getByLabel('Nome del proponente')).toHaveValue('Associazione Amici della Rana');
  await page.getByLabel('Attività previste').fill('Pulizia dei viali e cura delle aiuole, due domeniche al mese.');
  await checkA11y(page, 'pact-edit');
  await page.getByRole('button', { name: 'Salva le condizioni' }).click();
  await expect(page.getByTestId('pact-terms')).toContainText('due domeniche al mese');

  const moveTo = page.getByLabel('Passa a');
  await expect(moveTo).toHaveValue('UNDER_EVALUATION');
  await page.getByRole('button', { name: 'Conferma la fase' }).click();
  await expect(badge).toHaveText('In valutazione');
  await moveTo.selectOption({ label: 'Registra la sottoscrizione' });
  await expect(page.getByLabel('Data di sottoscrizione')).toBeVisible();
  await page.getByLabel('Nota (facoltativa)').fill('Firmato in sala consiliare');
  await page.getByRole('button', { name: 'Conferma la fase' }).click();
  await expect(badge).toHaveText('Sottoscritto');
  await expect(moveTo).toHaveValue('ACTIVE');
  await page.getByRole('button', { name: 'Conferma la fase' }).click();
  await expect(badge).toHaveText('Attivo');
  await expect(page.getByTestId('pact-steps').locator('[aria-current="step"]')).toHaveText('Attivo');
  await expect(page.getByRole('button', { name: 'Correggi le condizioni' })).toHaveCount(0);
  const history = page.getByTestId('pact-history').locator('li');
  await expect(history).toHaveCount(4);
  await expect(history.nth(2)).toContainText('Sottoscritto');
  await expect(history.nth(2)).toContainText('Firmato in sala consiliare');

  await page.getByLabel('Ore dedicate (facoltativo)').fill('3');
  await page.getByLabel('Cosa è stato fatto').fill('Prima giornata: raccolti 12 sacchi di rifiuti.');
  await page.getByRole('button', { name: 'Aggiungi il resoconto' }).click();
  await expect(page.getByTestId('pact-reports')).toContainText('raccolti 12 sacchi');
  await expect(page.getByTestId('pact-reports')).toContainText('3 ore');
  await checkA11y(page, 'pact-active');

  // The list filters by the status read today.
  await page.goto('/patti');
  await page.getByLabel(label('Stato')).selectOption('ACTIVE');
  await expect(page.getByTestId('pact-list')).toContainText('Parco della Rana');
  await page.getByLabel(label('Stato')).selectOption('PROPOSED');
  await expect(page.getByTestId('empty-state')).toContainText('Nessun patto con questi filtri');

  // Staff's screens on a 390 px phone: nothing wider than the screen.
  await page.setViewportSize(PHONE);
  for (const path of ['/patti', '/patti/nuovo', `/patti/${encodeURIComponent(pactId)}`]) {
    await page.goto(path);
    await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
    await expect(page.getByRole('status')).toHaveCount(0);
    expect(await page.evaluate(() => document.documentElement.scrollWidth), path).toBeLessThanOrEqual(PHONE.width);
    await checkA11y(page, `phone ${path}`);
  }
  await context.close();
});

test('the active pact is on the public list of its municipality, without any citizen’s name; ending one asks first and takes it off', async ({ browser }) => {
  const { operator, tenantId } = await ready();
  // A citizen's pact, active: listed without the citizen's name.
  const citizen = (
    await operator('mutation($i: PactInput!) { addPact(input: $i) { id version } }', {
      i: {
        proposerKind: 'SINGLE_CITIZEN',
        proposerName: 'Mario Rossini',
        proposerEmail: 'mario.rossini@example.org',
        municipality: PISTOIA,
        goodKind: 'GARDEN',
        goodName: 'Aiuola di Piazza San Francesco',
        activities: 'Innaffiare e curare i fiori.',
        municipalityCommitments: 'Acqua e piante.',
        proposerCommitments: 'Cura settimanale.',
        startDate: new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Rome' }).format(new Date()),
        durationMonths: 6,
        renewal: 'NONE',
      },
    })
  ).addPact;
  let version = citizen.version as number;
  for (const status of ['UNDER_EVALUATION', 'SIGNED', 'ACTIVE']) {
    const signedOn = status === 'SIGNED' ? new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Rome' }).format(new Date()) : null;
    version = (
      await operator('mutation($i: SetPactStatusInput!) { setPactStatus(input: $i) { version } }', {
        i: { id: citizen.id, status, signedOn, expectedVersion: version },
      })
    ).setPactStatus.version;
  }

  const { page, context } = await newPage(browser);
  await page.goto(`/patti-attivi/${encodeURIComponent(tenantId)}`);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Patti di collaborazione attivi');
  await expect(page.getByText('Scegli un comune per vedere i suoi patti.')).toBeVisible();
  await checkA11y(page, 'public-pacts-choose');
  await page.getByLabel(label('Comune')).selectOption({ label: isolated('Pistoia') });
  const cards = page.getByTestId('public-pact');
  await expect(cards).toHaveCount(2);
  const rana = cards.filter({ hasText: 'Parco della Rana' });
  await expect(rana).toContainText('Associazione Amici della Rana');
  await expect(rana).toContainText('Attivo');
  await expect(rana).toContainText('due domeniche al mese');
  const aiuola = cards.filter({ hasText: 'Aiuola di Piazza San Francesco' });
  await expect(aiuola).toContainText('Singolo cittadino');
  await expect(page.locator('body')).not.toContainText('Rossini');
  await expect(page.locator('body')).not.toContainText('Ospedale');
  await checkA11y(page, 'public-pacts-it');
  await toArabic(page);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('اتفاقيات التعاون السارية');
  await expect(cards).toHaveCount(2);
  await checkA11y(page, 'public-pacts-ar');
  await page.getByLabel(label('البلدية')).selectOption({ label: isolated('Livorno') });
  await expect(page.getByTestId('empty-state')).toContainText('لا توجد اتفاقيات سارية');
  await context.close();

  // On a phone, in Italian, nothing wider than the screen.
  const phone = await newPage(browser, PHONE);
  await phone.page.goto(`/patti-attivi/${encodeURIComponent(tenantId)}`);
  await phone.page.getByLabel(label('Comune')).selectOption({ label: isolated('Pistoia') });
  await expect(phone.page.getByTestId('public-pact')).toHaveCount(2);
  await checkA11y(phone.page, 'public-pacts-phone');
  expect(await phone.page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
  await phone.context.close();

  // Staff end the citizen's pact, after a confirmation; it leaves the public list.
  const staff = await newPage(browser);
  await signIn(staff.page, OPERATOR);
  await staff.page.goto(`/patti/${encodeURIComponent(citizen.id)}`);
  await expect(staff.page.getByTestId('pact-terms')).toContainText('Mario Rossini');
  // Renewal NONE: only ending is offered.
  await expect(staff.page.getByLabel('Passa a').locator('option')).toHaveText(['Concludi il patto']);
  await staff.page.getByRole('button', { name: 'Conferma la fase' }).click();
  await confirmDialog(staff.page, 'Concludere il patto?');
  await expect(staff.page.locator('.page-head [data-status]')).toHaveText('Concluso');
  await expect(staff.page.getByLabel('Passa a')).toHaveCount(0);
  await staff.context.close();
  const list = await (await api())('query($t: ID!, $c: String!) { publicPacts(tenantId: $t, istatCode: $c) { nodes { goodName proposerName } } }', {
    t: tenantId,
    c: PISTOIA,
  });
  expect(list.publicPacts.nodes).toEqual([{ goodName: 'Parco della Rana', proposerName: 'Associazione Amici della Rana' }]);
});

test('another tenant’s public list and API show none of the pacts', async ({ browser }) => {
  await ready();
  const { admin: otherAdmin, operator: other } = await ownTenant({
    name: 'Comune di Livorno (patti, prova)',
    istat: LIVORNO,
    desk: 'Sportello Livorno',
    admin: { ...OTHER_ADMIN, displayName: 'Admin Livorno' },
    operator: { ...OTHER_OPERATOR, displayName: 'Operatore Livorno' },
  });
  // The same municipality as the first tenant's pact.
  await otherAdmin('mutation($c: String!) { addTerritory(input: {istatCode: $c}) { id } }', { c: PISTOIA });
  const otherId = (await otherAdmin('{ viewer { activeTenant { id } } }')).viewer.activeTenant.id as string;
  expect((await other('{ pacts(first: 50) { nodes { id } } }')).pacts.nodes).toEqual([]);
  const node = await other('query($id: ID!) { node(id: $id) { id } }', { id: pactId }).catch((e: Error) => e);
  expect(node instanceof Error ? node.message : JSON.stringify(node)).toMatch(/NOT_FOUND|"node":null/);

  const { page, context } = await newPage(browser);
  await page.goto(`/patti-attivi/${encodeURIComponent(otherId)}`);
  await page.getByLabel(label('Comune')).selectOption({ label: isolated('Pistoia') });
  await expect(page.getByTestId('empty-state')).toContainText('Nessun patto in vigore');
  await expect(page.locator('body')).not.toContainText('Parco della Rana');
  await checkA11y(page, 'public-pacts-other-tenant');
  await signIn(page, OTHER_OPERATOR);
  await page.goto('/patti');
  await expect(page.getByTestId('empty-state')).toContainText('Nessun patto di collaborazione');
  await page.goto(`/patti/${encodeURIComponent(pactId)}`);
  await expect(page.getByText('Parco della Rana')).toHaveCount(0);
  await context.close();
});
