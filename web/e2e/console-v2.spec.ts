// Console v2: user data in mixed scripts is isolated; destructive actions ask first; a revoked
// invitation link is refused before its form; no page loads anything from another host (GraphiQL
// and the fonts are bundled); an empty dashboard shows one empty state and the period that
// applies. Each in Italian and Arabic, on desktop and on a 390 px phone where layout matters.
import { expect, type Page } from '@playwright/test';
import {
  test,
  isolated,
  ADMIN,
  PHONE,
  PLATFORM,
  api,
  baseURL,
  checkA11y,
  confirmDialog,
  newPage,
  ownTenant,
  screen,
  signIn,
  toArabic,
  toItalian,
} from './helpers';

test.describe.configure({ mode: 'serial' });

const DESKTOP = { width: 1280, height: 900 };
const OWN = 'فاطمة الزهراء بن علي';
const LATIN = 'Fatima Zahra Benali';

/** The operator of a tenant of these tests' own, so that the demo tenant's data stays as the other specs expect. */
const CERTALDO_ADMIN = { email: 'admin@certaldo.example.org', password: 'Boccaccio-Alto-2026' };
const CERTALDO_OPERATOR = { email: 'operatrice@certaldo.example.org', password: 'Valdelsa-Certaldo-2026' };

/**
 * A tenant of its own (Certaldo, with a desk), and there a person registered with her names in
 * Arabic script and their Latin spelling, with a case.
 */
async function seedFatima(): Promise<{ personId: string; caseId: string }> {
  const { operator } = await ownTenant({
    name: 'Comune di Certaldo (prova)',
    istat: '048012',
    desk: 'Sportello Certaldo',
    admin: { ...CERTALDO_ADMIN, displayName: 'Admin Certaldo' },
    operator: { ...CERTALDO_OPERATOR, displayName: 'Operatrice Certaldo' },
  });
  const personId = (
    await operator('mutation($i: PersonInput!) { createPerson(input: $i) { id } }', {
      i: { givenNames: 'فاطمة الزهراء', familyNames: 'بن علي', latinGivenNames: 'Fatima Zahra', latinFamilyNames: 'Benali', territoryCode: '048012' },
    })
  ).createPerson.id;
  await operator('mutation($p: ID!) { recordConsent(personId: $p, purpose: CASE_MANAGEMENT, given: true) { given } }', { p: personId });
  const caseId = (await operator('mutation($p: ID!) { openCase(personId: $p) { id } }', { p: personId })).openCase.id;
  return { personId, caseId };
}

/** The texts of the `<bdi>` elements inside the first element `selector` finds. */
async function bdiTexts(page: Page, selector: string): Promise<string[]> {
  const scope = page.locator(selector).first();
  await expect(scope).toBeVisible();
  return scope.locator('bdi').allTextContents();
}

async function noOverflow(page: Page, what: string) {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow, `${what} overflows the phone's width`).toBeLessThanOrEqual(0);
}

let fatima: { personId: string; caseId: string };

