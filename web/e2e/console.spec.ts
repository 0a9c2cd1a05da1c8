// The console end to end, in the order a new consortium lives it: the administrator onboards a
// municipality, a desk and a service and invites an operator; the operator accepts, signs in,
// registers a person (seeing a duplicate warning for a near-identical name), opens a case,
// records an encounter with needs and a referral, and sees the dashboard. Every screen is checked
// with axe-core and photographed.
import { expect, type Page } from '@playwright/test';
import { test, ADMIN, OPERATOR, PHONE, PLATFORM, api, confirmDialog, isolated, newPage, screen, signIn, signOut, tick } from './helpers';

test.describe.configure({ mode: 'serial' });

const NEW_OPERATOR = { email: 'nadia.operatrice@demo.sportello.it', password: 'Valdelsa-Sicura-2026', name: 'Nadia Operatrice' };
let invitationLink = '';
let caseUrl = '';

/** The value of an indicator card on the tenant dashboard (0 while there is no data yet). */
async function indicatorValue(page: Page, code: string): Promise<number> {
  await page.goto('/cruscotto');
  const card = page.getByTestId(`indicator-${code}`);
  await expect(card.or(page.getByTestId('empty-state')).first()).toBeVisible();
  if ((await card.count()) === 0) return 0;
  return Number((await card.getByTestId('indicator-value').innerText()).replace(/\D/g, ''));
}

async function openStep(page: Page, name: string) {
  await page.getByRole('navigation', { name: 'Passi della configurazione' }).getByRole('button', { name }).click();
  await expect(page.getByRole('heading', { level: 2, name: new RegExp(name) })).toBeVisible();
}

test('the sign-in screen is accessible and reports a wrong password', async ({ browser }) => {
  const { page, context } = await newPage(browser);
  await page.goto('/');
  await expect(page).toHaveURL(/\/accesso$/);
  await expect(page.locator('html')).toHaveAttribute('lang', 'it');
  await screen(page, 'sign-in-it-desktop');
  await page.getByLabel('E-mail').fill(ADMIN.email);
  await page.getByLabel('Password').fill('not-the-password');
  await page.getByRole('button', { name: 'Accedi' }).click();
  await expect(page.getByRole('alert')).toContainText('Accesso non riuscito');
  await context.close();
});

