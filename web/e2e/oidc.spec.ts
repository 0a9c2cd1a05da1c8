// Sign-in through a tenant's own OpenID provider, against a real one (e2e/oidc/provider.mjs, the
// `oidc-provider` package) on a port of its own. A tenant of this spec's own: its administrator sets
// the provider in the configuration (an issuer that cannot be one is refused on its field first),
// an invited e-mail signs in on the provider's login page and lands in the console, in that tenant;
// its session is listed as opened through the provider, and «Esci» ends it at the provider too
// (RP-Initiated Logout: the provider's page, then back to the sign-in page, and the provider asks
// for the login again); an identity with no invitation comes back to the sign-in page with the
// reason, in Italian. The form is checked at 390 px and in Arabic, and with axe; last, the provider
// is removed after the confirmation and its sign-in link says so.
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, type Page } from '@playwright/test';
import { PHONE, api, baseURL, checkA11y, confirmDialog, newPage, ownTenant, signIn, test, toArabic, toItalian } from './helpers';

test.describe.configure({ mode: 'serial' });

const web = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const DOMAIN = 'comune-oidc.example.it';
const TENANT = 'Comune di Certaldo (accesso OIDC, prova)';
const ADMIN = { email: `admin@${DOMAIN}`, password: 'Certaldo-Boccaccio-2026', displayName: 'Admin Certaldo' };
const OPERATOR = { email: `operatore@${DOMAIN}`, password: 'Elsa-Certaldo-2026', displayName: 'Operatore Certaldo' };
const CLIENT = { client_id: 'sportello-certaldo', client_secret: 'segreto-di-prova-certaldo-2026' };
/** Invited by e-mail, signs in only through the provider. */
const INVITED = { login: 'mario.rossi', sub: 'sub-mario-rossi', email: `mario.rossi@${DOMAIN}`, name: 'Mario Rossi' };
/** Known to the provider, in the tenant's domain, but never invited. */
const STRANGER = { login: 'estraneo', sub: 'sub-estraneo', email: `estraneo@${DOMAIN}`, name: 'Estraneo' };

let provider: ChildProcess | undefined;
let issuer = '';
let tenantId = '';
let admin: Awaited<ReturnType<typeof api>>;

function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', fail);
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      srv.close(() => ok(port));
    });
  });
}