test('in Arabic, a name in Arabic script and its Latin spelling are each isolated, on the case, in the list and among duplicate candidates', async ({ browser }) => {
  fatima = await seedFatima();
  const { page, context } = await newPage(browser);
  await signIn(page, CERTALDO_OPERATOR);
  await toArabic(page);
  for (const [viewport, device] of [
    [DESKTOP, 'desktop'],
    [PHONE, 'phone'],
  ] as const) {
    await page.setViewportSize(viewport);

    // The case page's heading: the names as written and the Latin spelling, each in a <bdi>,
    // the brackets between them outside.
    await page.goto(`/casi/${encodeURIComponent(fatima.caseId)}`);
    await expect(page.getByTestId('case-person')).toHaveText(`${OWN} (${LATIN})`);
    expect(await bdiTexts(page, '[data-testid="case-person"]')).toEqual([OWN, LATIN]);
    expect(await page.getByTestId('case-person').evaluate((h) => [...h.childNodes].map((n) => n.nodeName))).toEqual(['BDI', '#text', 'BDI', '#text']);
    // A select of user data: each option's text is isolated (U+2068 … U+2069).
    const deskSelect = page.getByTestId('appointment-form').locator('select').first();
    await expect(deskSelect.locator('option').first()).toBeAttached();
    const deskOptions = await deskSelect.locator('option').allTextContents();
    for (const o of deskOptions) expect(o).toMatch(/^\u2068.+\u2069$/);
    // Fields of typed text take the direction of what is typed.
    await expect(page.getByTestId('person-edit-form').locator('input[type="text"]').first()).toHaveAttribute('dir', 'auto');
    await checkA11y(page, `case-mixed-scripts-ar-${device}`);
    await noOverflow(page, `the case page (${device})`);

    // The case list.
    await page.goto('/casi');
    const row = page.getByTestId('case-list').locator('.case-row', { hasText: LATIN });
    await expect(row).toBeVisible();
    expect(await row.locator('.case-link bdi').allTextContents()).toEqual([OWN, LATIN]);

    // A duplicate candidate when the same names are searched again.
    await page.goto('/persone');
    const search = page.getByTestId('person-search');
    await expect(search.locator('input').first()).toHaveAttribute('dir', 'auto');
    await search.locator('input').nth(0).fill('فاطمة الزهراء');
    await search.locator('input').nth(1).fill('بن علي');
    await search.locator('button[type="submit"]').click();
    const candidate = page.getByTestId('duplicate-candidate').filter({ hasText: LATIN });
    await expect(candidate).toBeVisible();
    expect(await candidate.locator('strong bdi').allTextContents()).toEqual([OWN, LATIN]);
    // The municipality is isolated too.
    expect(await candidate.locator(':scope > span > bdi').count()).toBe(1);
    await screen(page, `person-duplicates-mixed-scripts-ar-${device}`);
    await noOverflow(page, `the duplicate candidates (${device})`);
  }
  await page.setViewportSize(DESKTOP);
  await toItalian(page);
  await page.goto(`/casi/${encodeURIComponent(fatima.caseId)}`);
  expect(await bdiTexts(page, '[data-testid="case-person"]')).toEqual([OWN, LATIN]);
  await context.close();
});