test('the administrator onboards a municipality, a desk, a service and invites an operator', async ({ browser }) => {
  const { page, context } = await newPage(browser);
  await signIn(page, ADMIN);
  await expect(page).toHaveURL(/\/configurazione/);
  await screen(page, 'setup-territories-it-desktop');

  // A malformed ISTAT code is refused by the server, and the error is shown next to the field.
  await page.getByText('Comune non in elenco? Inseriscilo a mano').click();
  await page.getByLabel('Codice ISTAT (6 cifre)').fill('12345');
  await page.getByLabel('Nome del comune').fill('Comune inventato');
  await page.getByRole('button', { name: 'Aggiungi', exact: true }).last().click();
  const codeField = page.getByLabel('Codice ISTAT (6 cifre)');
  await expect(codeField).toHaveAttribute('aria-invalid', 'true');
  await expect(page.locator('.field-error')).toContainText('ISTAT');
  // The name may stay empty; a retired code is refused on the field, naming the code in force.
  await codeField.fill('041032');
  await page.getByLabel('Nome del comune').fill('');
  await page.getByRole('button', { name: 'Aggiungi', exact: true }).last().click();
  await expect(page.locator('.field-error')).toContainText('il codice in vigore è 041044');

  // Search by name, then by code. A merged municipality is not offered: the list is the
  // server's (ISTAT, in force), whatever the bundled place names still hold.
  const search = page.getByLabel('Cerca un comune per nome o codice ISTAT');
  await search.fill('Monteciccardo');
  await expect(page.getByText('Nessun comune corrisponde alla ricerca.')).toBeVisible();
  await expect(page.getByTestId('municipality-results')).not.toContainText('Monteciccardo');
  await search.fill('casole');
  await expect(page.getByTestId('municipality-results')).toContainText("Casole d'Elsa");
  await search.fill('052004');
  await expect(page.getByTestId('municipality-results')).toContainText("Casole d'Elsa");
  await page.getByRole('button', { name: `Aggiungi ${isolated("Casole d'Elsa")}` }).click();
  await expect(page.getByTestId('territory-list')).toContainText("Casole d'Elsa");
  await screen(page, 'setup-territories-added-it-desktop');

  await openStep(page, 'Sportelli e luoghi');
  const desk = page.getByTestId('desk-form');
  await desk.getByLabel('Comune').selectOption({ label: `${isolated("Casole d'Elsa")} (052004)` });
  await desk.getByLabel('Nome dello sportello').fill('Sportello Casole');
  await desk.getByLabel('Tipo', { exact: true }).selectOption('DIFFUSE');
  // A code no language list accepts (qaa: reserved for local use) is sent as typed and refused
  // next to the field.
  const deskLanguages = desk.getByRole('combobox', { name: 'Lingue parlate' });
  await deskLanguages.fill('qaa');
  await desk.getByRole('button', { name: 'Apri lo sportello' }).click();
  await expect(deskLanguages).toHaveAttribute('aria-invalid', 'true');
  await desk.getByRole('button', { name: `Rimuovi ${isolated('qaa')}` }).click();
  await deskLanguages.fill('arab');
  await desk.getByRole('option', { name: 'arabo (ar)' }).click();
  await deskLanguages.fill('fr');
  await deskLanguages.press('Enter');
  await desk.getByRole('button', { name: 'Apri lo sportello' }).click();
  await expect(page.getByTestId('desk-list')).toContainText('Sportello Casole');
  await expect(page.getByTestId('desk-list')).toContainText('italiano, arabo e francese');
  const place = page.getByTestId('place-form');
  await place.getByLabel('Sportello').selectOption({ label: isolated('Sportello Casole') });
  await place.getByLabel('Nome del luogo').fill('Biblioteca comunale di Casole');
  await place.getByLabel('Tipo di luogo').selectOption('LIBRARY');
  await place.getByRole('button', { name: 'Aggiungi il luogo' }).click();
  await expect(page.getByTestId('desk-list')).toContainText('Biblioteca comunale di Casole');
  await screen(page, 'setup-desks-it-desktop');

  await openStep(page, 'Servizi del territorio');
  await expect(page.getByTestId('empty-state')).toContainText('Ancora nessun servizio');
  const org = page.getByTestId('organization-form');
  await org.getByLabel('Nome dell’organizzazione').fill('Caritas Alta Val d’Elsa');
  await org.getByRole('button', { name: 'Aggiungi l’organizzazione' }).click();
  const service = page.getByTestId('service-form');
  await expect(service.getByLabel('Organizzazione')).toHaveValue(/.+/);
  await service.getByLabel('Nome del servizio').fill('Emergenza abitativa');
  await service.getByLabel('Comune').selectOption({ label: isolated('Poggibonsi') });
  await tick(service, 'Casa');
  await service.getByRole('button', { name: 'Aggiungi il servizio' }).click();
  await expect(page.getByTestId('service-list')).toContainText('Emergenza abitativa');
  await screen(page, 'setup-directory-it-desktop');

  await openStep(page, 'Personale');
  const invite = page.getByTestId('invite-form');
  await invite.getByRole('textbox', { name: 'E-mail' }).fill(NEW_OPERATOR.email);
  await invite.getByRole('button', { name: 'Crea l’invito' }).click();
  const issued = page.getByTestId('invitation-issued');
  await expect(issued).toContainText(NEW_OPERATOR.email);
  invitationLink = await issued.locator('input').inputValue();
  expect(invitationLink).toContain('/invito#');
  await expect(page.getByTestId('pending-invitations')).toContainText(NEW_OPERATOR.email);
  await screen(page, 'setup-staff-it-desktop');
  await signOut(page);
  await context.close();
});

