import { test as base, expect, type Browser, type BrowserContext, type Locator, type Page } from '@playwright/test';
import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
// Evaluated through the DevTools protocol: a <script> tag with its text would be an inline script,
// which the console's Content-Security-Policy refuses.
const AXE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
export const SCREENSHOTS = resolve(dirname(fileURLToPath(import.meta.url)), '..', 'screenshots');

export const ADMIN = { email: 'admin@demo.sportello.it', password: 'Via-Francigena-2026' };
export const OPERATOR = { email: 'operatore@demo.sportello.it', password: 'Elsa-Fiume-2026' };
export const PLATFORM = { email: 'piattaforma@demo.sportello.it', password: 'Torre-Grossa-2026' };
export const PHONE = { width: 390, height: 844 };

export function baseURL(): string {
  const url = process.env.SPORTELLO_URL;
  if (!url) throw new Error('SPORTELLO_URL not set: the global setup did not run');
  return url;
}

/** Content-Security-Policy violations reported by the pages of the running test. */
const cspViolations: string[] = [];

/**
 * The tests' `test`: every test fails if any page it opened with `newPage` reported a
 * Content-Security-Policy violation (a `securitypolicyviolation` event or Chromium's console
 * error), so the console is proven to work under the server's policy.
 */
export const test = base.extend<{ noCspViolations: void }>({
  noCspViolations: [
    // eslint-disable-next-line no-empty-pattern
    async ({}, use, testInfo) => {
      cspViolations.length = 0;
      await use();
      expect(cspViolations, `Content-Security-Policy violations in "${testInfo.title}"`).toEqual([]);
    },
    { auto: true },
  ],
});

async function reportCspViolations(context: BrowserContext) {
  await context.exposeBinding('__reportCspViolation', (_source, violation: string) => {
    cspViolations.push(violation);
  });
  await context.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      const where = e.sourceFile ? ` at ${e.sourceFile}:${e.lineNumber}` : '';
      // @ts-expect-error exposed by reportCspViolations
      window.__reportCspViolation(`${e.effectiveDirective} blocked ${e.blockedURI || 'inline'}${where}`);
    });
  });
  context.on('console', (msg) => {
    if (msg.type() === 'error' && /Content Security Policy/i.test(msg.text())) cspViolations.push(msg.text());
  });
}

/**
 * A page of a new context; `timezoneId` is the zone the browser believes it is in, `base` the
 * server it talks to (the e-mail round trips' own, `SPORTELLO_MAIL_URL`, see server.ts), and
 * `userAgent` the browser it says it is (Chromium's own when not given).
 */
export async function newPage(
  browser: Browser,
  viewport = { width: 1280, height: 900 },
  timezoneId = 'Europe/Rome',
  base = baseURL(),
  userAgent?: string,
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ baseURL: base, viewport, locale: 'it-IT', timezoneId, ...(userAgent ? { userAgent } : {}) });
  await reportCspViolations(context);
  const page = await context.newPage();
  return { context, page };
}

export async function signIn(page: Page, who: { email: string; password: string }) {
  await page.goto('/accesso');
  await page.getByLabel('E-mail').fill(who.email);
  await page.getByLabel('Password').fill(who.password);
  await page.getByRole('button', { name: 'Accedi' }).click();
  await expect(page.getByRole('button', { name: 'Esci' })).toBeVisible();
  await expect(page).not.toHaveURL(/\/accesso$/);
}

export async function signOut(page: Page) {
  const menu = page.getByRole('button', { name: 'Esci' });
  await menu.click();
  await expect(page).toHaveURL(/\/accesso$/);
}

/**
 * Runs axe-core on the page; fails on any serious or critical violation. Transitions and other
 * finite animations (a dialog fading in) finish first: half-way, their colours are not the
 * page's, and a slow machine would see a contrast that no user sees.
 */