test('cancelling an appointment, taking a member out of the household, withdrawing a consent, cancelling a step and closing the case each ask first', async ({ browser }) => {
  const operator = await api(CERTALDO_OPERATOR);
  const goal = (await operator('mutation($i: AddGoalInput!) { addGoal(input: $i) { id } }', { i: { caseId: fatima.caseId, title: 'Rinnovo del permesso' } })).addGoal.id;
  await operator('mutation($i: AddStepInput!) { addStep(input: $i) { id } }', { i: { goalId: goal, title: 'Prendere appuntamento in Questura', owner: 'PERSON' } });

  const { page, context } = await newPage(browser);
  await signIn(page, CERTALDO_OPERATOR);
  await page.goto(`/casi/${encodeURIComponent(fatima.caseId)}`);
  const dialog = page.getByRole('dialog');

  // An appointment: "No" keeps it, "Yes" cancels it.
  await page.getByTestId('form-appointment').locator('summary').click();
  const form = page.getByTestId('appointment-form');
  // A day well ahead, early, so that no other test's slot is taken.
  const day = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Rome' }).format(new Date(Date.now() + 40 * 86_400_000));
  await form.getByLabel('Data e ora').fill(`${day}T07:30`);
  await form.getByRole('button', { name: 'Prenota' }).click();
  const appointment = page.getByTestId('appointments').locator(':scope > li').first();
  await expect(appointment).toHaveAttribute('data-status', 'booked');
  await appointment.getByRole('button', { name: /^Annulla l’appuntamento del/ }).click();
  await expect(dialog).toContainText('Annullare l’appuntamento?');
  await expect(dialog).toContainText('Sportello Certaldo');
  await screen(page, 'confirm-appointment-it-desktop');
  await dialog.getByRole('button', { name: 'No, torna indietro' }).click();
  await expect(dialog).toBeHidden();
  await expect(appointment).toHaveAttribute('data-status', 'booked');
  await appointment.getByRole('button', { name: /^Annulla l’appuntamento del/ }).click();
  await confirmDialog(page, 'Annullare l’appuntamento?');
  await expect(appointment).toHaveAttribute('data-status', 'cancelled');

  // The household: created for her, then she is taken out, after the question.
  const create = page.getByTestId('household-create');
  await create.getByRole('button', { name: 'Crea il nucleo' }).click();
  const member = page.getByTestId('household-member');
  await expect(member).toHaveCount(1);
  await member.getByRole('button', { name: /^Togli dal nucleo/ }).click();
  await expect(dialog).toContainText(LATIN);
  await dialog.getByRole('button', { name: 'No, torna indietro' }).click();
  await expect(member).toHaveCount(1);
  await member.getByRole('button', { name: /^Togli dal nucleo/ }).click();
  await confirmDialog(page, 'Togliere la persona dal nucleo?');
  await expect(page.getByTestId('household-create')).toBeVisible();

  // The consent for case management: withdrawal asks first, and "No" keeps it.
  const consents = page.getByTestId('consents');
  const caseConsent = consents.locator('li').first();
  await expect(caseConsent).toContainText(': dato');
  await caseConsent.getByRole('button', { name: /Revoca$/ }).click();
  await expect(dialog).toContainText('Revocare il consenso?');
  await dialog.getByRole('button', { name: 'No, torna indietro' }).click();
  await expect(caseConsent).toContainText(': dato');

  // A plan step cancelled.
  const step = page.locator('.plan-list li li', { hasText: 'Prendere appuntamento in Questura' });
  await step.getByRole('button', { name: 'Annullato' }).click();
  await expect(dialog).toContainText('Prendere appuntamento in Questura');
  await confirmDialog(page, 'Annullare il passo?');
  await expect(step).toContainText('· Annullato');
  await expect(step.getByRole('button')).toHaveCount(0);

  // The case: moved on without a question, closed only after one.
  await page.getByLabel('Porta a').selectOption('ACTIVE');
  await page.getByRole('button', { name: 'Cambia stato' }).click();
  await expect(page.getByTestId('case-status')).toHaveText('Attiva');
  await page.getByLabel('Porta a').selectOption('CLOSED');
  await page.getByRole('combobox', { name: 'Esito', exact: true }).selectOption({ label: 'Trasferita/o altrove' });
  await page.getByRole('button', { name: 'Cambia stato' }).click();
  await expect(dialog).toContainText('Trasferita/o altrove');
  await dialog.getByRole('button', { name: 'No, torna indietro' }).click();
  await expect(page.getByTestId('case-status')).toHaveText('Attiva');

  // In Arabic, on a phone: the dialog in Arabic, with no serious accessibility violation.
  await toArabic(page);
  await page.setViewportSize(PHONE);
  await page.locator('.status-form button[type="submit"]').click();
  await expect(dialog).toBeVisible();
  await expect(dialog.getByTestId('confirm-keep')).toHaveText('لا، عودة');
  // Once the dialog has faded in.
  await expect(page.locator('.modal.show')).toBeVisible();
  await expect.poll(() => page.locator('.modal.show').evaluate((m) => getComputedStyle(m).opacity)).toBe('1');
  await screen(page, 'confirm-close-ar-phone');
  await dialog.getByTestId('confirm-yes').click();
  await expect(page.getByTestId('case-status')).not.toHaveText('Attiva');
  await toItalian(page);
  await expect(page.getByTestId('case-status')).toHaveText('Chiusa');
  await context.close();
});

