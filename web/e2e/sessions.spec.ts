// Sessions and the tenant's default reminder lead time in the console. A tenant of this spec's own
// (on the clock of Lima, so that times are seen on the tenant's clock, not the browser's): its
// operator signs in on two browsers (Firefox on Windows, Safari on macOS), and the page «Sessioni
// attive», reached from the header, lists both (and the set-up's own session, from a device it
// cannot name) with the sign-in method, the times and the current one marked; ending the other
// asks first, and that browser's next page is the sign-in page. «Esci da tutti i dispositivi»
// says that this device is signed out too, and then every session is over. The administrator sets
// the reminder lead time in the configuration (a value out of range is refused on its field); the
// operator's booking form says the default in its hint, and a booking that leaves the field empty
// gets it. axe-core on every screen, also in Arabic on a 390 px phone.
import { expect, type Page } from '@playwright/test';
import { PHONE, api, checkA11y, confirmDialog, isolated, newPage, ownTenant, signIn, test, toArabic, toItalian } from './helpers';

test.describe.configure({ mode: 'serial' });

const ISTAT = '050039';
const ZONE = 'America/Lima';
const ADMIN = { email: 'admin@volterra-sessioni.example.org', password: 'Balze-Volterra-2026' };
const OPERATOR = { email: 'operatore@volterra-sessioni.example.org', password: 'Alabastro-Volterra-2026' };

const FIREFOX_WINDOWS = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0';
const SAFARI_MACOS = 'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15';

type Seed = Awaited<ReturnType<typeof ownTenant>>;
let seeded: Promise<Seed> | null = null;
const ready = () =>
  (seeded ??= (async () => {
    const tenant = await ownTenant({
      name: 'Comune di Volterra (sessioni, prova)',
      istat: ISTAT,
      desk: 'Sportello Volterra',
      admin: { ...ADMIN, displayName: 'Admin Volterra' },
      operator: { ...OPERATOR, displayName: 'Operatrice Volterra' },
    });
    await tenant.admin('mutation($z: String!) { setTenantTimeZone(timeZone: $z) { id } }', { z: ZONE });
    return tenant;
  })());

/** A date-time as the console shows it: medium date, short time, on the tenant's clock. */
function shown(iso: string): string {
  return new Intl.DateTimeFormat('it-IT', { dateStyle: 'medium', timeStyle: 'short', timeZone: ZONE }).format(new Date(iso));
}

type Listed = { id: string; device: string; method: string; signedInAt: string; lastSeenAt: string; current: boolean };

/** The sessions as the page's own browser reads them from the API. */
async function listed(page: Page): Promise<Listed[]> {
  return page.evaluate(async () => {
    const res = await fetch('/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ viewer { sessions { id device method signedInAt lastSeenAt current } } }' }),
    });
    return (await res.json()).data.viewer.sessions;
  });
}

function noSidewaysScroll(page: Page) {
  return page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
}