test('the operator accepts the invitation and signs in', async ({ browser }) => {
  const { page, context } = await newPage(browser);
  await page.goto(invitationLink);
  await expect(page.getByRole('heading', { name: 'Accetta l’invito' })).toBeVisible();
  await screen(page, 'accept-invitation-it-desktop');
  await page.getByLabel('Nome e cognome').fill(NEW_OPERATOR.name);
  // A weak password: the server's error appears next to the password field.
  await page.getByLabel(/^Password( \*)?$/).fill('short');
  await page.getByLabel('Ripeti la password').fill('short');
  await page.getByRole('button', { name: 'Accetta e accedi' }).click();
  await expect(page.getByLabel(/^Password( \*)?$/)).toHaveAttribute('aria-invalid', 'true');
  await page.getByLabel(/^Password( \*)?$/).fill(NEW_OPERATOR.password);
  await page.getByLabel('Ripeti la password').fill(NEW_OPERATOR.password);
  await page.getByRole('button', { name: 'Accetta e accedi' }).click();
  await expect(page).toHaveURL(/\/casi$/);
  await expect(page.getByTestId('user-name')).toHaveText(NEW_OPERATOR.name);
  await signOut(page);

  await signIn(page, NEW_OPERATOR);
  await expect(page).toHaveURL(/\/casi$/);
  // The demo tenant is shared with the specs running beside this one: the empty state is shown
  // exactly when the operator can see no case.
  const visible = (await (await api(NEW_OPERATOR))('{ cases(first: 1) { edges { node { id } } } }')).cases.edges.length;
  if (visible === 0) {
    await expect(page.getByTestId('empty-state')).toContainText('Ancora nessuna presa in carico');
    await screen(page, 'cases-empty-it-desktop');
  } else {
    await expect(page.getByTestId('empty-state')).toHaveCount(0);
  }
  await context.close();

  // The administrator no longer sees the invitation as pending.
  const admin = await newPage(browser);
  await signIn(admin.page, ADMIN);
  await admin.page.goto('/configurazione?passo=staff');
  await expect(admin.page.getByTestId('member-list')).toContainText(NEW_OPERATOR.email);
  await expect(admin.page.getByTestId('pending-invitations')).not.toContainText(NEW_OPERATOR.email);
  await admin.context.close();
});