/** Starts the test provider and waits for its line {issuer, rpKey}. */
async function startProvider(): Promise<{ child: ChildProcess; issuer: string }> {
  const port = await freePort();
  const child = spawn(process.execPath, ['e2e/oidc/provider.mjs'], {
    cwd: web,
    env: {
      ...process.env,
      OIDC_PORT: String(port),
      OIDC_CLIENTS: JSON.stringify([
        {
          ...CLIENT,
          auth: 'client_secret_basic',
          redirect_uris: [`${baseURL()}/auth/oidc/callback`],
          // Where the provider sends the browser back after signing out there (RP-Initiated Logout).
          post_logout_redirect_uris: [`${baseURL()}/accesso`],
        },
      ]),
      OIDC_ACCOUNTS: JSON.stringify(
        Object.fromEntries([INVITED, STRANGER].map((a) => [a.login, { sub: a.sub, email: a.email, email_verified: true, name: a.name }])),
      ),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk) => (stderr += String(chunk)));
  const ready = await new Promise<{ issuer: string }>((ok, fail) => {
    let out = '';
    const timer = setTimeout(() => fail(new Error(`the OpenID provider did not start: ${stderr}`)), 30_000);
    child.stdout?.on('data', (chunk) => {
      out += String(chunk);
      const line = out.split('\n').find((l) => l.trim().startsWith('{'));
      if (line && out.includes('\n')) {
        clearTimeout(timer);
        ok(JSON.parse(line));
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      fail(new Error(`the OpenID provider exited with ${code}: ${stderr}`));
    });
  });
  return { child, issuer: ready.issuer };
}

test.beforeAll(async () => {
  const started = await startProvider();
  provider = started.child;
  issuer = started.issuer;
  const own = await ownTenant({
    name: TENANT,
    istat: '048011',
    desk: 'Sportello Certaldo',
    admin: ADMIN,
    operator: OPERATOR,
  });
  admin = own.admin;
  tenantId = own.tenantId;
});

test.afterAll(async () => {
  if (provider && provider.exitCode === null && provider.signalCode === null) {
    const exited = new Promise((done) => provider?.once('exit', done));
    provider.kill('SIGTERM');
    await Promise.race([exited, new Promise((done) => setTimeout(done, 5_000))]);
    if (provider.exitCode === null && provider.signalCode === null) provider.kill('SIGKILL');
  }
});

/** Goes from the console's sign-in page with the tenant's button to the provider's login page. */
async function toProviderLogin(page: Page) {
  await page.goto(`/accesso?ente=${encodeURIComponent(tenantId)}`);
  const button = page.getByRole('link', { name: 'Accedi con le credenziali dell’ente' });
  await expect(button).toHaveAttribute('href', `/auth/oidc/${encodeURIComponent(tenantId)}/start`);
  await button.click();
  await expect(page.getByRole('heading', { name: 'Test identity provider' })).toBeVisible();
  expect(page.url().startsWith(`${issuer}/interaction/`)).toBe(true);
}

async function providerLogin(page: Page, login: string) {
  await page.getByLabel('Login').fill(login);
  await page.getByLabel('Password').fill('qualsiasi');
  await page.getByRole('button', { name: 'Sign in' }).click();
}

test('the administrator sets the tenant’s OpenID provider in the configuration', async ({ browser }) => {
  const { page, context } = await newPage(browser);
  await signIn(page, ADMIN);
  await page.goto('/configurazione');
  const section = page.getByTestId('oidc-setting');
  await expect(section.getByRole('heading', { name: /Accesso con il fornitore di identità dell’ente/ })).toBeVisible();
  await expect(section.getByTestId('oidc-state')).toContainText('Nessun fornitore configurato');
  // The redirect URI the provider must know, to copy; no sign-in link before a provider exists.
  await expect(section.getByLabel('Indirizzo di ritorno (redirect URI) da registrare presso il fornitore')).toHaveValue(
    `${baseURL()}/auth/oidc/callback`,
  );
  await expect(section.getByRole('button', { name: 'Copia l’indirizzo di ritorno' })).toBeVisible();
  await expect(section.getByTestId('oidc-sign-in-link')).toHaveCount(0);
  await expect(section.getByRole('button', { name: /Rimuovi/ })).toHaveCount(0);

  const issuerField = section.getByLabel('Indirizzo del fornitore (issuer)');
  const secret = section.getByLabel('Segreto del client (client secret)');
  const save = section.getByRole('button', { name: 'Salva il fornitore di identità' });
  // Plain http is only for the loopback interface: refused on the issuer's own field.
  await issuerField.fill('http://example.org');
  await section.getByLabel('Identificativo del client (client ID)').fill(CLIENT.client_id);
  await expect(section.getByLabel('Autenticazione del client')).toHaveValue('CLIENT_SECRET_BASIC');
  await secret.fill(CLIENT.client_secret);
  await section.getByLabel('Domini e-mail ammessi').fill(DOMAIN);
  await save.click();
  await expect(issuerField).toHaveAttribute('aria-invalid', 'true');
  await expect(section.getByRole('alert')).toContainText('Serve un indirizzo https://');
  await expect(section.getByTestId('oidc-saved')).toHaveCount(0);
  await checkA11y(page, 'configuration, OpenID provider with a field error');

  // The test provider's own issuer: saved; the secret is never shown again.
  await issuerField.fill(issuer);
  await save.click();
  await expect(section.getByTestId('oidc-saved')).toBeVisible();
  await expect(issuerField).not.toHaveAttribute('aria-invalid', 'true');
  await expect(section.getByTestId('oidc-state')).toContainText('Fornitore configurato');
  await expect(secret).toHaveValue('');
  await expect(secret).toHaveAttribute('placeholder', 'impostato, lascia vuoto per non cambiarlo');
  await expect(section.getByLabel('Link di accesso da dare al personale')).toHaveValue(`${baseURL()}/auth/oidc/${tenantId}/start`);

  // After a reload: what was saved, the secret still write-only; saved again without it (the
  // version it was based on goes with it).
  await page.reload();
  await expect(issuerField).toHaveValue(issuer);
  await expect(section.getByLabel('Ambiti richiesti (scope)')).toHaveValue('email');
  await expect(section.getByLabel('Domini e-mail ammessi')).toHaveValue(DOMAIN);
  await expect(secret).toHaveValue('');
  await expect(secret).toHaveAttribute('placeholder', 'impostato, lascia vuoto per non cambiarlo');
  await section.getByLabel('Ambiti richiesti (scope)').fill('email, profile');
  await save.click();
  await expect(section.getByTestId('oidc-saved')).toBeVisible();
  await expect(section.getByLabel('Ambiti richiesti (scope)')).toHaveValue('email profile');
  await checkA11y(page, 'configuration, OpenID provider saved');

  // The private key method asks for the key and its kid instead of the secret.
  await section.getByLabel('Autenticazione del client').selectOption('PRIVATE_KEY_JWT');
  await expect(secret).toHaveCount(0);
  await expect(section.getByLabel(/Chiave privata RSA \(PEM\)/)).toBeVisible();
  await expect(section.getByLabel(/Identificativo della chiave \(kid\)/)).toBeVisible();
  await section.getByLabel(/Chiave privata RSA \(PEM\)/).fill('not a key');
  await section.getByLabel(/Identificativo della chiave \(kid\)/).fill('kid-1');
  await save.click();
  await expect(section.getByLabel(/Chiave privata RSA \(PEM\)/)).toHaveAttribute('aria-invalid', 'true');
  await expect(section.getByRole('alert')).toContainText('chiave privata RSA');
  // Nothing changed: back to the secret, as saved.
  await page.reload();
  await expect(section.getByLabel('Autenticazione del client')).toHaveValue('CLIENT_SECRET_BASIC');

  // At 390 px, then in Arabic: nothing wider than the screen, every field reachable.
  await page.setViewportSize(PHONE);
  for (const lang of ['it', 'ar']) {
    if (lang === 'ar') await toArabic(page);
    await section.scrollIntoViewIfNeeded();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow, `horizontal overflow at 390 px (${lang})`).toBeLessThanOrEqual(1);
    const fields = section.locator('input, select, textarea, button');
    for (let i = 0; i < (await fields.count()); i++) {
      const box = await fields.nth(i).boundingBox();
      expect(box, `field ${i} laid out (${lang})`).not.toBeNull();
      expect(box!.x, `field ${i} inside the screen (${lang})`).toBeGreaterThanOrEqual(0);
      expect(box!.x + box!.width, `field ${i} inside the screen (${lang})`).toBeLessThanOrEqual(PHONE.width + 1);
    }
  }
  await expect(section.getByRole('heading', { name: /تسجيل الدخول عبر مزوّد الهوية الخاص بالجهة/ })).toBeVisible();
  await expect(section.getByRole('button', { name: 'حفظ مزوّد الهوية' })).toBeVisible();
  // Addresses keep their own direction in the right-to-left page.
  await expect(section.getByTestId('oidc-redirect-uri')).toHaveAttribute('dir', 'ltr');
  await checkA11y(page, 'configuration, OpenID provider, Arabic, 390 px');
  await toItalian(page);
  await context.close();
});

test('an invited e-mail signs in through the provider’s login page and lands in the console, in the tenant', async ({ browser }) => {
  await admin('mutation($i: InviteUserInput!) { inviteUser(input: $i) { token } }', { i: { email: INVITED.email, roles: ['OPERATOR'] } });
  const { page, context } = await newPage(browser);
  await toProviderLogin(page);
  await providerLogin(page, INVITED.login);
  // Back in the console, signed in (the home page may already have moved on to the cases).
  await expect(page.getByRole('button', { name: 'Esci' })).toBeVisible();
  expect(page.url().startsWith(`${baseURL()}/`)).toBe(true);
  await expect(page.getByTestId('user-name')).toBeVisible();
  await expect(page.getByTestId('active-tenant')).toHaveText(TENANT);
  // The session is that user's, in this tenant.
  const viewer = await page.evaluate(async () => {
    const res = await fetch('/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ viewer { user { email displayName } activeTenant { id } roles } }' }),
    });
    return (await res.json()).data.viewer;
  });
  expect(viewer.user.email).toBe(INVITED.email);
  expect(viewer.activeTenant.id).toBe(tenantId);
  expect(viewer.roles).toEqual(['OPERATOR']);
  await expect(page.getByTestId('user-name')).toHaveText(viewer.user.displayName);
  await context.close();
});

