// API tokens in the console. Two tenants of their own. An operator of the first issues a
// read-only personal token (the form names every missing or invalid field at once), copies it
// from the page (shown once, with how to send it) and the spec uses it as a Bearer token: a query
// works, a mutation is refused FORBIDDEN; both uses then show on the page, newest first.
// Revoking asks first («No» and Esc keep the token); once revoked the token is refused (401).
// The other tenant's operator sees no tokens. The administrator sees the operator's token and
// issues a service token with the EXPORTS scope and a role (never the administrator's). On a
// 390 px phone the page is usable, also in Arabic (right to left, the token left to right).
// axe-core on every screen.
import { expect, type Page } from '@playwright/test';
import { test, PHONE, baseURL, checkA11y, newPage, ownTenant, isolated, signIn, tick, toArabic, toItalian } from './helpers';

test.describe.configure({ mode: 'serial' });

const ADMIN = { email: 'admin@forli-token.example.org', password: 'Piazza-Saffi-2026' };
const OPERATOR = { email: 'operatore@forli-token.example.org', password: 'Rocca-Ravaldino-2026' };
const OTHER_ADMIN = { email: 'admin@cesena-token.example.org', password: 'Biblioteca-Malatestiana-2026' };
const OTHER_OPERATOR = { email: 'operatore@cesena-token.example.org', password: 'Ponte-Vecchio-Savio-2026' };
const FORLI = '040012';
const CESENA = '040007';

let seeded: Promise<void> | null = null;
const ready = () =>
  (seeded ??= (async () => {
    await ownTenant({
      name: 'Comune di Forlì (token, prova)',
      istat: FORLI,
      desk: 'Sportello Forlì',
      admin: { ...ADMIN, displayName: 'Admin Forlì' },
      operator: { ...OPERATOR, displayName: 'Operatrice Forlì' },
    });
    await ownTenant({
      name: 'Comune di Cesena (token, prova)',
      istat: CESENA,
      desk: 'Sportello Cesena',
      admin: { ...OTHER_ADMIN, displayName: 'Admin Cesena' },
      operator: { ...OTHER_OPERATOR, displayName: 'Operatore Cesena' },
    });
  })());

