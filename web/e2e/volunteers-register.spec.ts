// The volunteers register: a citizen applies on the public form in Arabic; an operator sees the
// application but cannot decide on it; the administrator of the tenant takes it into review and
// approves it, and passes on the invitation link; the volunteer sets a password, signs in on a
// phone, finds their profile and changes their availability. The administrator of another
// tenant never sees the application. Forms name every missing or refused field at once. axe-core
// on every screen, the public form in Italian and in Arabic.
import { expect, type Page } from '@playwright/test';
import { test, PHONE, api, checkA11y as axe, confirmDialog, isolated, newPage, ownTenant, screenshot, signIn, signOut, toArabic } from './helpers';

/** axe-core on the screen, and its picture in web/screenshots (not committed). */
async function checkA11y(page: Page, name: string) {
  await axe(page, name);
  await screenshot(page, `volunteers-register-${name}`);
}

test.describe.configure({ mode: 'serial' });

const ALFA = {
  name: 'Comune di Vinci (prova albo)',
  istat: '048050',
  desk: 'Sportello Vinci',
  admin: { email: 'admin@vinci-albo.example.org', password: 'Vinci-Torre-Rossa-2026', displayName: 'Admin Vinci' },
  operator: { email: 'operatore@vinci-albo.example.org', password: 'Vinci-Ponte-Verde-2026', displayName: 'Operatore Vinci' },
};
const BETA = {
  name: 'Comune di Capraia e Limite (prova albo)',
  istat: '048008',
  desk: 'Sportello Capraia',
  admin: { email: 'admin@capraia-albo.example.org', password: 'Capraia-Isola-Blu-2026', displayName: 'Admin Capraia' },
  operator: { email: 'operatore@capraia-albo.example.org', password: 'Capraia-Monte-Alto-2026', displayName: 'Operatore Capraia' },
};
const CITIZEN = { given: 'ليلى', family: 'حداد', email: 'layla.haddad@example.org', password: 'Layla-Volontaria-2026' };
const FULL_NAME = `${CITIZEN.given} ${CITIZEN.family}`;

type Tenants = { alfa: Awaited<ReturnType<typeof ownTenant>>; beta: Awaited<ReturnType<typeof ownTenant>>; formLink: string };
let tenants: Promise<Tenants> | null = null;
const ready = () =>
  (tenants ??= (async () => {
    const alfa = await ownTenant(ALFA);
    const beta = await ownTenant(BETA);
    const id = (await alfa.admin('{ viewer { activeTenant { id } } }')).viewer.activeTenant.id as string;
    return { alfa, beta, formLink: `/candidatura/${encodeURIComponent(id)}` };
  })());

const VOLUNTEERS = '{ volunteers(first: 50) { nodes { id version status email availability { weekly { weekday from to } exceptions { on slots { from to } } } } } }';