test('a session opened through the provider is listed as such, and «Esci» signs out at the provider too', async ({ browser }) => {
  const { page, context } = await newPage(browser);
  await toProviderLogin(page);
  await providerLogin(page, INVITED.login);
  // Back in the console, signed in (the home page may already have moved on to the cases).
  await expect(page.getByRole('button', { name: 'Esci', exact: true })).toBeVisible();
  expect(page.url().startsWith(`${baseURL()}/`)).toBe(true);
  await page.getByTestId('sessions-link').click();
  const current = page.getByTestId('session-row').filter({ has: page.getByTestId('current-session') });
  await expect(current.getByTestId('session-method')).toHaveText('Fornitore di identità dell’ente');
  await checkA11y(page, 'sessions of a session opened through the provider');

  // «Esci» goes to the provider's end-session page; once confirmed there, back to the sign-in page.
  await page.getByRole('button', { name: 'Esci', exact: true }).click();
  await page.waitForURL((url) => url.href.startsWith(`${issuer}/session/end`));
  const logout = new URL(page.url());
  expect(logout.searchParams.get('client_id')).toBe(CLIENT.client_id);
  expect(logout.searchParams.get('post_logout_redirect_uri')).toBe(`${baseURL()}/accesso`);
  await page.getByRole('button', { name: 'Yes, sign me out' }).click();
  await expect(page).toHaveURL(`${baseURL()}/accesso`);
  await expect(page.getByRole('button', { name: 'Esci', exact: true })).toHaveCount(0);
  // Signed out at the provider: its login form is asked for again.
  await toProviderLogin(page);
  await context.close();
});