test('the operator registers a person, sees a duplicate warning, opens a case and records an encounter and a referral', async ({ browser }) => {
  const { page, context } = await newPage(browser);
  await signIn(page, NEW_OPERATOR);
  const reachedBefore = await indicatorValue(page, 'PEOPLE_REACHED');
  const needsBefore = await indicatorValue(page, 'NEEDS_RECORDED');
  await page.goto('/casi');
  await page.getByRole('link', { name: 'Nuova presa in carico' }).first().click();
  await expect(page).toHaveURL(/\/persone$/);
  const search = page.getByTestId('person-search');
  await search.getByRole('textbox', { name: 'Nome', exact: true }).fill('Amina');
  await search.getByLabel('Cognome').fill('Diallo');
  await search.getByRole('button', { name: 'Cerca' }).click();
  await expect(page.getByTestId('empty-state')).toContainText('Nessuna persona con un nome simile');
  await page.getByTestId('new-person').click();
  const form = page.getByTestId('person-form');
  await form.getByLabel('Comune in cui è seguita').selectOption({ label: isolated('Poggibonsi') });
  await form.getByLabel('Anno di nascita').fill('1994');
  await form.getByRole('combobox', { name: 'Paese di nascita' }).fill('SN');
  // A wrong codice fiscale is refused next to its field.
  await form.getByLabel('Codice fiscale').fill('RSSMRA80A01H501X');
  await tick(form, 'Condivisione per gli invii');
  await tick(form, 'Statistiche anonime');
  await screen(page, 'person-new-it-desktop');
  await form.getByRole('button', { name: 'Registra e apri la presa in carico' }).click();
  await expect(form.getByLabel('Codice fiscale')).toHaveAttribute('aria-invalid', 'true');
  await form.getByLabel('Codice fiscale').fill('');
  await form.getByRole('button', { name: 'Registra e apri la presa in carico' }).click();
  await expect(page).toHaveURL(/\/casi\/.+/);
  await expect(page.getByTestId('case-person')).toHaveText('Amina Diallo');
  await expect(page.getByTestId('case-status')).toHaveText('Accoglienza');
  caseUrl = new URL(page.url()).pathname;

  // A near-identical name: the search shows the existing person before creating another.
  await page.goto('/persone');
  await search.getByRole('textbox', { name: 'Nome', exact: true }).fill('Amina');
  await search.getByLabel('Cognome').fill('Dialo');
  await search.getByRole('button', { name: 'Cerca' }).click();
  const warning = page.getByTestId('duplicate-warning');
  await expect(warning).toContainText('Attenzione');
  await expect(warning).toContainText('Amina Diallo');
  await screen(page, 'person-duplicates-it-desktop');

  // The case: an encounter with an expressed and a detected need.
  await page.goto(caseUrl);
  await expect(page.getByTestId('empty-state').first()).toBeVisible();
  await screen(page, 'case-empty-it-desktop');
  const encounter = page.getByTestId('form-encounter');
  await encounter.getByLabel('Canale').selectOption('DESK');
  await encounter.getByRole('combobox', { name: 'Lingua del colloquio' }).fill('franc');
  await encounter.getByRole('option', { name: 'francese (fr)' }).click();
  await tick(encounter, 'Presente un mediatore linguistico-culturale');
  await encounter.getByLabel('Durata in minuti').fill('45');
  await tick(encounter.getByRole('group', { name: 'Bisogni espressi dalla persona' }), 'Casa');
  await tick(encounter.getByRole('group', { name: 'Bisogni rilevati dall’operatore' }), 'Lingua italiana');
  await encounter.getByRole('button', { name: 'Registra il colloquio' }).click();
  await expect(page.getByTestId('timeline')).toContainText('Colloquio');
  await expect(page.getByTestId('timeline')).toContainText('francese');
  await expect(page.getByTestId('needs-expressed')).toContainText('Casa');
  await expect(page.getByTestId('needs-detected')).toContainText('Lingua italiana');

  // A referral to the service added by the administrator.
  const referral = page.getByTestId('form-referral');
  await referral.locator('summary').click();
  await referral.getByLabel('Servizio').selectOption({ label: `${isolated('Emergenza abitativa')} · ${isolated('Poggibonsi')}` });
  // A linked need is named with its source and when it was noted.
  await referral.locator('label').filter({ hasText: /^Casa \(Espressi, .+\)$/ }).click();
  await expect(referral.getByRole('checkbox', { name: /^Casa \(Espressi, .+\)$/ })).toBeChecked();
  await referral.getByRole('button', { name: 'Invia' }).click();
  await expect(page.getByTestId('timeline')).toContainText('Emergenza abitativa');
  await expect(page.getByTestId('timeline')).toContainText('Inviato');

  // The case moves on.
  await page.getByLabel('Porta a').selectOption('ACTIVE');
  await page.getByRole('button', { name: 'Cambia stato' }).click();
  await expect(page.getByTestId('case-status')).toHaveText('Attiva');
  await screen(page, 'case-it-desktop');

  await page.goto('/casi');
  await expect(page.getByTestId('case-list')).toContainText('Amina Diallo');
  await page.getByLabel('Stato').selectOption('CLOSED');
  await expect(page.getByTestId('empty-state')).toContainText('Nessuna presa in carico con questi filtri');
  await page.getByLabel('Stato').selectOption('');
  await expect(page.getByTestId('case-list')).toContainText('Amina Diallo');
  await screen(page, 'cases-it-desktop');

  // The tenant dashboard counts the new person and the needs (analytics is fed by events).
  await expect.poll(() => indicatorValue(page, 'PEOPLE_REACHED'), { timeout: 30_000 }).toBeGreaterThan(reachedBefore);
  await expect.poll(() => indicatorValue(page, 'NEEDS_RECORDED'), { timeout: 30_000 }).toBeGreaterThanOrEqual(needsBefore + 2);
  await screen(page, 'dashboard-operator-it-desktop');
  await context.close();
});