test('a revoked invitation is revoked only after the question, and its link is refused before any field is shown', async ({ browser }) => {
  const admin = await newPage(browser);
  await signIn(admin.page, CERTALDO_ADMIN);
  await admin.page.goto('/configurazione?passo=staff');
  const invite = admin.page.getByTestId('invite-form');
  await invite.getByRole('textbox', { name: 'E-mail' }).fill('revocata.v2@example.org');
  await invite.getByRole('button', { name: 'Crea l’invito' }).click();
  const link = await admin.page.getByTestId('invitation-issued').locator('input').inputValue();
  const pending = admin.page.getByTestId('pending-invitations');
  await expect(pending).toContainText('revocata.v2@example.org');
  const revoke = pending.getByRole('button', { name: `Revoca l’invito a ${isolated('revocata.v2@example.org')}` });
  await revoke.click();
  const dialog = admin.page.getByRole('dialog');
  await expect(dialog).toContainText('Revocare l’invito?');
  await expect(dialog).toContainText('revocata.v2@example.org');
  await checkA11y(admin.page, 'confirm-revoke-it-desktop');
  await dialog.getByRole('button', { name: 'No, torna indietro' }).click();
  await expect(pending).toContainText('revocata.v2@example.org');
  await revoke.click();
  await confirmDialog(admin.page, 'Revocare l’invito?');
  await expect(pending).not.toContainText('revocata.v2@example.org');
  await admin.context.close();

  // A valid link shows the form; the revoked one and a made-up one are refused at once.
  const valid = (await (await api(CERTALDO_ADMIN))('mutation($i: InviteUserInput!) { inviteUser(input: $i) { token } }', { i: { email: 'valida.v2@example.org', roles: ['OPERATOR'] } })).inviteUser.token;
  const { page, context } = await newPage(browser);
  await page.goto(`/invito#${encodeURIComponent(valid)}`);
  await expect(page.getByTestId('accept-form')).toBeVisible();
  await expect(page.locator('input[type="password"]')).toHaveCount(2);
  for (const [viewport, device] of [
    [DESKTOP, 'desktop'],
    [PHONE, 'phone'],
  ] as const) {
    await page.setViewportSize(viewport);
    for (const [which, url] of [
      ['revoked', link],
      ['unknown', '/invito#non-un-invito'],
    ] as const) {
      await page.goto(url);
      await expect(page.getByTestId('invitation-refused')).toContainText('Questo link di invito non è valido');
      await expect(page.locator('input[type="password"]')).toHaveCount(0);
      await expect(page.getByTestId('accept-form')).toHaveCount(0);
      if (which === 'revoked') {
        await screen(page, `invitation-refused-it-${device}`);
        await toArabic(page);
        await expect(page.getByTestId('invitation-refused')).toContainText('رابط الدعوة هذا غير صالح');
        await expect(page.locator('input[type="password"]')).toHaveCount(0);
        await screen(page, `invitation-refused-ar-${device}`);
        await noOverflow(page, `the refused invitation (${device})`);
        await toItalian(page);
      }
    }
  }
  await context.close();
});

test('no page loads anything from another host; the Bootstrap Italia fonts and GraphiQL are served by the server', async ({ browser }) => {
  const { page, context } = await newPage(browser);
  const origin = new URL(baseURL()).origin;
  const requests: string[] = [];
  context.on('request', (r) => requests.push(r.url()));
  const foreign = () => requests.filter((u) => !u.startsWith('data:') && !u.startsWith('blob:') && new URL(u).origin !== origin);

  await page.goto('/accesso');
  await expect(page.getByLabel('E-mail')).toBeVisible();
  await signIn(page, ADMIN);
  await page.goto('/cruscotto');
  await expect(page.getByTestId('indicators').or(page.getByTestId('empty-state')).first()).toBeVisible();
  await page.goto('/configurazione');
  await expect(page.getByTestId('retention-form')).toBeVisible();
  // The callouts' serif and the codes' monospace come from the server, not a fallback.
  const faces = await page.evaluate(async () => {
    const lora = await document.fonts.load('1em Lora');
    const mono = await document.fonts.load('1em "Roboto Mono"');
    const titillium = await document.fonts.load('1em "Titillium Web"');
    return [lora.length, mono.length, titillium.length];
  });
  expect(faces.every((n) => n > 0), `font faces loaded: ${faces}`).toBe(true);
  expect(requests.some((u) => /\/assets\/lora-.*\.woff2$/.test(u))).toBe(true);
  await page.getByRole('button', { name: 'Esci' }).click();
  await expect(page).toHaveURL(/\/accesso$/);

  await signIn(page, CERTALDO_OPERATOR);
  await page.goto('/persone');
  await expect(page.getByTestId('person-search')).toBeVisible();
  await page.goto(`/casi/${encodeURIComponent(fatima.caseId)}`);
  await expect(page.getByTestId('case-person')).toBeVisible();
  await page.goto('/cruscotto');
  await expect(page.getByTestId('indicators').or(page.getByTestId('empty-state')).first()).toBeVisible();

  // GraphiQL, bundled: it starts (no "Loading…"), loads the schema by its own introspection
  // query, and answers a query through the gateway.
  const introspected = page.waitForResponse((r) => r.url().endsWith('/graphql') && (r.request().postData() ?? '').includes('__schema'));
  await page.goto('/graphiql');
  const schema = await (await introspected).json();
  expect(schema.errors, 'the introspection query is answered').toBeUndefined();
  expect(schema.data.__schema.types.length).toBeGreaterThan(50);
  await expect(page.locator('.graphiql-container')).toBeVisible();
  await expect(page.locator('#graphiql')).not.toContainText('Loading…');
  await page.locator('.graphiql-query-editor .CodeMirror').click();
  await page.keyboard.press('ControlOrMeta+a');
  await page.keyboard.type('{ viewer { user { displayName } } }');
  await page.locator('.graphiql-execute-button').click();
  await expect(page.locator('.graphiql-response')).toContainText('displayName');

  expect(requests.length).toBeGreaterThan(20);
  expect(foreign(), 'requests to other hosts').toEqual([]);
  await context.close();
});