test('an identity with no invitation comes back to the sign-in page with the reason', async ({ browser }) => {
  const { page, context } = await newPage(browser);
  await toProviderLogin(page);
  await providerLogin(page, STRANGER.login);
  await expect(page).toHaveURL(/\/accesso\?oidcError=NOT_INVITED$/);
  const alert = page.getByTestId('oidc-error');
  await expect(alert).toContainText('Accesso con le credenziali dell’ente non riuscito');
  await expect(alert).toContainText('Con questa identità non c’è un invito né un’iscrizione nell’ente');
  await expect(page.getByRole('button', { name: 'Esci' })).toHaveCount(0);
  await checkA11y(page, 'sign-in page with the provider’s refusal');
  // A reason this console does not know still says that the sign-in failed.
  await page.goto('/accesso?oidcError=SOMETHING_NEW');
  await expect(page.getByTestId('oidc-error')).toContainText('Riprova; se il problema continua');
  await context.close();
});

test('the administrator removes the provider after the confirmation; its sign-in link then says so', async ({ browser }) => {
  const { page, context } = await newPage(browser);
  await signIn(page, ADMIN);
  await page.goto('/configurazione');
  const section = page.getByTestId('oidc-setting');
  // The dialog's safe choice keeps it.
  await section.getByRole('button', { name: 'Rimuovi il fornitore di identità' }).click();
  await page.getByRole('dialog').getByTestId('confirm-keep').click();
  await expect(page.getByRole('dialog')).toBeHidden();
  await expect(section.getByTestId('oidc-state')).toContainText('Fornitore configurato');
  await section.getByRole('button', { name: 'Rimuovi il fornitore di identità' }).click();
  await confirmDialog(page, 'Rimuovere il fornitore di identità?');
  await expect(section.getByTestId('oidc-removed')).toBeVisible();
  await expect(section.getByTestId('oidc-state')).toContainText('Nessun fornitore configurato');
  await expect(section.getByTestId('oidc-sign-in-link')).toHaveCount(0);
  await context.close();

  const visitor = await newPage(browser);
  await visitor.page.goto(`/auth/oidc/${encodeURIComponent(tenantId)}/start`);
  await expect(visitor.page).toHaveURL(/\/accesso\?oidcError=NOT_FOUND$/);
  await expect(visitor.page.getByTestId('oidc-error')).toContainText('Non trovato');
  await visitor.context.close();
});