test('the same operator on two browsers: both sessions listed, the other one ended, then signed out everywhere', async ({ browser }) => {
  await ready();
  const firefox = await newPage(browser, undefined, undefined, undefined, FIREFOX_WINDOWS);
  const safari = await newPage(browser, undefined, undefined, undefined, SAFARI_MACOS);
  await signIn(safari.page, OPERATOR);
  await signIn(firefox.page, OPERATOR);
  const page = firefox.page;

  // From the header, next to the user's name (which changes the password).
  await page.getByTestId('sessions-link').click();
  await expect(page).toHaveURL(/\/profilo\/sessioni$/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Sessioni attive');
  const rows = page.getByTestId('session-row');
  const row = (device: string) => rows.filter({ hasText: device });

  // This browser first (the one used last), marked; the other with its own device; the set-up's
  // client (no browser it can name) as an unknown device.
  await expect(rows.first().getByTestId('session-device')).toHaveText('Firefox, Windows');
  await expect(rows.first().getByTestId('current-session')).toHaveText('Questa sessione');
  await expect(rows.first().getByRole('button', { name: /^Termina/ })).toHaveCount(0);
  await expect(row('Safari, macOS')).toHaveCount(1);
  await expect(row('Safari, macOS').getByTestId('current-session')).toHaveCount(0);
  await expect(row('Dispositivo sconosciuto')).toHaveCount(1);
  await expect(page.getByTestId('current-session')).toHaveCount(1);
  for (const device of ['Firefox, Windows', 'Safari, macOS']) await expect(row(device).getByTestId('session-method')).toHaveText('Password');

  // Times on the tenant's clock (Lima), not the browser's (Rome).
  await expect(async () => {
    await page.reload();
    const api = await listed(page);
    for (const s of api.filter((x) => x.device)) {
      await expect(row(s.device).getByTestId('session-signed-in')).toHaveText(shown(s.signedInAt), { timeout: 2_000 });
      await expect(row(s.device).getByTestId('session-last-seen')).toHaveText(shown(s.lastSeenAt), { timeout: 2_000 });
    }
  }).toPass({ timeout: 30_000 });
  await checkA11y(page, 'sessions-it-desktop');

  // Ending the other one asks first; the safe choice keeps it.
  const end = row('Safari, macOS').getByRole('button', { name: `Termina la sessione su ${isolated('Safari, macOS')}`, exact: false });
  await end.click();
  const dialog = page.getByRole('dialog');
  await expect(dialog).toContainText('Terminare la sessione?');
  await expect(dialog).toContainText('Safari, macOS');
  await checkA11y(page, 'sessions-end-dialog-it-desktop');
  await dialog.getByTestId('confirm-keep').click();
  await expect(dialog).toBeHidden();
  await expect(row('Safari, macOS')).toHaveCount(1);
  await end.click();
  await confirmDialog(page, 'Terminare la sessione?');
  await expect(page.getByTestId('session-ended')).toContainText('Sessione su');
  await expect(page.getByTestId('session-ended')).toContainText('Safari, macOS');
  await expect(row('Safari, macOS')).toHaveCount(0);
  await expect(rows.first().getByTestId('current-session')).toBeVisible();
  await checkA11y(page, 'sessions-ended-it-desktop');

  // That browser's next page is the sign-in page.
  await safari.page.goto('/casi');
  await expect(safari.page).toHaveURL(/\/accesso$/);
  await expect(safari.page.getByRole('button', { name: 'Esci' })).toHaveCount(0);

  // In Arabic on a phone: reached from the folded menu, nothing wider than the screen.
  await page.setViewportSize(PHONE);
  await page.goto('/');
  await page.getByRole('button', { name: 'Menu' }).click();
  await page.getByRole('navigation').getByRole('link', { name: 'Sessioni attive' }).click();
  await expect(page).toHaveURL(/\/profilo\/sessioni$/);
  await toArabic(page);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('الجلسات النشطة');
  await expect(page.getByTestId('current-session')).toHaveText('هذه الجلسة');
  await expect(rows.first().getByTestId('session-device')).toHaveText('Firefox, Windows');
  await expect(row('جهاز غير معروف')).toHaveCount(1);
  expect(await noSidewaysScroll(page), 'the sessions page overflows the phone').toBeLessThanOrEqual(0);
  await checkA11y(page, 'sessions-ar-phone');
  await toItalian(page);
  await page.setViewportSize({ width: 1280, height: 900 });

  // Signed in again there, then out of every device from here: the dialog says this one too.
  await signIn(safari.page, OPERATOR);
  await page.reload();
  await expect(row('Safari, macOS')).toHaveCount(1);
  const everywhere = page.getByTestId('sign-out-everywhere');
  await expect(everywhere.getByRole('heading', { name: 'Esci da tutti i dispositivi' })).toBeVisible();
  await everywhere.getByRole('button', { name: 'Esci da tutti i dispositivi' }).click();
  await expect(dialog).toContainText('Uscire da tutti i dispositivi?');
  await expect(dialog).toContainText('anche su questo dispositivo dovrai accedere di nuovo');
  await checkA11y(page, 'sessions-everywhere-dialog-it-desktop');
  await confirmDialog(page, 'Uscire da tutti i dispositivi?');
  await expect(page).toHaveURL(/\/accesso$/);
  await expect(page.getByRole('button', { name: 'Esci' })).toHaveCount(0);
  await page.goto('/profilo/sessioni');
  await expect(page).toHaveURL(/\/accesso$/);
  await safari.page.goto('/');
  await expect(safari.page).toHaveURL(/\/accesso$/);
  // The set-up's client too.
  const { operator } = await ready();
  expect((await operator('{ viewer { user { id } } }')).viewer).toBeNull();

  await firefox.context.close();
  await safari.context.close();
});

test('the administrator sets the reminder lead time; the booking form says the default and a booking without hours gets it', async ({ browser }) => {
  await ready();
  const { page, context } = await newPage(browser);
  await signIn(page, ADMIN);
  await page.goto('/configurazione');
  const form = page.getByTestId('appointment-settings');
  await expect(form.getByRole('heading', { name: 'Promemoria degli appuntamenti' })).toBeVisible();
  const hours = form.getByLabel('Ore prima dell’appuntamento');
  // 24 hours unless the administrator changed it.
  await expect(hours).toHaveValue('24');
  await expect(hours).toHaveAccessibleDescription('Da 1 a 336 (14 giorni); vuoto: nessun promemoria automatico, solo quelli chiesti alla prenotazione.');
  const save = form.getByRole('button', { name: 'Salva i promemoria' });

  // Out of range: refused by the server on the field, nothing saved.
  await hours.fill('400');
  await save.click();
  await expect(hours).toHaveAttribute('aria-invalid', 'true');
  await expect(form.locator('.field-error')).toHaveText('Valore fuori intervallo: da 1 a 336');
  await expect(hours).toHaveAccessibleDescription(/Valore fuori intervallo: da 1 a 336/);
  await expect(form.getByTestId('appointment-settings-saved')).toHaveCount(0);
  await checkA11y(page, 'appointment-settings-refused-it-desktop');
  // Not a number: said before asking the server.
  await hours.fill('due');
  await save.click();
  await expect(form.locator('.field-error')).toHaveText('Indica un numero intero di ore, o lascia vuoto.');

  await hours.fill('48');
  await save.click();
  await expect(form.getByTestId('appointment-settings-saved')).toHaveText('Salvato: il promemoria parte 48 ore prima dell’appuntamento.');
  await expect(hours).not.toHaveAttribute('aria-invalid', 'true');
  await page.reload();
  await expect(page.getByTestId('appointment-settings').getByLabel('Ore prima dell’appuntamento')).toHaveValue('48');
  await checkA11y(page, 'appointment-settings-it-desktop');

  // The operator's booking form (a person and a case of the operator's own).
  const operator = await api(OPERATOR);
  const person = (
    await operator('mutation($i: PersonInput!) { createPerson(input: $i) { id } }', {
      i: { givenNames: 'Samira', familyNames: 'Sessioni', territoryCode: ISTAT },
    })
  ).createPerson.id as string;
  await operator('mutation($p: ID!) { recordConsent(personId: $p, purpose: CASE_MANAGEMENT, given: true) { given } }', { p: person });
  const caseId = (await operator('mutation($p: ID!) { openCase(personId: $p) { id } }', { p: person })).openCase.id as string;
  const staff = await newPage(browser);
  await signIn(staff.page, OPERATOR);
  const openForm = async () => {
    await staff.page.goto(`/casi/${encodeURIComponent(caseId)}`);
    await staff.page.getByTestId('form-appointment').locator('summary').click();
    return staff.page.getByTestId('appointment-form');
  };
  let booking = await openForm();
  const remind = booking.getByLabel('Promemoria: ore prima');
  await expect(remind).toHaveValue('');
  await expect(remind).toHaveAccessibleDescription('Vuoto: 48 ore prima (impostazione dell’ente); 0: nessun promemoria.');
  await checkA11y(staff.page, 'booking-reminder-default-it-desktop');

  // Left empty: the tenant's 48 hours.
  const day = new Date(Date.now() + 20 * 86_400_000).toISOString().slice(0, 10);
  await booking.getByLabel('Data e ora').fill(`${day}T10:00`);
  await booking.getByRole('button', { name: 'Prenota' }).click();
  await expect(booking.getByTestId('appointment-booked')).toContainText('1');
  const { appointments } = await operator('query($p: ID!) { appointments(first: 10, filter: { personId: $p }) { nodes { startsAt remindAt } } }', { p: person });
  const [booked] = appointments.nodes as { startsAt: string; remindAt: string | null }[];
  expect(booked.remindAt).not.toBeNull();
  const lead = (new Date(booked.startsAt).getTime() - new Date(booked.remindAt!).getTime()) / 3_600_000;
  // 48 hours on the tenant's clock (one more or less across a change of the clocks).
  expect(Math.abs(lead - 48)).toBeLessThanOrEqual(1);

  // No automatic reminder: the hint says so.
  await hours.fill('');
  await page.getByTestId('appointment-settings').getByRole('button', { name: 'Salva i promemoria' }).click();
  await expect(page.getByTestId('appointment-settings-saved')).toHaveText('Salvato: nessun promemoria automatico.');
  booking = await openForm();
  await expect(booking.getByLabel('Promemoria: ore prima')).toHaveAccessibleDescription(
    'Vuoto: nessun promemoria (impostazione dell’ente); indica le ore prima per averne uno.',
  );
  // In Arabic on a phone.
  await staff.page.setViewportSize(PHONE);
  await toArabic(staff.page);
  await expect(booking.getByLabel('تذكير: عدد الساعات قبل الموعد')).toHaveAccessibleDescription(
    'فارغ: بلا تذكير (إعداد الجهة)؛ أدخل عدد الساعات قبل الموعد للحصول على تذكير.',
  );
  await checkA11y(staff.page, 'booking-reminder-none-ar-phone');
  await toItalian(staff.page);
  // Back to one day before.
  await hours.fill('24');
  await page.getByTestId('appointment-settings').getByRole('button', { name: 'Salva i promemoria' }).click();
  await expect(page.getByTestId('appointment-settings-saved')).toHaveText('Salvato: il promemoria parte 24 ore prima dell’appuntamento.');
  await staff.context.close();
  await context.close();
});