test('the console switches to Arabic and lays out right to left', async ({ browser }) => {
  for (const [viewport, device] of [
    [{ width: 1280, height: 900 }, 'desktop'],
    [PHONE, 'phone'],
  ] as const) {
    const { page, context } = await newPage(browser, viewport);
    await page.goto('/accesso');
    await page.getByLabel('Lingua').selectOption('ar');
    await expect(page.locator('html')).toHaveAttribute('dir', 'rtl');
    await expect(page.locator('html')).toHaveAttribute('lang', 'ar');
    expect(await page.evaluate(() => getComputedStyle(document.body).direction)).toBe('rtl');
    await screen(page, `sign-in-ar-${device}`);
    await page.locator('input[type=email]').fill(NEW_OPERATOR.email);
    await page.locator('input[type=password]').fill(NEW_OPERATOR.password);
    await page.locator('button[type=submit]').click();
    await expect(page).toHaveURL(/\/casi$/);
    await expect(page.locator('html')).toHaveAttribute('dir', 'rtl');
    // Right to left: the brand sits at the right edge, the heading text is right-aligned.
    const brand = await page.locator('.brand').boundingBox();
    expect(brand).not.toBeNull();
    expect(brand!.x + brand!.width).toBeGreaterThan(viewport.width * 0.6);
    const heading = await page.locator('main h1').boundingBox();
    expect(heading!.x + heading!.width).toBeGreaterThan(viewport.width * 0.6);
    await screen(page, `cases-ar-${device}`);
    await page.goto(caseUrl);
    await expect(page.getByTestId('timeline')).toBeVisible();
    await screen(page, `case-ar-${device}`);
    await context.close();
  }
});

test('at 390 px an operator completes the case-opening flow', async ({ browser }) => {
  const { page, context } = await newPage(browser, PHONE);
  await page.goto('/accesso');
  await screen(page, 'sign-in-it-phone');
  await signIn(page, OPERATOR);
  await expect(page).toHaveURL(/\/casi$/);
  await screen(page, 'cases-it-phone');
  // The navigation folds behind the menu button.
  await page.getByRole('button', { name: 'Menu' }).click();
  await page.getByRole('navigation', { name: 'Navigazione principale' }).getByRole('link', { name: 'Persone' }).click();
  await expect(page).toHaveURL(/\/persone$/);
  const search = page.getByTestId('person-search');
  await search.getByRole('textbox', { name: 'Nome', exact: true }).fill('Ioana');
  await search.getByLabel('Cognome').fill('Popescu');
  await search.getByRole('button', { name: 'Cerca' }).click();
  await page.getByTestId('new-person').click();
  const form = page.getByTestId('person-form');
  await form.getByLabel('Anno di nascita').fill('1988');
  await screen(page, 'person-new-it-phone');
  await form.getByRole('button', { name: 'Registra e apri la presa in carico' }).click();
  await expect(page).toHaveURL(/\/casi\/.+/);
  await expect(page.getByTestId('case-person')).toHaveText('Ioana Popescu');
  const encounter = page.getByTestId('form-encounter');
  await encounter.getByLabel('Canale').selectOption('OUTREACH');
  await tick(encounter.getByRole('group', { name: 'Bisogni espressi dalla persona' }), 'Lavoro');
  await tick(encounter.getByRole('group', { name: 'Bisogni rilevati dall’operatore' }), 'Competenze digitali');
  await encounter.getByRole('button', { name: 'Registra il colloquio' }).click();
  await expect(page.getByTestId('needs-expressed')).toContainText('Lavoro');
  await expect(page.getByTestId('needs-detected')).toContainText('Competenze digitali');
  // Nothing overflows the phone's width.
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow).toBeLessThanOrEqual(0);
  await screen(page, 'case-it-phone');
  // Closing takes an outcome from the list, named in Italian; never free text.
  await page.getByLabel('Porta a').selectOption('ACTIVE');
  await page.getByRole('button', { name: 'Cambia stato' }).click();
  await expect(page.getByTestId('case-status')).toHaveText('Attiva');
  await page.getByLabel('Porta a').selectOption('CLOSED');
  await page.getByRole('combobox', { name: 'Esito', exact: true }).selectOption({ label: 'Trasferita/o altrove' });
  await page.getByRole('button', { name: 'Cambia stato' }).click();
  await confirmDialog(page, 'Chiudere la presa in carico?');
  await expect(page.getByTestId('case-status')).toHaveText('Chiusa');
  await context.close();
});