export async function checkA11y(page: Page, screen: string) {
  // A dialog fades in once its class `show` is set, a moment after it is mounted: on a busy
  // machine axe could otherwise read its text at opacity 0 and report a contrast it does not have.
  await page
    .waitForFunction(() => document.querySelectorAll('.modal.fade:not(.show), .modal-backdrop.fade:not(.show)').length === 0, undefined, {
      timeout: 5_000,
    })
    .catch(() => undefined);
  await page.evaluate(() =>
    Promise.race([
      Promise.all(
        document
          .getAnimations()
          .filter((a) => a.playState === 'running' && Number.isFinite(Number(a.effect?.getComputedTiming().endTime)))
          .map((a) => a.finished.catch(() => undefined)),
      ),
      // An animation that never settles (restarted, or far longer than a transition) waits no more.
      new Promise((done) => setTimeout(done, 3_000)),
    ]),
  );
  await page.evaluate(AXE);
  const violations = await page.evaluate(async () => {
    // @ts-expect-error injected above
    const result = await window.axe.run(document, { resultTypes: ['violations'] });
    return (result.violations as { id: string; impact: string; help: string; nodes: { target: string[] }[] }[]).map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      targets: v.nodes.map((n) => n.target.join(' ')).slice(0, 5),
    }));
  });
  const bad = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(bad, `axe on ${screen}: ${JSON.stringify(bad, null, 2)}`).toEqual([]);
}