/** The public form's link as the register page shows it to the administrator. */
async function linkShownToStaff(page: Page): Promise<string> {
  await page.goto('/volontari');
  const input = page.getByTestId('public-form-link').locator('input');
  await expect(input).toHaveValue(/\/candidatura\//);
  return new URL(await input.inputValue()).pathname;
}

test('a citizen applies in Arabic, staff of the tenant approve, the volunteer signs in on a phone and keeps their availability', async ({ browser }) => {
  const { alfa, beta, formLink } = await ready();

  // The administrator's register page shows the public form's address.
  const staff = await newPage(browser);
  await signIn(staff.page, ALFA.admin);
  expect(await linkShownToStaff(staff.page)).toBe(formLink);
  await checkA11y(staff.page, 'register-list-it');

  // A citizen, signed out, opens the form: Italian first, then Arabic from the header.
  const citizen = await newPage(browser, PHONE);
  const page = citizen.page;
  await page.goto(formLink);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Diventa volontario');
  await expect(page.getByRole('button', { name: 'Esci' })).toHaveCount(0);
  await checkA11y(page, 'public-form-it');
  await toArabic(page);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('كن متطوعًا');
  await expect(page.locator('main')).toContainText(ALFA.name);
  // The hidden field is out of reach of people and of assistive technology.
  const honeypot = page.locator('#website');
  await expect(honeypot).toHaveAttribute('tabindex', '-1');
  await expect(page.locator('[aria-hidden="true"]').filter({ has: honeypot })).toHaveCount(1);
  await expect(page.getByRole('textbox', { name: 'Website' })).toHaveCount(0);
  await checkA11y(page, 'public-form-ar');
  expect(await page.evaluate(() => document.documentElement.scrollWidth), 'the public form fits the phone').toBeLessThanOrEqual(PHONE.width);

  const form = page.getByTestId('application-form');
  await form.getByRole('textbox', { name: 'الاسم', exact: true }).fill(CITIZEN.given);
  await form.getByRole('textbox', { name: 'اللقب', exact: true }).fill(CITIZEN.family);
  await form.getByLabel('البريد الإلكتروني', { exact: true }).fill(CITIZEN.email);
  await form.getByRole('button', { name: 'أضف لغة' }).click();
  await form.getByLabel('اللغة 1', { exact: true }).selectOption('ar');
  await form.getByLabel('مستوى اللغة 1', { exact: true }).selectOption('NATIVE');
  await form.locator('label').getByText('الدعم اللغوي', { exact: true }).click();
  await form.locator('label').getByText('Vinci', { exact: true }).click();
  await form.getByRole('button', { name: 'أضف فترة أسبوعية' }).click();
  await form.getByLabel('يوم الفترة 1', { exact: true }).selectOption('3');

  // Without the consents: each refusal next to its own checkbox, in Arabic.
  await form.getByRole('button', { name: 'أرسل الطلب' }).click();
  const conduct = form.getByLabel('قرأت مدونة السلوك وأوافق عليها');
  const consent = form.getByLabel('أوافق على معالجة بياناتي الشخصية لهذا الغرض');
  await expect(conduct).toHaveAttribute('aria-invalid', 'true');
  await expect(consent).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByTestId('form-has-errors')).toBeVisible();
  await expect(form.locator('.field-error')).toHaveCount(2);
  await expect(form.locator('.field-error').nth(0)).toHaveText('لتقديم الطلب يجب أن توافق على مدونة السلوك.');
  await expect(form.locator('.field-error').nth(1)).toHaveText('لتقديم الطلب يجب أن توافق على معالجة البيانات.');
  await checkA11y(page, 'public-form-errors-ar');

  for (const box of ['قرأت مدونة السلوك وأوافق عليها', 'أوافق على معالجة بياناتي الشخصية لهذا الغرض']) await form.locator('label', { hasText: box }).click();
  await expect(conduct).toBeChecked();
  await expect(consent).toBeChecked();
  await form.getByRole('button', { name: 'أرسل الطلب' }).click();
  const sent = page.getByTestId('application-sent');
  await expect(sent.getByRole('heading', { level: 1 })).toHaveText('تم استلام الطلب');
  await expect(sent).toContainText('لا حاجة لإرسال الطلب مرة أخرى');
  await checkA11y(page, 'public-form-sent-ar');

  // The operator sees the application but no step to take, and the API refuses one.
  const op = await newPage(browser);
  await signIn(op.page, ALFA.operator);
  await op.page.goto('/volontari/candidature');
  const opItem = op.page.getByTestId('queue-SUBMITTED').getByTestId('application').filter({ hasText: FULL_NAME });
  await expect(opItem).toHaveCount(1);
  await expect(opItem.getByTestId('status-actions')).toHaveCount(0);
  await expect(opItem.getByRole('button')).toHaveCount(0);
  const volunteer = (await alfa.operator(VOLUNTEERS)).volunteers.nodes.find((v: { email: string }) => v.email === CITIZEN.email);
  expect(volunteer.status).toBe('SUBMITTED');
  await expect(
    alfa.operator('mutation($i: SetVolunteerStatusInput!) { setVolunteerStatus(input: $i) { status } }', {
      i: { id: volunteer.id, status: 'UNDER_REVIEW', expectedVersion: volunteer.version },
    }),
  ).rejects.toThrow(/FORBIDDEN/);
  await checkA11y(op.page, 'queue-operator-it');
  await op.context.close();

  // The other tenant's administrator sees nothing of it.
  const other = await newPage(browser);
  await signIn(other.page, BETA.admin);
  await other.page.goto('/volontari/candidature');
  await expect(other.page.getByTestId('queue-SUBMITTED').getByTestId('empty-state')).toBeVisible();
  await expect(other.page.locator('main')).not.toContainText(FULL_NAME);
  await other.page.goto('/volontari');
  await expect(other.page.getByTestId('empty-state')).toBeVisible();
  await expect(other.page.locator('main')).not.toContainText(FULL_NAME);
  expect((await beta.admin(VOLUNTEERS)).volunteers.nodes).toEqual([]);
  await other.context.close();

  // The administrator takes it into review, then approves it: the invitation link is shown.
  const admin = staff.page;
  await admin.goto('/volontari/candidature');
  const submitted = admin.getByTestId('queue-SUBMITTED').getByTestId('application').filter({ hasText: FULL_NAME });
  await expect(submitted).toContainText('Modulo pubblico');
  await expect(submitted.getByTestId('volunteer-history')).toContainText('Inviata: dal modulo pubblico');
  await checkA11y(admin, 'queue-admin-it');
  await submitted.getByRole('button', { name: /^Prendi in esame/ }).click();
  const reviewing = admin.getByTestId('queue-UNDER_REVIEW').getByTestId('application').filter({ hasText: FULL_NAME });
  await expect(reviewing.getByTestId('volunteer-history')).toContainText('In esame: da te (\u2068Admin Vinci\u2069)');
  await expect(admin.getByTestId('queue-SUBMITTED').getByTestId('application').filter({ hasText: FULL_NAME })).toHaveCount(0);
  await reviewing.getByRole('button', { name: /^Approva/ }).click();
  const issued = admin.getByTestId('invitation-issued');
  await expect(issued).toContainText(CITIZEN.email);
  const link = await issued.locator('input').inputValue();
  expect(link).toMatch(/\/invito#.+/);
  await expect(admin.getByTestId('application').filter({ hasText: FULL_NAME })).toHaveCount(0);
  await checkA11y(admin, 'queue-approved-it');

  // Her profile: active, consents dated, history of three steps; "invite again" is offered.
  await admin.goto('/volontari');
  await admin.getByTestId('volunteer-row').filter({ hasText: FULL_NAME }).getByRole('link').click();
  await expect(admin.getByRole('heading', { level: 1 })).toHaveText(FULL_NAME);
  await expect(admin.getByTestId('volunteer-status').first()).toHaveText('Attivo');
  await expect(admin.getByTestId('volunteer-history').locator('li')).toHaveCount(3);
  await expect(admin.getByTestId('volunteer-history')).toContainText('Attivo: da te');
  await checkA11y(admin, 'profile-admin-it');
  // Invited again: a fresh link, which the volunteer is given.
  await admin.getByRole('button', { name: 'Invita di nuovo' }).click();
  await expect(admin.getByTestId('invitation-issued')).toContainText(CITIZEN.email);
  const again = await admin.getByTestId('invitation-issued').locator('input').inputValue();
  expect(again).toMatch(/\/invito#.+/);
  expect(again).not.toBe(link);

  // The volunteer opens the link, sets a password, and signs in on a phone.
  const vol = await newPage(browser, PHONE);
  await vol.page.goto(again);
  await vol.page.getByLabel('Nome e cognome').fill(FULL_NAME);
  await vol.page.getByLabel(/^Password( \*)?$/).fill(CITIZEN.password);
  await vol.page.getByLabel('Ripeti la password').fill(CITIZEN.password);
  await vol.page.getByRole('button', { name: 'Accetta e accedi' }).click();
  await expect(vol.page.getByRole('button', { name: 'Esci' })).toBeVisible();
  await signOut(vol.page);
  await signIn(vol.page, CITIZEN);
  await vol.page.getByRole('button', { name: 'Menu' }).click();
  await vol.page.getByRole('link', { name: 'Il mio profilo' }).click();
  await expect(vol.page).toHaveURL(/\/il-mio-profilo$/);
  const record = vol.page.getByTestId('my-record');
  await expect(record).toContainText(FULL_NAME);
  await expect(record).toContainText(CITIZEN.email);
  await expect(record.getByTestId('volunteer-status')).toHaveText('Attivo');
  const editor = vol.page.getByTestId('availability-editor');
  await expect(editor.getByTestId('slot-row')).toHaveCount(1);
  await expect(editor.getByLabel('Giorno della fascia 1')).toHaveValue('3');
  await checkA11y(vol.page, 'my-profile-phone-it');

  // She adds a Saturday morning and a day off; the editor fits the phone's width.
  await editor.getByRole('button', { name: 'Aggiungi una fascia settimanale' }).click();
  await editor.getByLabel('Giorno della fascia 2').selectOption('6');
  await editor.getByLabel('Dalle (fascia 2)', { exact: true }).fill('10:00');
  await editor.getByLabel('Alle (fascia 2)', { exact: true }).fill('13:00');
  await editor.getByRole('button', { name: 'Aggiungi un giorno particolare' }).click();
  await editor.getByLabel('Giorno particolare 1', { exact: true }).fill('2027-04-06');
  const width = await vol.page.evaluate(() => document.documentElement.scrollWidth);
  expect(width, 'nothing wider than the phone').toBeLessThanOrEqual(PHONE.width);
  await vol.page.getByRole('button', { name: 'Salva' }).click();
  await expect(vol.page.getByTestId('my-saved')).toBeVisible();
  await checkA11y(vol.page, 'my-profile-saved-phone-it');
  await toArabic(vol.page);
  await expect(vol.page.getByRole('heading', { level: 1 })).toHaveText('ملفي الشخصي');
  await expect(vol.page.getByTestId('availability-editor').getByTestId('slot-row')).toHaveCount(2);
  await checkA11y(vol.page, 'my-profile-phone-ar');
  const rtlWidth = await vol.page.evaluate(() => document.documentElement.scrollWidth);
  expect(rtlWidth, 'nothing wider than the phone, right to left').toBeLessThanOrEqual(PHONE.width);

  const after = (await alfa.admin(VOLUNTEERS)).volunteers.nodes.find((v: { email: string }) => v.email === CITIZEN.email);
  expect(after.availability.weekly).toEqual([
    { weekday: 3, from: '09:00:00', to: '12:00:00' },
    { weekday: 6, from: '10:00:00', to: '13:00:00' },
  ]);
  expect(after.availability.exceptions).toEqual([{ on: '2027-04-06', slots: [] }]);

  // A volunteer has no register screens.
  await vol.page.goto('/volontari');
  await expect(vol.page).not.toHaveURL(/\/volontari$/);
  await vol.context.close();
  await citizen.context.close();
  await staff.context.close();
});

test('the confirmation is the same for an address already in the register and for a form filled in by a program, and neither adds an application', async ({ browser }) => {
  const { alfa, formLink } = await ready();
  const before = (await alfa.admin(VOLUNTEERS)).volunteers.nodes.length;
  const { page, context } = await newPage(browser);
  const apply = async (honeypot: boolean) => {
    await page.goto(formLink);
    const form = page.getByTestId('application-form');
    await form.getByRole('textbox', { name: 'Nome', exact: true }).fill('Layla');
    await form.getByRole('textbox', { name: 'Cognome', exact: true }).fill('Haddad');
    await form.getByLabel('E-mail', { exact: true }).fill(honeypot ? 'programma@example.org' : CITIZEN.email);
    if (honeypot) await page.locator('#website').fill('https://spam.example.org', { force: true });
    for (const box of ['Ho letto e accetto il codice di condotta', 'Acconsento al trattamento dei miei dati personali per questo scopo']) {
      await form.locator('label', { hasText: box }).click();
      await expect(form.getByLabel(box)).toBeChecked();
    }
    await form.getByRole('button', { name: 'Invia la candidatura' }).click();
    const sent = page.getByTestId('application-sent');
    await expect(sent.getByRole('heading', { level: 1 })).toHaveText('Candidatura ricevuta');
    return sent.innerText();
  };
  const known = await apply(false);
  await checkA11y(page, 'public-form-sent-it');
  const program = await apply(true);
  expect(program).toBe(known);
  // A link naming no tenant says so.
  await page.goto('/candidatura/nessuno');
  await expect(page.getByTestId('application-unknown')).toContainText('Modulo non disponibile');
  await checkA11y(page, 'public-form-unknown-it');
  expect((await alfa.admin(VOLUNTEERS)).volunteers.nodes.length).toBe(before);
  await context.close();
});

test('administrators manage the skills: a new one is offered on the public form, a retired one is not', async ({ browser }) => {
  const { alfa, formLink } = await ready();
  const { page, context } = await newPage(browser);
  await signIn(page, ALFA.admin);
  await page.goto('/volontari/competenze');
  const form = page.getByTestId('skill-form');
  await form.getByLabel('Nome della competenza').fill('Mediazione culturale');
  await form.getByLabel('Codice').fill('mediazione');
  await form.getByRole('button', { name: 'Aggiungi' }).click();
  await expect(page.getByTestId('skill-MEDIAZIONE')).toContainText('Mediazione culturale');
  // The same code again is refused next to the code.
  await form.getByLabel('Nome della competenza').fill('Altro');
  await form.getByLabel('Codice').fill('MEDIAZIONE');
  await form.getByRole('button', { name: 'Aggiungi' }).click();
  await expect(form.getByLabel('Codice')).toHaveAttribute('aria-invalid', 'true');
  await checkA11y(page, 'skills-it');

  await page.getByTestId('skill-TRANSPORT').getByRole('button', { name: /Trasporto/ }).click();
  await confirmDialog(page, 'Ritirare la competenza?');
  await expect(page.getByTestId('skill-TRANSPORT')).toContainText('ritirata');
  const offered = (await (await api())('query($t: ID!) { publicVolunteerForm(tenantId: $t) { skills { code } } }', { t: decodeURIComponent(formLink.split('/').pop() ?? '') }))
    .publicVolunteerForm.skills.map((s: { code: string }) => s.code);
  expect(offered).toContain('MEDIAZIONE');
  expect(offered).not.toContain('TRANSPORT');
  await page.getByTestId('skill-TRANSPORT').getByRole('button', { name: /Trasporto/ }).click();
  await expect(page.getByTestId('skill-TRANSPORT')).not.toContainText('ritirata');

  // An operator has no skills page.
  const op = await newPage(browser);
  await signIn(op.page, ALFA.operator);
  await op.page.goto('/volontari/competenze');
  await expect(op.page).not.toHaveURL(/competenze$/);
  void alfa;
  await op.context.close();
  await context.close();
});

test('staff enter a volunteer, correct the record at the version loaded, and a stale version says to reload', async ({ browser }) => {
  const { alfa } = await ready();
  const { page, context } = await newPage(browser, PHONE);
  await signIn(page, ALFA.operator);
  await page.goto('/volontari/nuovo');
  const form = page.getByTestId('volunteer-form');
  await form.getByRole('textbox', { name: 'Nome', exact: true }).fill('Marco');
  await form.getByRole('textbox', { name: 'Cognome', exact: true }).fill('Bellini');
  await form.getByRole('button', { name: 'Inserisci il volontario' }).click();
  // Neither an e-mail nor a phone: refused on the contacts.
  await expect(form.locator('.field-error').first()).toBeVisible();
  await form.getByLabel('Telefono').fill('+39 333 765 4321');
  await checkA11y(page, 'new-volunteer-phone-it');
  await form.getByRole('button', { name: 'Inserisci il volontario' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Marco Bellini');
  await expect(page.getByTestId('volunteer-status').first()).toHaveText('Inviata');
  // An operator sees no step to take.
  await expect(page.getByTestId('status-actions')).toHaveCount(0);

  // Someone else saves meanwhile: the form's save is refused as stale.
  const row = (await alfa.admin(VOLUNTEERS)).volunteers.nodes.find((v: { email: string | null; id: string }) => v.email === null);
  await alfa.admin('mutation($i: UpdateVolunteerInput!) { updateVolunteer(input: $i) { version } }', {
    i: { id: row.id, expectedVersion: row.version, volunteer: { familyNames: 'Bellini Rossi' } },
  });
  const edit = page.getByTestId('volunteer-form');
  await edit.getByRole('textbox', { name: 'Nome', exact: true }).fill('Marco Maria');
  await edit.getByRole('button', { name: 'Salva' }).click();
  await expect(edit).toContainText('ricarica la pagina');
  await page.reload();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Marco Bellini Rossi');
  await checkA11y(page, 'profile-operator-phone-it');
  await context.close();
});

test('the register comes a page at a time and filters by skill', async ({ browser }) => {
  const { alfa } = await ready();
  for (let n = 1; n <= 21; n++) {
    await alfa.admin('mutation($i: AddVolunteerInput!) { addVolunteer(input: $i) { id } }', {
      i: { volunteer: { givenNames: 'Volontario', familyNames: `Numero ${n}`, phone: `+39 333 000 ${String(n).padStart(4, '0')}`, skills: n % 2 ? ['JOB_SEARCH'] : [] } },
    });
  }
  const total = (await alfa.admin('{ volunteers(first: 100) { nodes { id } } }')).volunteers.nodes.length;
  expect(total).toBeGreaterThan(21);
  const { page, context } = await newPage(browser);
  await signIn(page, ALFA.admin);
  await page.goto('/volontari');
  const rows = page.getByTestId('volunteer-row');
  await expect(rows).toHaveCount(20);
  await page.getByRole('button', { name: 'Carica altri' }).click();
  await expect(rows).toHaveCount(total);
  await expect(page.getByRole('button', { name: 'Carica altri' })).toHaveCount(0);
  await page.getByLabel('Competenza').selectOption('JOB_SEARCH');
  await expect(rows).toHaveCount(11);
  await expect(rows.filter({ hasText: 'Numero 2' })).toHaveCount(1); // Numero 21
  await expect(rows.first()).toContainText('Ricerca del lavoro');
  await page.getByLabel('Stato').selectOption('ACTIVE');
  await expect(page.getByTestId('empty-state')).toContainText('Nessun volontario');
  await checkA11y(page, 'register-list-filtered-it');
  await context.close();
});

test('a withdrawal asks for confirmation, and a withdrawn volunteer has no step left', async ({ browser }) => {
  await ready();
  const { page, context } = await newPage(browser, PHONE);
  await signIn(page, ALFA.admin);
  await page.goto('/volontari/candidature');
  const item = page.getByTestId('queue-SUBMITTED').getByTestId('application').filter({ hasText: 'Marco Bellini Rossi' });
  await item.getByRole('link').click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Marco Bellini Rossi');
  const actions = page.getByTestId('status-actions');
  await actions.getByRole('button', { name: /^Prendi in esame/ }).click();
  await expect(page.getByTestId('volunteer-status').first()).toHaveText('In esame');

  // Kept at first: the dialog's safe choice changes nothing.
  await actions.getByRole('button', { name: /^Ritira/ }).click();
  const dialog = page.getByRole('dialog');
  await expect(dialog).toContainText('Ritirare il volontario dall’albo?');
  await checkA11y(page, 'withdraw-dialog-phone-it');
  await dialog.getByTestId('confirm-keep').click();
  await expect(dialog).toBeHidden();
  await expect(page.getByTestId('volunteer-status').first()).toHaveText('In esame');

  await actions.getByRole('button', { name: /^Ritira/ }).click();
  await confirmDialog(page, 'Il ritiro è definitivo');
  await expect(page.getByTestId('volunteer-status').first()).toHaveText('Ritirato');
  await expect(page.getByTestId('status-actions').getByRole('button')).toHaveCount(0);
  await expect(page.getByTestId('volunteer-history').locator('li')).toHaveCount(3);
  await context.close();
});

/** Counts the GraphQL requests of a page whose text names `operation`. */
function sent(page: Page, operation: string): string[] {
  const seen: string[] = [];
  page.on('request', (r) => {
    if (r.url().endsWith('/graphql') && (r.postData() ?? '').includes(operation)) seen.push(r.postData() ?? '');
  });
  return seen;
}

test('forms name every missing field at once without asking the server, and every field the server refuses', async ({ browser }) => {
  const { formLink } = await ready();
  const { page, context } = await newPage(browser);
  await signIn(page, ALFA.admin);
  await page.goto('/volontari/nuovo');
  const adds = sent(page, 'addVolunteer');
  const form = page.getByTestId('volunteer-form');
  const given = form.getByRole('textbox', { name: 'Nome', exact: true });
  const family = form.getByRole('textbox', { name: 'Cognome', exact: true });
  // Text boxes stop at the API's limits.
  await expect(given).toHaveAttribute('maxlength', '200');
  await expect(family).toHaveAttribute('maxlength', '200');
  await expect(form.getByLabel('E-mail')).toHaveAttribute('maxlength', '254');
  await expect(form.getByLabel('Telefono')).toHaveAttribute('maxlength', '40');

  // Empty: names and contact, each under its field, in one go.
  await form.getByRole('button', { name: 'Inserisci il volontario' }).click();
  await expect(form.locator('.field-error')).toHaveCount(3);
  await expect(given).toHaveAttribute('aria-invalid', 'true');
  await expect(family).toHaveAttribute('aria-invalid', 'true');
  await expect(form.getByLabel('E-mail')).toHaveAttribute('aria-invalid', 'true');
  await expect(form.locator('.field-error').nth(2)).toHaveText('Scrivi un indirizzo e-mail o un numero di telefono');
  // A language without its level and a weekly slot without its end: named, not sent (GraphQL
  // would refuse the empty level and time with no field to show it on).
  await given.fill('Giulia');
  await family.fill('Neri');
  await form.getByLabel('Telefono').fill('+39 333 111 2222');
  const languages = form.getByRole('combobox', { name: 'Lingue parlate' });
  await languages.fill('francese');
  await form.getByRole('option', { name: 'francese (fr)' }).click();
  await form.getByRole('button', { name: 'Aggiungi una fascia settimanale' }).click();
  await form.getByLabel('Alle (fascia 1)', { exact: true }).fill('');
  await form.getByRole('button', { name: 'Inserisci il volontario' }).click();
  await expect(form.getByTestId('level-error')).toHaveText(`Scegli il livello di ${isolated('francese')}.`);
  await expect(form.getByTestId('availability-editor')).toContainText('Completa ogni fascia');
  await expect(form.locator('.field-error')).toHaveCount(2);
  expect(adds).toEqual([]);
  await checkA11y(page, 'new-volunteer-missing-it');

  // An e-mail and a phone that cannot be any: named by the form, both at once, nothing sent.
  await form.getByLabel(`Livello: ${isolated('francese')}`).selectOption('B1');
  await form.getByLabel('Alle (fascia 1)', { exact: true }).fill('12:00');
  await form.getByLabel('E-mail').fill('giulia.neri@');
  await form.getByLabel('Telefono').fill('non è un numero');
  await form.getByRole('button', { name: 'Inserisci il volontario' }).click();
  await expect(form.getByLabel('E-mail')).toHaveAttribute('aria-invalid', 'true');
  await expect(form.getByLabel('Telefono')).toHaveAttribute('aria-invalid', 'true');
  await expect(form.locator('.field-error')).toHaveCount(2);
  expect(adds).toEqual([]);
  // Shaped like them but refused by the server on two fields: both are shown, each under its own.
  await form.getByLabel('E-mail').fill('giulia..neri@example.org');
  await form.getByLabel('Telefono').fill('+39 000 0000');
  await form.getByRole('button', { name: 'Inserisci il volontario' }).click();
  await expect(form.getByLabel('E-mail')).toHaveAttribute('aria-invalid', 'true');
  await expect(form.getByLabel('Telefono')).toHaveAttribute('aria-invalid', 'true');
  await expect(form.locator('.field-error')).toHaveCount(2);
  expect(adds).toHaveLength(1);
  await form.getByLabel('E-mail').fill('giulia.neri@example.org');
  await form.getByLabel('Telefono').fill('+39 333 111 2222');
  await form.getByRole('button', { name: 'Inserisci il volontario' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Giulia Neri');

  // The register's status badge keeps its distance from the name before it, in both directions.
  await page.goto('/volontari');
  for (const rtl of [false, true]) {
    if (rtl) await toArabic(page);
    const row = page.getByTestId('volunteer-row').first();
    const name = await row.getByRole('link').boundingBox();
    const badge = await row.getByTestId('volunteer-status').boundingBox();
    const gap = name && badge ? Math.max(badge.x - (name.x + name.width), name.x - (badge.x + badge.width)) : 0;
    expect(gap, rtl ? 'right to left' : 'left to right').toBeGreaterThanOrEqual(8);
  }
  await context.close();

  // The public form sent empty: names, contact and both agreements at once; nothing sent.
  const citizen = await newPage(browser, PHONE);
  await citizen.page.goto(formLink);
  const applications = sent(citizen.page, 'submitVolunteerApplication');
  const apply = citizen.page.getByTestId('application-form');
  await apply.getByRole('button', { name: 'Invia la candidatura' }).click();
  await expect(apply.locator('.field-error')).toHaveCount(5);
  await expect(citizen.page.getByTestId('form-has-errors')).toBeVisible();
  // A language chosen without its level is named on the languages.
  await apply.getByRole('button', { name: 'Aggiungi una lingua' }).click();
  await apply.getByLabel('Lingua 1', { exact: true }).selectOption('ar');
  await apply.getByRole('button', { name: 'Invia la candidatura' }).click();
  await expect(apply.getByTestId('languages')).toContainText('Per ogni lingua scegli la lingua e il livello');
  await expect(apply.locator('.field-error')).toHaveCount(6);
  expect(applications).toEqual([]);
  await checkA11y(citizen.page, 'public-form-missing-phone-it');
  await citizen.context.close();
});