test('a second tenant sees none of the first tenant’s data, and a member of both switches between them', async ({ browser }) => {
  // The platform administrator creates a second tenant.
  const platform = await newPage(browser);
  await signIn(platform.page, PLATFORM);
  await expect(platform.page).toHaveURL(/\/enti$/);
  await platform.page.getByLabel('Nome dell’ente').fill('Comune di Prato (prova)');
  await platform.page.getByLabel('Tipo').selectOption('MUNICIPALITY');
  await platform.page.getByLabel('E-mail del primo amministratore').fill('admin@prato.example.org');
  await platform.page.getByRole('button', { name: 'Crea l’ente e invita' }).click();
  const issued = platform.page.getByTestId('invitation-issued');
  await expect(issued).toContainText('admin@prato.example.org');
  const adminLink = await issued.locator('input').inputValue();
  await screen(platform.page, 'tenants-it-desktop');
  await platform.context.close();

  // Its administrator starts from an empty tenant: none of the demo's municipalities, services or staff.
  const admin = await newPage(browser);
  await admin.page.goto(adminLink);
  await admin.page.getByLabel('Nome e cognome').fill('Paolo Bisenzio');
  await admin.page.getByLabel(/^Password( \*)?$/).fill('Bisenzio-Sicura-2026');
  await admin.page.getByLabel('Ripeti la password').fill('Bisenzio-Sicura-2026');
  await admin.page.getByRole('button', { name: 'Accetta e accedi' }).click();
  await expect(admin.page).toHaveURL(/\/configurazione/);
  await expect(admin.page.getByTestId('active-tenant')).toHaveText('Comune di Prato (prova)');
  await expect(admin.page.getByTestId('empty-state')).toContainText('Ancora nessun comune');
  await expect(admin.page.getByTestId('territory-list')).not.toContainText('Poggibonsi');
  await admin.page.getByLabel('Cerca un comune per nome o codice ISTAT').fill('100005');
  await admin.page.getByRole('button', { name: `Aggiungi ${isolated('Prato')}` }).click();
  await expect(admin.page.getByTestId('territory-list')).toContainText('Prato');
  await admin.page.goto('/configurazione?passo=directory');
  await expect(admin.page.getByTestId('empty-state')).toContainText('Ancora nessun servizio');
  await admin.page.goto('/configurazione?passo=staff');
  await expect(admin.page.getByTestId('member-list')).not.toContainText('demo.sportello.it');
  // It invites the demo operator, who already has an account in the first tenant.
  await admin.page.getByTestId('invite-form').getByRole('textbox', { name: 'E-mail' }).fill(OPERATOR.email);
  await admin.page.getByRole('button', { name: 'Crea l’invito' }).click();
  const operatorLink = await admin.page.getByTestId('invitation-issued').locator('input').inputValue();
  await admin.context.close();

  // The operator accepts with their existing password, and now works in the second tenant.
  const op = await newPage(browser);
  await op.page.goto(operatorLink);
  // The link says the e-mail has an account already: only its current password is asked.
  await expect(op.page.getByTestId('invitation-existing')).toBeVisible();
  await expect(op.page.getByLabel('Ripeti la password')).toHaveCount(0);
  await op.page.getByLabel(/^Password attuale( \*)?$/).fill(OPERATOR.password);
  await op.page.getByRole('button', { name: 'Accetta e accedi' }).click();
  await expect(op.page).toHaveURL(/\/casi$/);
  // Now a member of two tenants: the header offers the switch.
  const tenantSwitch = op.page.getByTestId('tenant-switch');
  await tenantSwitch.selectOption({ label: isolated('Comune di Prato (prova)') });
  await expect(tenantSwitch.locator('option:checked')).toHaveText(isolated('Comune di Prato (prova)'));
  await expect(op.page.getByTestId('empty-state')).toContainText('Ancora nessuna presa in carico');
  await expect(op.page.locator('main')).not.toContainText('Amina');
  // The first tenant's person is not found by name, and its case does not exist here.
  await op.page.goto('/persone');
  const search = op.page.getByTestId('person-search');
  await search.getByRole('textbox', { name: 'Nome', exact: true }).fill('Amina');
  await search.getByLabel('Cognome').fill('Diallo');
  await search.getByRole('button', { name: 'Cerca' }).click();
  await expect(op.page.getByTestId('empty-state')).toContainText('Nessuna persona con un nome simile');
  await op.page.goto(caseUrl);
  await expect(op.page.getByTestId('empty-state')).toContainText('Presa in carico non trovata');
  await expect(op.page.locator('main')).not.toContainText('Amina');
  await screen(op.page, 'case-other-tenant-it-desktop');

  // Switching back to the demo tenant shows its cases again.
  await op.page.goto('/casi');
  await tenantSwitch.selectOption({ label: isolated("Società della Salute Alta Val d'Elsa (demo)") });
  await expect(op.page.getByTestId('case-list')).toContainText('Ioana Popescu');
  await op.page.getByTestId('tenant-switch').selectOption({ label: isolated('Comune di Prato (prova)') });
  await expect(op.page.getByTestId('empty-state')).toContainText('Ancora nessuna presa in carico');
  await op.context.close();
});

