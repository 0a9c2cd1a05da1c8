// Collaboration pacts: a proposal typed in the console goes proposed → under evaluation → signed
// → active, with its history and an activity report, and then appears on the public list of its
// municipality (no account), in Italian and Arabic, on a phone too; a citizen's name never does.
// Ending a pact asks for confirmation and takes it off the list. Another tenant's list and API
// show none of it. axe-core on every screen.
import { expect } from '@playwright/test';
import { test, PHONE, api, checkA11y, confirmDialog, isolated, newPage, ownTenant, signIn, toArabic } from './helpers';
import { elideItalian } from '../src/i18n/elision';

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
  // Every required term is marked, and all those missing are named at once next to their
  // fields, before asking the server; text fields take no more than the API does.
  const required = ['Chi propone', 'Nome del proponente', 'Comune', 'Tipo di bene', 'Nome del bene', 'Attività previste', 'Impegni del Comune', 'Impegni del proponente', 'Inizio', 'Durata in mesi', 'Alla scadenza'];
  for (const name of required) {
    await expect(page.locator('label').filter({ hasText: label(name) }), `${name} is marked required`).toContainText('*');
  }
  await page.getByRole('button', { name: 'Registra la proposta' }).click();
  for (const name of ['Nome del proponente', 'Nome del bene', 'Attività previste', 'Impegni del Comune', 'Impegni del proponente']) {
    await expect(page.getByLabel(name), name).toHaveAttribute('aria-invalid', 'true');
  }
  await expect(page.getByLabel(label('Comune'))).toHaveAttribute('aria-invalid', 'true');
  // Who proposes, the kind of good and what happens at the end start unchosen: a default left
  // by mistake would publish a citizen's name or renew a pact nobody asked to renew.
  for (const name of ['Chi propone', 'Tipo di bene', 'Alla scadenza']) {
    await expect(page.getByLabel(label(name)), name).toHaveValue('');
    await expect(page.getByLabel(label(name)), name).toHaveAttribute('aria-invalid', 'true');
  }
  await expect(page.locator('.field-error')).toHaveCount(9);
  await expect(page.getByLabel('Attività previste')).toHaveAttribute('maxlength', '4000');
  await expect(page.getByLabel('Impegni del Comune')).toHaveAttribute('maxlength', '2000');
  await expect(page.getByLabel('Impegni del proponente')).toHaveAttribute('maxlength', '2000');
  await expect(page.getByLabel('Nome del proponente')).toHaveAttribute('maxlength', '200');
  await expect(page.getByLabel('Nome del bene')).toHaveAttribute('maxlength', '200');
  await checkA11y(page, 'pact-form-errors');

  await page.getByLabel('Chi propone').selectOption({ label: 'Associazione' });
  await page.getByLabel('Nome del proponente').fill('Associazione Amici della Rana');
  await page.getByLabel('Telefono del proponente').fill('non è un numero');
  await page.getByLabel(label('Comune')).selectOption({ label: isolated('Pistoia') });
  await page.getByLabel('Tipo di bene').selectOption({ label: 'Parco' });
  await page.getByLabel('Nome del bene').fill('Parco della Rana');
  await page.getByLabel('Indirizzo').fill('Via della Rana 1');
  await page.getByLabel('Attività previste').fill('Pulizia dei viali e cura delle aiuole, una domenica al mese.');
  await page.getByLabel('Impegni del Comune').fill('Fornire attrezzi e ritirare i rifiuti raccolti.');
  await page.getByLabel('Impegni del proponente').fill('Organizzare le giornate e tenere il registro delle presenze.');
  await page.getByLabel('Durata in mesi').fill('61');
  await page.getByLabel('Alla scadenza').selectOption('ON_REQUEST');
  // A phone that is none and a duration beyond five years: the form names both at once, each
  // next to its field, before asking the server.
  await page.getByRole('button', { name: 'Registra la proposta' }).click();
  await expect(page.getByLabel('Durata in mesi')).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByLabel('Telefono del proponente')).toHaveAttribute('aria-invalid', 'true');
  await expect(page.locator('.field-error')).toHaveCount(2);
  await expect(page.locator('.field-error').last()).toContainText('60');
  await page.getByLabel('Telefono del proponente').fill('+39 0573 123456');
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

  // The next step starts unchosen: confirming without one says so, and nothing moves.
  const moveTo = page.getByLabel(label('Passa a'));
  await expect(moveTo).toHaveValue('');
  await expect(moveTo.locator('option').first()).toHaveText('Scegli il passo…');
  await page.getByRole('button', { name: 'Conferma la fase' }).click();
  await expect(moveTo).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByText('Scegli il passo da compiere.')).toBeVisible();
  await expect(badge).toHaveText('Proposto');
  await moveTo.selectOption({ label: 'Avvia la valutazione' });
  await page.getByRole('button', { name: 'Conferma la fase' }).click();
  await expect(badge).toHaveText('In valutazione');
  await moveTo.selectOption({ label: 'Registra la sottoscrizione' });
  await expect(page.getByLabel('Data di sottoscrizione')).toBeVisible();
  await page.getByLabel('Nota (facoltativa)').fill('Firmato in sala consiliare');
  await page.getByRole('button', { name: 'Conferma la fase' }).click();
  await expect(badge).toHaveText('Sottoscritto');
  await expect(moveTo).toHaveValue('');
  await moveTo.selectOption({ label: 'Attiva il patto' });
  await page.getByRole('button', { name: 'Conferma la fase' }).click();
  await expect(badge).toHaveText('Attivo');
  await expect(page.getByTestId('pact-steps').locator('[aria-current="step"]')).toHaveText('Attivo');
  await expect(page.getByRole('button', { name: 'Correggi le condizioni' })).toHaveCount(0);
  const history = page.getByTestId('pact-history').locator('li');
  await expect(history).toHaveCount(4);
  await expect(history.nth(2)).toContainText('Sottoscritto');
  await expect(history.nth(2)).toContainText('Firmato in sala consiliare');

  // A report with nothing typed names its field; hours in the console's number format.
  await page.getByRole('button', { name: 'Aggiungi il resoconto' }).click();
  await expect(page.getByLabel('Cosa è stato fatto')).toHaveAttribute('aria-invalid', 'true');
  await expect(page.locator('label').filter({ hasText: 'Cosa è stato fatto' })).toContainText('*');
  await expect(page.getByLabel('Cosa è stato fatto')).toHaveAttribute('maxlength', '4000');
  await page.getByLabel('Ore dedicate (facoltativo)').fill('1,5');
  await page.getByLabel('Cosa è stato fatto').fill('Prima giornata: raccolti 12 sacchi di rifiuti.');
  await page.getByRole('button', { name: 'Aggiungi il resoconto' }).click();
  await expect(page.getByTestId('pact-reports')).toContainText('raccolti 12 sacchi');
  await expect(page.getByTestId('pact-reports')).toContainText('1,5 ore');
  await expect(page.getByTestId('pact-reports')).not.toContainText('1.5');
  await page.getByLabel('Ore dedicate (facoltativo)').fill('2');
  await page.getByLabel('Cosa è stato fatto').fill('Seconda giornata: potate le siepi.');
  await page.getByRole('button', { name: 'Aggiungi il resoconto' }).click();
  await expect(page.getByTestId('pact-reports')).toContainText('potate le siepi');
  await checkA11y(page, 'pact-active');

  // The list links to the tenant's public list of pacts in force.
  await page.goto('/patti');
  const tenantId = (await ready()).tenantId;
  await expect(page.getByRole('link', { name: 'Elenco pubblico dei patti attivi' })).toHaveAttribute('href', `/patti-attivi/${encodeURIComponent(tenantId)}`);
  // The list filters by the status read today.
  await page.getByLabel(label('Stato')).selectOption('ACTIVE');
  await expect(page.getByTestId('pact-list')).toContainText('Parco della Rana');
  await page.getByLabel(label('Stato')).selectOption('PROPOSED');
  await expect(page.getByTestId('empty-state')).toContainText('Nessun patto con questi filtri');

  // Staff's screens on a 390 px phone, in Italian and in Arabic: nothing wider than the screen.
  await page.setViewportSize(PHONE);
  for (const lang of ['it', 'ar'] as const) {
    for (const path of ['/patti', '/patti/nuovo', `/patti/${encodeURIComponent(pactId)}`]) {
      await page.goto(path);
      if (lang === 'ar' && path === '/patti') await toArabic(page);
      await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
      await expect(page.getByRole('status')).toHaveCount(0);
      expect(await page.evaluate(() => document.scrollingElement!.scrollWidth), `${lang} ${path}`).toBeLessThanOrEqual(PHONE.width);
      await checkA11y(page, `phone ${lang} ${path}`);
    }
  }
  // Arabic plurals: two hours are «ساعتان» (the dual), an hour and a half «1.5 ساعة» (Arabic's
  // own number format), twelve months «12 شهرًا» (the form for 11 to 99).
  await expect(page.getByTestId('pact-reports')).toContainText('ساعتان');
  await expect(page.getByTestId('pact-reports')).toContainText(new Intl.NumberFormat('ar').format(1.5) + ' ساعة');
  await expect(page.getByTestId('pact-terms')).toContainText(new Intl.NumberFormat('ar').format(12) + ' شهرًا');
  // The status badge does not touch the title.
  const head = (await page.locator('.page-head h1').boundingBox())!;
  const status = (await page.locator('.page-head [data-status]').boundingBox())!;
  if (Math.abs(head.y - status.y) < head.height) expect(Math.max(status.x - (head.x + head.width), head.x - (status.x + status.width))).toBeGreaterThanOrEqual(4);
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
  expect(await phone.page.evaluate(() => document.scrollingElement!.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
  // And in Arabic.
  await toArabic(phone.page);
  await expect(phone.page.getByTestId('public-pact')).toHaveCount(2);
  expect(await phone.page.evaluate(() => document.scrollingElement!.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
  await checkA11y(phone.page, 'public-pacts-phone-ar');
  await phone.context.close();

  // Staff end the citizen's pact, after a confirmation; it leaves the public list.
  const staff = await newPage(browser);
  await signIn(staff.page, OPERATOR);
  await staff.page.goto(`/patti/${encodeURIComponent(citizen.id)}`);
  await expect(staff.page.getByTestId('pact-terms')).toContainText('Mario Rossini');
  // Renewal NONE: only ending is offered, and it must still be chosen.
  const moveTo = staff.page.getByLabel(label('Passa a'));
  await expect(moveTo.locator('option')).toHaveText(['Scegli il passo…', 'Concludi il patto']);
  await moveTo.selectOption({ label: 'Concludi il patto' });
  await staff.page.getByRole('button', { name: 'Conferma la fase' }).click();
  // The dialog says the end is final; «No» keeps the pact as it is.
  await expect(staff.page.getByRole('dialog')).toContainText('è una fase definitiva');
  await staff.page.getByTestId('confirm-keep').click();
  await expect(staff.page.getByRole('dialog')).toBeHidden();
  await expect(staff.page.locator('.page-head [data-status]')).toHaveText('Attivo');
  await staff.page.getByRole('button', { name: 'Conferma la fase' }).click();
  await confirmDialog(staff.page, 'Concludere il patto?');
  await expect(staff.page.locator('.page-head [data-status]')).toHaveText('Concluso');
  await expect(staff.page.getByLabel(label('Passa a'))).toHaveCount(0);
  await staff.context.close();
  const list = await (await api())('query($t: ID!, $c: String!) { publicPacts(tenantId: $t, istatCode: $c) { nodes { goodName proposerName } } }', {
    t: tenantId,
    c: PISTOIA,
  });
  expect(list.publicPacts.nodes).toEqual([{ goodName: 'Parco della Rana', proposerName: 'Associazione Amici della Rana' }]);
});

/** A calendar day as the console shows it in Italian («7 dic 2027»). */
const shown = (day: string) => new Intl.DateTimeFormat('it', { dateStyle: 'medium', timeZone: 'UTC' }).format(new Date(`${day}T00:00:00Z`));
/** A calendar day moved by whole days. */
const plusDays = (day: string, days: number) => new Date(Date.parse(`${day}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
/** A calendar day plus whole months, a day the month lacks becoming its last. */
function plusMonths(day: string, months: number): string {
  const [y, m, d] = day.split('-').map(Number);
  const last = new Date(Date.UTC(y, m - 1 + months + 1, 0)).getUTCDate();
  return new Date(Date.UTC(y, m - 1 + months, Math.min(d, last))).toISOString().slice(0, 10);
}

test('renewing asks first, naming the next period; the current period stays current, «rinnovato fino al» on the pact, the list and the public list', async ({ browser }) => {
  const { operator, tenantId } = await ready();
  expect(pactId).not.toBe('');
  const before = (await operator('query($id: ID!) { node(id: $id) { ... on Pact { startDate endDate durationMonths } } }', { id: pactId })).node;
  const nextEnd = plusMonths(before.endDate, before.durationMonths);
  const current = elideItalian(`dal ${shown(before.startDate)} al ${shown(plusDays(before.endDate, -1))}`);
  const renewed = elideItalian(`rinnovato fino al ${shown(plusDays(nextEnd, -1))}`);

  const { page, context } = await newPage(browser);
  await signIn(page, OPERATOR);
  await page.goto(`/patti/${encodeURIComponent(pactId)}`);
  const badge = page.locator('.page-head [data-status]');
  await expect(badge).toHaveText('Attivo');
  const moveTo = page.getByLabel(label('Passa a'));
  await expect(moveTo).toHaveValue('');
  await moveTo.selectOption({ label: 'Rinnova per un altro periodo' });
  await page.getByRole('button', { name: 'Conferma la fase' }).click();
  // The dialog names the next period: from the current end, for another twelve months.
  const dialog = page.getByRole('dialog');
  await expect(dialog).toContainText('Rinnovare il patto?');
  await expect(dialog).toContainText(elideItalian(`dal ${shown(before.endDate)} al ${shown(plusDays(nextEnd, -1))}`));
  await checkA11y(page, 'pact-renew-confirm');
  // «No» renews nothing.
  await page.getByTestId('confirm-keep').click();
  await expect(dialog).toBeHidden();
  await expect(badge).toHaveText('Attivo');
  expect((await operator('query($id: ID!) { node(id: $id) { ... on Pact { renewedUntil } } }', { id: pactId })).node.renewedUntil).toBeNull();
  await page.getByRole('button', { name: 'Conferma la fase' }).click();
  await confirmDialog(page, 'Rinnovare il patto?');
  await expect(page.getByTestId('pact-renewed-until')).toHaveText(renewed);
  const after = (await operator('query($id: ID!) { node(id: $id) { ... on Pact { startDate endDate renewedUntil } } }', { id: pactId })).node;
  expect(after).toEqual({ startDate: before.startDate, endDate: before.endDate, renewedUntil: nextEnd });
  // The current period is still the one shown as current; no second renewal is offered.
  await expect(page.getByTestId('pact-terms')).toContainText(current);
  await expect(moveTo.locator('option')).not.toContainText(['Rinnova per un altro periodo']);
  await checkA11y(page, 'pact-renewed');

  // The staff list and the public list say the same.
  await page.goto('/patti');
  const row = page.getByTestId('pact-list').locator('li').filter({ hasText: 'Parco della Rana' });
  await expect(row).toContainText(current);
  await expect(row.getByTestId('pact-renewed-until')).toHaveText(renewed);
  await page.goto(`/patti-attivi/${encodeURIComponent(tenantId)}`);
  await page.getByLabel(label('Comune')).selectOption({ label: isolated('Pistoia') });
  const card = page.getByTestId('public-pact').filter({ hasText: 'Parco della Rana' });
  await expect(card).toContainText(current);
  await expect(card.getByTestId('pact-renewed-until')).toHaveText(renewed);
  await checkA11y(page, 'public-pacts-renewed');
  await context.close();
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