export async function screenshot(page: Page, name: string) {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

/** Checks accessibility and writes a screenshot of the current screen. */
export async function screen(page: Page, name: string) {
  await checkA11y(page, name);
  await screenshot(page, name);
}

/** Ticks a Bootstrap Italia checkbox the way a person does: by its label. */
export async function tick(scope: Page | Locator, label: string) {
  await scope.locator('label').getByText(label, { exact: true }).click();
  await expect(scope.getByLabel(label, { exact: true })).toBeChecked();
}

/**
 * User data as the console puts it in a plain string (an option's text): between U+2068 FIRST
 * STRONG ISOLATE and U+2069 POP DIRECTIONAL ISOLATE, so that it keeps its own direction.
 */
export function isolated(text: string): string {
  return `\u2068${text}\u2069`;
}

/** Confirms the destructive action whose dialog is open, after checking it says `title`. */
export async function confirmDialog(page: Page, title: string | RegExp) {
  const dialog = page.getByRole('dialog');
  await expect(dialog).toBeVisible();
  await expect(dialog).toContainText(title);
  await dialog.getByTestId('confirm-yes').click();
  await expect(dialog).toBeHidden();
}

/**
 * A GraphQL client for the set-up, signed in like the console (session cookie and CSRF token), of
 * the server at `base`.
 */
export async function api(who?: { email: string; password: string }, base = baseURL()) {
  let cookie = '';
  let csrf = '';
  const call = async (query: string, variables: Record<string, unknown> = {}) => {
    const res = await fetch(`${base}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(cookie ? { cookie } : {}), ...(csrf ? { 'x-csrf-token': csrf } : {}) },
      body: JSON.stringify({ query, variables }),
    });
    const set = res.headers.getSetCookie();
    if (set.length > 0) cookie = set.map((c) => c.split(';')[0]).join('; ');
    const body = await res.json();
    if (body.errors) throw new Error(JSON.stringify(body.errors));
    const token = body.data?.login?.csrfToken ?? body.data?.acceptInvitation?.csrfToken;
    if (token) csrf = token;
    return body.data;
  };
  if (who) {
    await call('mutation($e: String!, $p: String!) { login(input: {email: $e, password: $p}) { csrfToken } }', { e: who.email, p: who.password });
  }
  return call;
}

type Api = Awaited<ReturnType<typeof api>>;
type Account = { email: string; password: string };

/**
 * A tenant of a spec's own (so that the demo tenant's data stays as the other specs expect):
 * created by the platform administrator, its administrator and one operator signed in through
 * their invitations, one municipality (ISTAT `istat`) with a fixed desk speaking Italian and
 * Arabic. Returns the two signed-in clients, the municipality's id and the tenant's.
 */
export async function ownTenant(t: {
  name: string;
  istat: string;
  desk: string;
  admin: Account & { displayName: string };
  operator: Account & { displayName: string };
}): Promise<{ admin: Api; operator: Api; territory: string; tenantId: string }> {
  const platform = await api(PLATFORM);
  const created = (
    await platform('mutation($i: CreateTenantInput!) { createTenant(input: $i) { tenant { id } adminInvitation { token } } }', {
      i: { name: t.name, kind: 'MUNICIPALITY', adminEmail: t.admin.email },
    })
  ).createTenant;
  const adminToken = created.adminInvitation.token;
  const tenantId: string = created.tenant.id;
  const accept = 'mutation($t: String!, $p: String!, $n: String) { acceptInvitation(input: {token: $t, password: $p, displayName: $n}) { csrfToken } }';
  const admin = await api();
  await admin(accept, { t: adminToken, p: t.admin.password, n: t.admin.displayName });
  const territory = (await admin('mutation($c: String!) { addTerritory(input: {istatCode: $c}) { id } }', { c: t.istat })).addTerritory.id;
  await admin('mutation($i: AddDeskInput!) { addDesk(input: $i) { id } }', {
    i: { territoryId: territory, name: t.desk, kind: 'FIXED', languages: ['it', 'ar'] },
  });
  const operatorToken = (
    await admin('mutation($i: InviteUserInput!) { inviteUser(input: $i) { token } }', { i: { email: t.operator.email, roles: ['OPERATOR'] } })
  ).inviteUser.token;
  const operator = await api();
  await operator(accept, { t: operatorToken, p: t.operator.password, n: t.operator.displayName });
  return { admin, operator, territory, tenantId };
}

/** Switches the console to Arabic and waits for right-to-left. */
export async function toArabic(page: Page) {
  await page.locator('#language').selectOption('ar');
  await expect(page.locator('html')).toHaveAttribute('dir', 'rtl');
}

/** Switches the console back to Italian and waits for left-to-right. */
export async function toItalian(page: Page) {
  await page.locator('#language').selectOption('it');
  await expect(page.locator('html')).toHaveAttribute('dir', 'ltr');
}

/**
 * An active volunteer of the register with an account: entered by staff (`admin`) with the skill
 * LANGUAGE_SUPPORT, the `languages`, the municipality `territory` and every day `from`–`to` free;
 * made active, which issues the invitation, and the invitation accepted with `who.password`.
 */
export async function activeVolunteer(
  admin: Awaited<ReturnType<typeof api>>,
  who: { email: string; password: string },
  name: { givenNames: string; familyNames: string },
  profile: { languages: { code: string; level: string }[]; territory: string; from: string; to: string },
) {
  const weekly = [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, from: profile.from, to: profile.to }));
  const id = (
    await admin('mutation($i: AddVolunteerInput!) { addVolunteer(input: $i) { id } }', {
      i: {
        volunteer: {
          ...name,
          email: who.email,
          languages: profile.languages,
          skills: ['LANGUAGE_SUPPORT'],
          territories: [profile.territory],
          availability: { weekly, exceptions: [] },
        },
      },
    })
  ).addVolunteer.id as string;
  const token = (
    await admin('mutation($i: SetVolunteerStatusInput!) { setVolunteerStatus(input: $i) { invitationToken } }', {
      i: { id, status: 'ACTIVE', expectedVersion: 1 },
    })
  ).setVolunteerStatus.invitationToken as string;
  if (!token) throw new Error('activating a volunteer with an e-mail issues an invitation');
  const client = await api();
  await client('mutation($t: String!, $p: String!, $n: String) { acceptInvitation(input: {token: $t, password: $p, displayName: $n}) { csrfToken } }', {
    t: token,
    p: who.password,
    n: `${name.givenNames} ${name.familyNames}`,
  });
  return { id, client };
}