test('the dashboards show indicators, export them with progress, and mark suppressed cells', async ({ browser }) => {
  const { page, context } = await newPage(browser);
  await signIn(page, ADMIN);
  await page.goto('/cruscotto');
  await expect(page.getByTestId('indicator-PEOPLE_REACHED')).toBeVisible();
  expect(await indicatorValue(page, 'PEOPLE_REACHED')).toBeGreaterThanOrEqual(2);
  // A target set by the administrator shows the progress against it.
  const card = page.getByTestId('indicator-PEOPLE_REACHED');
  await card.getByRole('button', { name: 'Imposta l’obiettivo' }).click();
  await card.getByRole('textbox').fill('40');
  await card.getByRole('button', { name: 'Salva l’obiettivo' }).click();
  await expect(card).toContainText('Obiettivo: 40');
  await expect(card.getByRole('progressbar')).toBeVisible();
  await screen(page, 'dashboard-it-desktop');
  // The administrator sees no case data: the breakdowns say they are protected.
  await expect(page.getByTestId('protected-figures')).toContainText('soglia');
  // The export downloads a file.
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Scarica CSV' }).click();
  expect((await download).suggestedFilename()).toMatch(/\.csv$/);
  await expect(page.getByText('File pronto')).toBeVisible();

  await page.goto('/territori');
  const table = page.getByTestId('stat-table');
  await expect(table).toBeVisible();
  // Two people in a municipality are too few to publish: the cell is marked, never shown as 0.
  const suppressed = table.locator('td[data-suppressed=true]');
  await expect(suppressed.first()).toHaveText('oscurato');
  await expect(page.getByText('Cella oscurata')).toBeVisible();
  await screen(page, 'cross-territory-it-desktop');
  await page.getByLabel('Lingua').selectOption('ar');
  await expect(page.locator('html')).toHaveAttribute('dir', 'rtl');
  await expect(suppressed.first()).toHaveText('محجوب');
  await screen(page, 'cross-territory-ar-desktop');
  await context.close();

  // An operator gets the exact breakdowns, drawn as charts.
  const operator = await newPage(browser);
  await signIn(operator.page, OPERATOR);
  await operator.page.goto('/cruscotto');
  await expect(operator.page.getByTestId('indicator-PEOPLE_REACHED')).toBeVisible();
  await expect(operator.page.getByTestId('protected-figures')).toHaveCount(0);
  // A chart's tooltip is drawn under the Content-Security-Policy too.
  const chart = operator.page.locator('.chart').first();
  await chart.scrollIntoViewIfNeeded();
  const box = await chart.boundingBox();
  if (!box) throw new Error('the chart has no box');
  const texts = await chart.locator('svg text').count();
  // The tooltip (the bar's label and value) is drawn inside the chart's SVG. The pointer moves on
  // every try: a chart still drawing its first frame misses a single move.
  let step = 0;
  await expect
    .poll(async () => {
      step = (step + 1) % 8;
      await operator.page.mouse.move(box.x + box.width / 2 + step * 4, box.y + box.height / 2);
      return chart.locator('svg text').count();
    })
    .toBeGreaterThan(texts);
  await operator.context.close();

  const phone = await newPage(browser, PHONE);
  await signIn(phone.page, ADMIN);
  await phone.page.goto('/cruscotto');
  await expect(phone.page.getByTestId('indicator-PEOPLE_REACHED')).toBeVisible();
  await screen(phone.page, 'dashboard-it-phone');
  await phone.context.close();
});