/** This month and eleven before, `YYYY-MM`, on the demo tenant's clock (Europe/Rome). */
function defaultPeriod(): { from: string; to: string } {
  const p = Object.fromEntries(
    new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Rome', year: 'numeric', month: '2-digit' })
      .formatToParts(new Date())
      .map((x) => [x.type, x.value]),
  );
  const total = Number(p.year) * 12 + Number(p.month) - 1 - 11;
  return { from: `${Math.floor(total / 12)}-${String((total % 12) + 1).padStart(2, '0')}`, to: `${p.year}-${p.month}` };
}

test('an empty dashboard shows one empty state naming the period, and its fields show the twelve months that apply', async ({ browser }) => {
  // A new tenant, with no data at all.
  const platform = await api(PLATFORM);
  const token = (
    await platform('mutation($i: CreateTenantInput!) { createTenant(input: $i) { adminInvitation { token } } }', {
      i: { name: 'Comune di Vinci (prova)', kind: 'MUNICIPALITY', adminEmail: 'admin@vinci.example.org' },
    })
  ).createTenant.adminInvitation.token;
  const { page, context } = await newPage(browser);
  await page.goto(`/invito#${encodeURIComponent(token)}`);
  await page.getByLabel('Nome e cognome').fill('Leonardo Vinci');
  await page.getByLabel(/^Password( \*)?$/).fill('Anchiano-Colle-2026');
  await page.getByLabel('Ripeti la password').fill('Anchiano-Colle-2026');
  await page.getByRole('button', { name: 'Accetta e accedi' }).click();
  await expect(page).toHaveURL(/\/configurazione/);

  const { from, to } = defaultPeriod();
  for (const lang of ['it', 'ar'] as const) {
    for (const [viewport, device] of [
      [DESKTOP, 'desktop'],
      [PHONE, 'phone'],
    ] as const) {
      await page.setViewportSize(viewport);
      await page.goto('/cruscotto');
      if (lang === 'ar') await toArabic(page);
      const main = page.locator('main');
      await expect(main.getByTestId('empty-state')).toHaveCount(1);
      await expect(page.getByTestId('indicators')).toHaveCount(0);
      await expect(main.locator('[data-testid^="indicator-"]')).toHaveCount(0);
      const fields = page.locator('.period-form input[type="month"]');
      await expect(fields.nth(0)).toHaveValue(from);
      await expect(fields.nth(1)).toHaveValue(to);
      const monthName = (m: string) =>
        new Intl.DateTimeFormat(lang, { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(new Date(`${m}-01T00:00:00Z`));
      await expect(main.getByTestId('empty-state')).toContainText(monthName(from));
      await expect(main.getByTestId('empty-state')).toContainText(monthName(to));
      if (lang === 'it') {
        await expect(main.getByTestId('empty-state')).toContainText('Ancora nessun dato tra');
        await expect(main).not.toContainText('Nessun dato per questo periodo');
      }
      await screen(page, `dashboard-empty-${lang}-${device}`);
      await noOverflow(page, `the empty dashboard (${lang}, ${device})`);
      if (lang === 'ar') await toItalian(page);
    }
  }
  // Another period: the fields keep it, and the empty state names it.
  await page.setViewportSize(DESKTOP);
  const fields = page.locator('.period-form input[type="month"]');
  await fields.nth(0).fill(to);
  await page.getByRole('button', { name: 'Aggiorna' }).click();
  await expect(fields.nth(0)).toHaveValue(to);
  await expect(page.locator('main').getByTestId('empty-state')).toHaveCount(1);
  await context.close();
});