/** A GraphQL request sent with a token only (no cookie, no CSRF header). */
async function withToken(token: string, query: string) {
  const res = await fetch(`${baseURL()}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json, application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query }),
  });
  const text = await res.text();
  let body: { data?: Record<string, unknown> | null; errors?: { extensions?: { code?: string } }[] } = {};
  try {
    body = JSON.parse(text);
  } catch {
    // a refusal without a JSON body
  }
  return { status: res.status, body, codes: (body.errors ?? []).map((e) => e.extensions?.code) };
}

const READ = 'query TokenTerritories { territories(first: 5) { nodes { istatCode } } }';
const WRITE = `mutation TokenAddPerson { createPerson(input: {givenNames: "Anna", familyNames: "Prova", territoryCode: "${FORLI}"}) { id } }`;

async function openTokens(page: Page) {
  await page.getByRole('navigation').getByRole('link', { name: 'Token API' }).click();
  await expect(page).toHaveURL(/\/profilo\/token-api$/);
  await expect(page.getByRole('heading', { level: 1, name: 'Token API' })).toBeVisible();
}

/** A radio choice of the form, by its label (the kit draws the button over the input). */
async function choose(page: Page, label: string) {
  await page.getByTestId('token-form').locator('label').getByText(label, { exact: true }).click();
  await expect(page.getByRole('radio', { name: label, exact: true })).toBeChecked();
}

function noSidewaysScroll(page: Page) {
  return page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1);
}

let operatorToken = '';

test('an operator issues a read-only token, uses it, sees its uses and revokes it', async ({ browser }) => {
  await ready();
  const { context, page } = await newPage(browser);
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: baseURL() });
  await signIn(page, OPERATOR);
  await openTokens(page);
  await expect(page.getByRole('heading', { level: 2, name: 'I tuoi token' })).toBeVisible();
  await expect(page.getByTestId('empty-state')).toContainText('Nessun token');
  // A personal token only: the operator is not offered a service token.
  await expect(page.getByTestId('token-kind-fixed')).toContainText('Personale');
  await expect(page.getByRole('radio', { name: 'Di servizio' })).toHaveCount(0);
  await checkA11y(page, 'API tokens (operator, empty)');

  // Every missing field named at once, under its own field; then a validity out of range.
  const form = page.getByTestId('token-form');
  const days = form.getByRole('textbox', { name: /^Validità in giorni/ });
  await days.fill('');
  await form.getByRole('button', { name: 'Crea il token' }).click();
  await expect(form.locator('.field-error')).toHaveCount(3);
  await expect(form.getByRole('textbox', { name: /^Nome/ })).toHaveAttribute('aria-invalid', 'true');
  await expect(form.getByRole('textbox', { name: /^Nome/ })).toHaveAccessibleDescription(/Campo obbligatorio/);
  await expect(form.getByTestId('field-scope')).toContainText('Campo obbligatorio');
  await expect(days).toHaveAccessibleDescription(/Campo obbligatorio/);
  await checkA11y(page, 'API tokens (form errors)');
  await days.fill('400');
  await form.getByRole('textbox', { name: /^Nome/ }).fill('Esportazione notturna');
  await choose(page, 'Sola lettura');
  await form.getByRole('button', { name: 'Crea il token' }).click();
  await expect(form.locator('.field-error')).toHaveCount(1);
  await expect(days).toHaveAccessibleDescription(/da 1 a 366/);
  await days.fill('90');
  await form.getByRole('button', { name: 'Crea il token' }).click();

  // Shown once, with the warning and how to send it; copied with the button.
  const issued = page.getByTestId('token-issued');
  await expect(issued).toBeVisible();
  await expect(issued).toContainText('non sarà mostrato di nuovo');
  await expect(issued.getByTestId('token-usage')).toContainText('Authorization: Bearer spt_');
  await issued.getByRole('button', { name: 'Copia il token' }).click();
  await expect(issued.getByTestId('copy-status')).toHaveText('Copiato');
  operatorToken = await page.evaluate(() => navigator.clipboard.readText());
  expect(operatorToken).toMatch(/^spt_[0-9a-f]{32}_[A-Za-z0-9_-]{43}$/);
  await expect(issued.getByRole('textbox', { name: 'Il nuovo token' })).toHaveValue(operatorToken);
  await expect(issued.getByRole('textbox', { name: 'Il nuovo token' })).toHaveAttribute('readonly', '');
  const row = page.getByTestId('token-row');
  await expect(row).toHaveCount(1);
  await expect(row).toHaveAttribute('data-state', 'ACTIVE');
  await expect(row.getByTestId('token-kind')).toHaveText('Personale');
  await expect(row.getByTestId('token-scope')).toHaveText('Sola lettura');
  await expect(row.getByTestId('token-owner')).toHaveText('tu');
  await expect(row.getByTestId('token-last-used')).toHaveText('mai');
  await checkA11y(page, 'API tokens (issued)');

  // The token works for a query and is refused for a mutation.
  const read = await withToken(operatorToken, READ);
  expect(read.status).toBe(200);
  expect(read.codes).toEqual([]);
  expect(JSON.stringify(read.body.data)).toContain(FORLI);
  const write = await withToken(operatorToken, WRITE);
  expect(write.codes).toContain('FORBIDDEN');

  // Reloaded, the token is not shown again; its two uses are listed, newest first.
  await page.reload();
  await expect(page.getByTestId('token-row')).toHaveCount(1);
  await expect(page.getByTestId('token-issued')).toHaveCount(0);
  await expect(page.getByText(operatorToken)).toHaveCount(0);
  await expect(row.getByTestId('token-last-used')).not.toHaveText('mai');
  await row.getByRole('button', { name: `Mostra gli utilizzi di ${isolated('Esportazione notturna')}` }).click();
  const uses = row.getByTestId('token-use');
  await expect(uses).toHaveCount(2);
  await expect(uses.nth(0)).toContainText('TokenAddPerson');
  await expect(uses.nth(0)).toContainText('Modifica');
  await expect(uses.nth(1)).toContainText('TokenTerritories');
  await expect(uses.nth(1)).toContainText('Lettura');
  await expect(uses.nth(0).locator('td').nth(3)).not.toBeEmpty();
  await checkA11y(page, 'API tokens (uses)');

  // Revoking asks first: «No» and Esc keep the token.
  const revoke = row.getByRole('button', { name: `Revoca il token ${isolated('Esportazione notturna')}` });
  const dialog = page.getByRole('dialog');
  await revoke.click();
  await expect(dialog).toContainText('Revocare il token?');
  await checkA11y(page, 'API tokens (revoke dialog)');
  await dialog.getByRole('button', { name: 'No' }).click();
  await expect(dialog).toBeHidden();
  await revoke.click();
  await expect(dialog).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  await expect(row).toHaveAttribute('data-state', 'ACTIVE');
  expect((await withToken(operatorToken, READ)).status).toBe(200);
  await revoke.click();
  await expect(dialog).toContainText('Esportazione notturna');
  await dialog.getByRole('button', { name: 'Sì, revoca il token' }).click();
  await expect(dialog).toBeHidden();
  await expect(row).toHaveAttribute('data-state', 'REVOKED');
  await expect(row.getByTestId('token-state')).toHaveText('Revocato');
  await expect(row.getByTestId('token-revoked')).not.toBeEmpty();
  await expect(page.getByTestId('token-revoked-notice')).toContainText('revocato');
  await expect(row.getByRole('button', { name: /^Revoca il token/ })).toHaveCount(0);
  await checkA11y(page, 'API tokens (revoked)');

  const refused = await withToken(operatorToken, READ);
  expect(refused.status).toBe(401);
  await context.close();
});

test("the other tenant's operator sees no tokens", async ({ browser }) => {
  await ready();
  const { context, page } = await newPage(browser);
  await signIn(page, OTHER_OPERATOR);
  await openTokens(page);
  await expect(page.getByTestId('empty-state')).toContainText('Nessun token');
  await expect(page.getByTestId('token-row')).toHaveCount(0);
  await checkA11y(page, 'API tokens (other tenant)');
  await context.close();
});

test('the administrator sees every token and issues a service token for exports', async ({ browser }) => {
  await ready();
  const { context, page } = await newPage(browser);
  await signIn(page, ADMIN);
  await openTokens(page);
  await expect(page.getByRole('heading', { level: 2, name: 'Token dell’ente' })).toBeVisible();
  const theirs = page.getByTestId('token-row').filter({ hasText: 'Esportazione notturna' });
  await expect(theirs).toHaveAttribute('data-state', 'REVOKED');
  await expect(theirs.getByTestId('token-owner')).toHaveText('un altro membro');
  await checkA11y(page, 'API tokens (administrator)');

  const form = page.getByTestId('token-form');
  await choose(page, 'Di servizio');
  const roles = form.getByRole('group', { name: /^Ruoli del token di servizio/ });
  await expect(roles).toBeVisible();
  await expect(roles.getByRole('checkbox', { name: 'Amministratore' })).toHaveCount(0);
  await expect(roles.getByRole('checkbox', { name: 'Operatore' })).toBeVisible();
  // Name, scope and roles missing: all three named.
  await form.getByRole('button', { name: 'Crea il token' }).click();
  await expect(form.locator('.field-error')).toHaveCount(3);
  await expect(roles).toContainText('Campo obbligatorio');
  await checkA11y(page, 'API tokens (service form errors)');
  await form.getByRole('textbox', { name: /^Nome/ }).fill('Magazzino dati regionale');
  await tick(roles, 'Coordinatore');
  await choose(page, 'Esportazioni');
  await expect(form.getByTestId('field-scope')).toContainText('Solo gli indicatori');
  await form.getByRole('textbox', { name: /^Validità in giorni/ }).fill('30');
  await form.getByRole('button', { name: 'Crea il token' }).click();
  const issued = page.getByTestId('token-issued');
  await expect(issued).toContainText('Magazzino dati regionale');
  const token = await issued.getByTestId('issued-token').inputValue();
  expect(token).toMatch(/^spt_/);
  const row = page.getByTestId('token-row').filter({ hasText: 'Magazzino dati regionale' });
  await expect(row.getByTestId('token-kind')).toHaveText('Di servizio');
  await expect(row.getByTestId('token-scope')).toHaveText('Esportazioni');
  await expect(row.getByTestId('token-roles')).toHaveText('Coordinatore');
  await checkA11y(page, 'API tokens (service token issued)');
  // An exports token reads only the figures.
  expect((await withToken(token, READ)).codes).toContain('FORBIDDEN');
  await issued.getByRole('button', { name: 'Ho copiato il token' }).click();
  await expect(issued).toHaveCount(0);
  await context.close();
});

test('on a 390 px phone the page is usable, also in Arabic', async ({ browser }) => {
  await ready();
  const { context, page } = await newPage(browser, PHONE);
  await signIn(page, OPERATOR);
  await page.getByRole('button', { name: 'Menu' }).click();
  await openTokens(page);
  expect(await noSidewaysScroll(page)).toBe(true);
  const form = page.getByTestId('token-form');
  await form.getByRole('textbox', { name: /^Nome/ }).fill('Telefono');
  await choose(page, 'Completo');
  await form.getByRole('button', { name: 'Crea il token' }).click();
  await expect(page.getByTestId('token-issued')).toBeVisible();
  const row = page.getByTestId('token-row').filter({ hasText: 'Telefono' });
  await row.getByRole('button', { name: /^Mostra gli utilizzi/ }).click();
  await expect(row.getByTestId('token-uses')).toContainText('Nessun utilizzo');
  expect(await noSidewaysScroll(page)).toBe(true);
  await checkA11y(page, 'API tokens (phone)');

  await toArabic(page);
  await expect(page.getByRole('heading', { level: 1, name: 'رموز API' })).toBeVisible();
  await expect(page.getByTestId('token-issued').getByTestId('issued-token')).toHaveAttribute('dir', 'ltr');
  await expect(page.getByTestId('token-usage')).toHaveAttribute('dir', 'ltr');
  await expect(row.getByTestId('token-scope')).toHaveText('كامل');
  // Right to left: the heading's text starts at the right edge of the page's column.
  const placed = await page.evaluate(() => {
    const h1 = document.querySelector('h1')!;
    const range = document.createRange();
    range.selectNodeContents(h1);
    const text = range.getBoundingClientRect();
    const main = document.querySelector('main')!;
    const style = getComputedStyle(main);
    const box = main.getBoundingClientRect();
    return { gapEnd: box.right - parseFloat(style.paddingRight) - text.right, gapStart: text.left - box.left };
  });
  expect(placed.gapEnd).toBeLessThan(4);
  expect(placed.gapStart).toBeGreaterThan(100);
  const main = await page.locator('main').boundingBox();
  const name = await page.getByTestId('token-form').getByRole('textbox').first().boundingBox();
  expect(name && main && name.x + name.width <= main.x + main.width + 1).toBe(true);
  expect(await noSidewaysScroll(page)).toBe(true);
  await checkA11y(page, 'API tokens (phone, Arabic)');
  await toItalian(page);
  await context.close();
});
