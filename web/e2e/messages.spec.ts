// Messages: a forgotten password (the same answer for any address, a refused address next to its
// field, too many requests said plainly), the page of the reset link (the token leaves the address
// bar; a link not valid is refused with the way to ask again; passwords that differ are refused
// before asking the server), the delivery state of invitations (the e-mail's language chosen by
// the administrator) and of appointment reminders, in Italian and Arabic, on a 390 px phone, with
// axe-core on every new screen. With SPORTELLO_TEST_PYTHON the whole reset goes through a real
// SMTP server: the e-mail arrives, its link sets a new password, every session ends, the new
// password signs in and the link cannot be used twice.
import { expect, type Page } from '@playwright/test';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { OPERATOR, PHONE, api, checkA11y, isolated, newPage, ownTenant, signIn, test, toArabic, toItalian } from './helpers';

test.describe.configure({ mode: 'serial' });

const ISTAT = '052012';
const ADMIN = { email: 'admin@colle-messaggi.example.org', password: 'Colle-Val-Elsa-2026' };
const STAFF = { email: 'operatore@colle-messaggi.example.org', password: 'Cristallo-Colle-2026' };
const UNKNOWN = 'nessuno.messaggi@example.org';

const REQUESTED = 'Se l’indirizzo corrisponde a un account, riceverai un’e-mail con un link valido 30 minuti.';
const REQUESTED_AR = 'إذا كان العنوان يطابق حسابًا، فستتلقى بريدًا إلكترونيًا فيه رابط صالح لمدة 30 دقيقة.';
const TOKEN_REFUSED = 'Il link per la nuova password non è valido (già usato, scaduto o sconosciuto): chiedine un altro';

type Seed = Awaited<ReturnType<typeof ownTenant>> & { desk: string };

/** Colle di Val d'Elsa: a tenant of this spec's own, its administrator and operator. */
async function seed(): Promise<Seed> {
  const tenant = await ownTenant({
    name: 'Comune di Colle di Val d’Elsa (prova messaggi)',
    istat: ISTAT,
    desk: 'Sportello Colle',
    admin: { ...ADMIN, displayName: 'Admin Colle' },
    operator: { ...STAFF, displayName: 'Operatrice Colle' },
  });
  const desk = (await tenant.operator('{ desks(first: 10) { nodes { id } } }')).desks.nodes[0].id as string;
  return { ...tenant, desk };
}

let seeded: Promise<Seed> | null = null;
const ready = () => (seeded ??= seed());

/** The GraphQL requests of `page` whose operation is `name`, as they are sent. */
function sent(page: Page, name: string): string[] {
  const bodies: string[] = [];
  page.on('request', (r) => {
    const body = r.postData() ?? '';
    if (r.url().endsWith('/graphql') && body.includes(name)) bodies.push(body);
  });
  return bodies;
}

async function noOverflow(page: Page, what: string) {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow, `${what} overflows the phone's width`).toBeLessThanOrEqual(0);
}

/** Asks for a reset e-mail for `email` on the forgotten-password page and waits for the answer. */
async function askReset(page: Page, email: string) {
  const form = page.getByTestId('forgot-form');
  await form.getByLabel('E-mail').fill(email);
  await form.getByRole('button', { name: 'Invia il link' }).click();
}

test('a forgotten password: the same answer for an account and for no account, a refused address next to its field, too many requests said plainly', async ({ browser }) => {
  await ready();
  const { page, context } = await newPage(browser);
  const requests = sent(page, 'RequestPasswordReset');
  await page.goto('/accesso');
  await page.getByRole('link', { name: 'Password dimenticata?' }).click();
  await expect(page).toHaveURL(/\/password\/dimenticata$/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Password dimenticata');
  await checkA11y(page, 'forgot-password-it-desktop');

  // Not an e-mail: refused next to the field, nothing asked of the server.
  await askReset(page, 'non-una-mail');
  const email = page.getByTestId('forgot-form').getByLabel('E-mail');
  await expect(email).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByTestId('forgot-form').locator('.field-error')).toHaveText('Indirizzo e-mail non valido');
  await expect(page.getByTestId('reset-requested')).toHaveCount(0);
  expect(requests).toHaveLength(0);
  await checkA11y(page, 'forgot-password-refused-it-desktop');

  // An account of this spec's tenant, then an address with no account: the same words.
  await askReset(page, STAFF.email);
  await expect(page.getByTestId('reset-requested')).toHaveText(REQUESTED);
  const known = await page.locator('main').innerText();
  expect(requests).toHaveLength(1);
  // The e-mail is asked for in the console's language.
  expect(JSON.parse(requests[0]).variables.input).toEqual({ email: STAFF.email, language: 'it' });
  await checkA11y(page, 'forgot-password-requested-it-desktop');
  await page.getByRole('button', { name: 'Usa un altro indirizzo' }).click();
  await askReset(page, UNKNOWN);
  await expect(page.getByTestId('reset-requested')).toHaveText(REQUESTED);
  expect(await page.locator('main').innerText()).toBe(known);
  expect(requests).toHaveLength(2);

  // Three requests an hour for one address: the fourth is refused, in words of the console's own.
  for (let i = 0; i < 2; i++) {
    await page.getByRole('button', { name: 'Usa un altro indirizzo' }).click();
    await askReset(page, UNKNOWN);
    await expect(page.getByTestId('reset-requested')).toBeVisible();
  }
  await page.getByRole('button', { name: 'Usa un altro indirizzo' }).click();
  await askReset(page, UNKNOWN);
  const form = page.getByTestId('forgot-form');
  await expect(form.locator('.alert-danger')).toHaveText(
    'Troppe richieste in poco tempo per questo indirizzo o da questa rete: riprova fra un’ora.',
  );
  await expect(page.getByTestId('reset-requested')).toHaveCount(0);
  await checkA11y(page, 'forgot-password-rate-limited-it-desktop');
  await context.close();
});

test('the reset page takes the token out of the address bar, refuses passwords that differ without asking the server, and a link not valid with the way to ask again', async ({ browser }) => {
  const { page, context } = await newPage(browser);
  const requests = sent(page, 'ResetPassword');
  await page.goto('/password/nuova#token-che-non-esiste');
  const form = page.getByTestId('reset-form');
  await expect(form).toBeVisible();
  // The token is read, then gone from the address (and so from the history).
  await expect(page).toHaveURL(/\/password\/nuova$/);
  expect(await page.evaluate(() => window.location.hash)).toBe('');

  // Passwords that differ: refused on the confirmation, the server not asked.
  await form.getByRole('textbox', { name: 'Nuova password', exact: true }).fill('Torre-Lupo-Colle-2026');
  await form.getByLabel('Conferma la nuova password').fill('Torre-Lupo-Colle-2027');
  await form.getByRole('button', { name: 'Salva la nuova password' }).click();
  const confirm = form.getByLabel('Conferma la nuova password');
  await expect(confirm).toHaveAttribute('aria-invalid', 'true');
  await expect(form.locator('.field-error')).toHaveText('Le due password non coincidono.');
  expect(requests).toHaveLength(0);
  await checkA11y(page, 'reset-password-mismatch-it-desktop');

  // The same passwords: the server refuses the token, said with the way to ask for a new e-mail.
  await confirm.fill('Torre-Lupo-Colle-2026');
  await form.getByRole('button', { name: 'Salva la nuova password' }).click();
  const refused = page.getByTestId('reset-token-refused');
  await expect(refused).toContainText(TOKEN_REFUSED);
  expect(requests).toHaveLength(1);
  expect(JSON.parse(requests[0]).variables.input).toEqual({ token: 'token-che-non-esiste', newPassword: 'Torre-Lupo-Colle-2026' });
  await expect(confirm).not.toHaveAttribute('aria-invalid', 'true');
  await checkA11y(page, 'reset-password-refused-it-desktop');
  await refused.getByRole('link', { name: 'Chiedi una nuova e-mail' }).click();
  await expect(page).toHaveURL(/\/password\/dimenticata$/);
  await expect(page.getByTestId('forgot-form')).toBeVisible();

  // Without a token (the address typed, or reloaded): no form, the way to ask again.
  await page.goto('/password/nuova');
  await expect(page.getByTestId('reset-form')).toHaveCount(0);
  const missing = page.getByTestId('reset-no-token');
  await expect(missing).toContainText('Il link non è completo');
  await expect(missing.getByRole('link', { name: 'Chiedi una nuova e-mail' })).toHaveAttribute('href', '/password/dimenticata');
  await checkA11y(page, 'reset-password-no-token-it-desktop');
  await context.close();
});

test('on a phone in Arabic: both password pages right to left, in Arabic, within the width', async ({ browser }) => {
  await ready();
  const { page, context } = await newPage(browser, PHONE);
  const requests = sent(page, 'RequestPasswordReset');
  await page.goto('/accesso');
  await toArabic(page);
  await page.getByRole('link', { name: 'نسيت كلمة المرور؟' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('نسيت كلمة المرور');
  await noOverflow(page, 'the forgotten-password page');
  await checkA11y(page, 'forgot-password-ar-phone');
  const form = page.getByTestId('forgot-form');
  await form.getByLabel('البريد الإلكتروني').fill('non-una-mail');
  await form.getByRole('button', { name: 'أرسل الرابط' }).click();
  await expect(form.locator('.field-error')).toHaveText('عنوان بريد إلكتروني غير صالح');
  await form.getByLabel('البريد الإلكتروني').fill(STAFF.email);
  await form.getByRole('button', { name: 'أرسل الرابط' }).click();
  await expect(page.getByTestId('reset-requested')).toHaveText(REQUESTED_AR);
  // The e-mail is asked for in Arabic, the console's language now.
  expect(JSON.parse(requests[0]).variables.input.language).toBe('ar');
  await noOverflow(page, 'the forgotten-password confirmation');
  await checkA11y(page, 'forgot-password-requested-ar-phone');

  await page.goto('/password/nuova#token-arabo-che-non-esiste');
  await expect(page.locator('html')).toHaveAttribute('dir', 'rtl');
  const reset = page.getByTestId('reset-form');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('اختر كلمة مرور جديدة');
  await reset.getByRole('textbox', { name: 'كلمة المرور الجديدة', exact: true }).fill('Torre-Lupo-Colle-2026');
  await reset.getByLabel('تأكيد كلمة المرور الجديدة').fill('Torre-Lupo-Colle-2026');
  await reset.getByRole('button', { name: 'احفظ كلمة المرور الجديدة' }).click();
  const refused = page.getByTestId('reset-token-refused');
  await expect(refused).toContainText('رابط كلمة المرور الجديدة غير صالح');
  await expect(refused.getByRole('link', { name: 'اطلب بريدًا إلكترونيًا جديدًا' })).toBeVisible();
  await noOverflow(page, 'the reset page with its refusal');
  await checkA11y(page, 'reset-password-refused-ar-phone');
  await toItalian(page);
  await context.close();
});

test('an administrator invites in Arabic: the invitation e-mail is in Arabic and waits to be sent (no SMTP server here)', async ({ browser }) => {
  const { admin } = await ready();
  const { page, context } = await newPage(browser);
  await signIn(page, ADMIN);
  await page.goto('/configurazione?passo=staff');
  const invite = page.getByTestId('invite-form');
  const language = invite.getByLabel('Lingua dell’e-mail');
  await expect(language).toHaveValue('it');
  await expect(language.locator('option')).toHaveText(['Italiano', 'Inglese', 'Francese', 'Arabo', 'Rumeno']);
  const invitee = 'mediatrice@colle-messaggi.example.org';
  await invite.getByRole('textbox', { name: 'E-mail' }).fill(invitee);
  await language.selectOption({ label: 'Arabo' });
  await invite.getByRole('button', { name: 'Crea l’invito' }).click();
  await expect(page.getByTestId('invitation-issued')).toContainText(invitee);

  const item = page.getByTestId('pending-invitations').locator(':scope > li').filter({ hasText: invitee });
  const delivery = item.getByTestId('invitation-delivery');
  await expect(delivery).toHaveAttribute('data-status', 'pending');
  await expect(delivery).toContainText('In attesa di invio');
  await expect(delivery).toContainText('in arabo');
  // What the list says is what the server has: one e-mail, in Arabic, not sent.
  const { invitations } = await admin('{ invitations(first: 100, pendingOnly: true) { nodes { email deliveries { channel status language sentAt } } } }');
  const found = invitations.nodes.find((i: { email: string }) => i.email === invitee);
  expect(found.deliveries).toEqual([{ channel: 'EMAIL', status: 'PENDING', language: 'ar', sentAt: null }]);
  await checkA11y(page, 'invitation-delivery-it-desktop');

  await page.setViewportSize(PHONE);
  await toArabic(page);
  await expect(delivery).toContainText('في انتظار الإرسال');
  await expect(delivery).toContainText('بالعربية');
  await expect(page.getByTestId('invite-form').getByLabel('لغة البريد الإلكتروني').locator('option')).toHaveText([
    'الإيطالية',
    'الإنجليزية',
    'الفرنسية',
    'العربية',
    'الرومانية',
  ]);
  await noOverflow(page, 'the staff step');
  await checkA11y(page, 'invitation-delivery-ar-phone');
  await toItalian(page);
  await context.close();
});

test('appointment reminders: a warning when booking one the person cannot receive, and each reminder’s state once due', async ({ browser }) => {
  const { operator, desk } = await ready();
  const person = async (givenNames: string, extra: Record<string, unknown>, contact: boolean) => {
    const id = (
      await operator('mutation($i: PersonInput!) { createPerson(input: $i) { id } }', {
        i: { givenNames, familyNames: 'Promemoria', territoryCode: ISTAT, ...extra },
      })
    ).createPerson.id as string;
    await operator('mutation($p: ID!) { recordConsent(personId: $p, purpose: CASE_MANAGEMENT, given: true) { given } }', { p: id });
    if (contact) await operator('mutation($p: ID!) { recordConsent(personId: $p, purpose: CONTACT_BY_MESSAGE, given: true) { given } }', { p: id });
    const caseId = (await operator('mutation($p: ID!) { openCase(personId: $p) { id } }', { p: id })).openCase.id as string;
    return { id, caseId };
  };
  // A few hours from now (one desk: each its own hour), with a reminder 24 hours before: due at once.
  const soon = async (p: { id: string; caseId: string }, hours: number) => {
    const startsAt = new Date(Math.ceil(Date.now() / 3_600_000) * 3_600_000 + hours * 3_600_000).toISOString();
    await operator('mutation($i: BookAppointmentInput!) { bookAppointment(input: $i) { id } }', {
      i: { deskId: desk, personId: p.id, caseId: p.caseId, startsAt, durationMinutes: 30, occurrences: 1, remindHoursBefore: 24 },
    });
  };
  const noConsent = await person('Nadia', { email: 'nadia.promemoria@example.org' }, false);
  const noContact = await person('Omar', {}, true);
  const reachable = await person('Leila', { email: 'leila.promemoria@example.org' }, true);
  for (const [i, p] of [noConsent, noContact, reachable].entries()) await soon(p, 3 + i);

  const { page, context } = await newPage(browser);
  await signIn(page, STAFF);
  /** The reminder state of the case's first appointment, once the server has dealt with it. */
  const stateOnceDue = async (caseId: string, state: string, text: string) => {
    await page.goto(`/casi/${encodeURIComponent(caseId)}`);
    const reminder = page.getByTestId('appointments').locator(':scope > li').first().getByTestId('reminder-state');
    // The reminder task passes every 5 seconds: reload until it has.
    await expect(async () => {
      await page.reload();
      await expect(reminder).toHaveAttribute('data-state', state, { timeout: 3_000 });
    }).toPass({ timeout: 60_000 });
    await expect(reminder).toHaveText(text);
  };

  await stateOnceDue(noContact.caseId, 'no_contact', 'Promemoria non inviato: nessun recapito (e-mail o telefono)');
  await stateOnceDue(reachable.caseId, 'pending', 'Promemoria in attesa di invio per e-mail');
  await stateOnceDue(noConsent.caseId, 'no_consent', 'Promemoria non inviato: la persona non ha dato il consenso ai messaggi');
  await checkA11y(page, 'reminder-state-it-desktop');

  // Booking another for the person without consent: the form warns while a reminder is asked for,
  // also by leaving the hours empty (the tenant's default, 24 hours before); 0 asks for none.
  await page.getByTestId('form-appointment').locator('summary').click();
  const form = page.getByTestId('appointment-form');
  const warning = form.getByTestId('reminder-warning');
  await expect(form.getByLabel('Promemoria: ore prima')).toHaveValue('');
  await expect(warning).toHaveText(
    'La persona non ha dato il consenso al contatto via messaggio: il promemoria non sarà inviato. Se lo dà, registralo tra i consensi.',
  );
  await form.getByLabel('Promemoria: ore prima').fill('0');
  await expect(warning).toHaveCount(0);
  await form.getByLabel('Promemoria: ore prima').fill('24');
  await expect(warning).toBeVisible();
  await form.getByLabel('Promemoria: ore prima').fill('');
  await expect(warning).toBeVisible();
  await checkA11y(page, 'reminder-warning-it-desktop');
  // A reminder not yet due: when it will be.
  const day = new Date(Date.now() + 60 * 86_400_000).toISOString().slice(0, 10);
  await form.getByLabel('Data e ora').fill(`${day}T10:00`);
  await form.getByRole('button', { name: 'Prenota' }).click();
  await expect(form.getByTestId('appointment-booked')).toContainText('1');
  const later = page.getByTestId('appointments').locator(':scope > li').nth(1).getByTestId('reminder-state');
  await expect(later).toHaveAttribute('data-state', 'due');
  // The time the server set, on the tenant's clock (Italian elides «il» before 8 and 11).
  const { appointments } = await operator('query($p: ID!) { appointments(first: 10, filter: { personId: $p }) { nodes { startsAt remindAt } } }', {
    p: noConsent.id,
  });
  const remindAt = appointments.nodes.find((a: { startsAt: string }) => a.startsAt.startsWith(day)).remindAt as string;
  const shown = new Intl.DateTimeFormat('it-IT', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'Europe/Rome' }).format(new Date(remindAt));
  await expect(later).toHaveText(`Promemoria previsto ${/^(8|11(?!\d))/.test(shown) ? 'l’' : 'il '}${shown}`);

  // Once the person consents, the warning goes.
  await page.getByRole('button', { name: 'Contatto via messaggio: Registra il consenso' }).click();
  await expect(warning).toHaveCount(0);

  // In Arabic on a phone.
  await page.setViewportSize(PHONE);
  await toArabic(page);
  await expect(page.getByTestId('appointments').locator(':scope > li').first().getByTestId('reminder-state')).toHaveText(
    'لم يُرسل التذكير: لم يوافق الشخص على تلقي الرسائل',
  );
  await noOverflow(page, 'the appointments with their reminders');
  await checkA11y(page, 'reminder-state-ar-phone');
  await toItalian(page);
  await context.close();
});

// --- The whole reset through a real SMTP server (aiosmtpd), on the server of server.ts that
// delivers to it. --------------------------------------------------------------------------------

/** A message of the Maildir: its headers (lower-case names) and the text of its plain part. */
type Mail = { headers: Record<string, string>; text: string };

function splitMessage(raw: string): { head: string; body: string } {
  const at = raw.search(/\r?\n\r?\n/);
  if (at < 0) return { head: raw, body: '' };
  return { head: raw.slice(0, at), body: raw.slice(at).replace(/^\r?\n\r?\n/, '') };
}

function headersOf(head: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of head.replace(/\r?\n[ \t]+/g, ' ').split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon > 0) out[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return out;
}

/** A body in its transfer encoding (base64, quoted-printable or none), as UTF-8 text. */
function decodeBody(body: string, encoding: string | undefined): string {
  const kind = (encoding ?? '').toLowerCase();
  if (kind === 'base64') return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
  if (kind === 'quoted-printable') {
    const soft = body.replace(/=\r?\n/g, '');
    const bytes: number[] = [];
    for (let i = 0; i < soft.length; i++) {
      const hex = soft.slice(i + 1, i + 3);
      if (soft[i] === '=' && /^[0-9A-Fa-f]{2}$/.test(hex)) {
        bytes.push(parseInt(hex, 16));
        i += 2;
      } else {
        bytes.push(...Buffer.from(soft[i], 'utf8'));
      }
    }
    return Buffer.from(bytes).toString('utf8');
  }
  return body;
}

function parseMail(raw: string): Mail {
  const { head, body } = splitMessage(raw);
  const headers = headersOf(head);
  const boundary = /boundary="?([^";]+)"?/i.exec(headers['content-type'] ?? '')?.[1];
  if (!boundary) return { headers, text: decodeBody(body, headers['content-transfer-encoding']) };
  for (const part of body.split(`--${boundary}`)) {
    const { head: partHead, body: partBody } = splitMessage(part.replace(/^\r?\n/, ''));
    const partHeaders = headersOf(partHead);
    if ((partHeaders['content-type'] ?? '').toLowerCase().startsWith('text/plain')) {
      return { headers, text: decodeBody(partBody, partHeaders['content-transfer-encoding']) };
    }
  }
  return { headers, text: '' };
}

/** The messages delivered to `to` so far. */
function mailsTo(maildir: string, to: string): Mail[] {
  const dir = join(maildir, 'new');
  let files: string[];
  try {
    files = readdirSync(dir);
  } catch {
    return [];
  }
  return files
    .map((f) => parseMail(readFileSync(join(dir, f), 'utf8')))
    .filter((m) => (m.headers['x-rcptto'] ?? m.headers.to ?? '').toLowerCase().includes(to.toLowerCase()));
}

test('the reset e-mail arrives with its link: a password the rules refuse is named, a good one is set, every session ends, the new password signs in, the link works once', async ({ browser }) => {
  // Required, not optional: scripts/test prepares this Python, and without it nothing here is tested.
  expect(process.env.SPORTELLO_TEST_PYTHON, 'SPORTELLO_TEST_PYTHON must name a Python with aiosmtpd (scripts/test sets it)').toBeTruthy();
  const base = process.env.SPORTELLO_MAIL_URL ?? '';
  const maildir = process.env.SPORTELLO_MAILDIR ?? '';
  expect(base, 'the global setup starts the server with e-mail when SPORTELLO_TEST_PYTHON is set').not.toBe('');
  const linkOf = (m: Mail) => /https?:\/\/\S+\/password\/nuova#[A-Za-z0-9_-]+/.exec(m.text)?.[0];
  const resets = () => mailsTo(maildir, OPERATOR.email).filter((m) => linkOf(m));
  const before = resets().length;

  // Signed in in two browsers: both sessions end with the reset.
  const other = await newPage(browser, undefined, undefined, base);
  await signIn(other.page, OPERATOR);
  const { page, context } = await newPage(browser, undefined, undefined, base);
  await signIn(page, OPERATOR);
  await page.goto('/password/dimenticata');
  await askReset(page, OPERATOR.email);
  await expect(page.getByTestId('reset-requested')).toHaveText(REQUESTED);

  // The e-mail, in Italian (the console's language), with the link to this server.
  await expect.poll(() => resets().length, { timeout: 30_000, message: 'the reset e-mail reaches the SMTP server' }).toBe(before + 1);
  const mail = resets()[before];
  expect(mail.headers['content-language']).toBe('it');
  const link = linkOf(mail) ?? '';
  expect(link.startsWith(`${base}/password/nuova#`)).toBe(true);

  await page.goto(link);
  const form = page.getByTestId('reset-form');
  await expect(form).toBeVisible();
  await expect(page).toHaveURL(`${base}/password/nuova`);
  // A password the rules refuse: named next to its field; the link stays good.
  await form.getByRole('textbox', { name: 'Nuova password', exact: true }).fill('corta');
  await form.getByLabel('Conferma la nuova password').fill('corta');
  await form.getByRole('button', { name: 'Salva la nuova password' }).click();
  await expect(form.getByRole('textbox', { name: 'Nuova password', exact: true })).toHaveAttribute('aria-invalid', 'true');
  await expect(form.locator('.field-error')).toHaveText('La password deve avere almeno 12 caratteri');
  await expect(page.getByTestId('reset-token-refused')).toHaveCount(0);
  await checkA11y(page, 'reset-password-rules-it-desktop');

  const fresh = 'Nuova-Elsa-Fiume-2027';
  await form.getByRole('textbox', { name: 'Nuova password', exact: true }).fill(fresh);
  await form.getByLabel('Conferma la nuova password').fill(fresh);
  await form.getByRole('button', { name: 'Salva la nuova password' }).click();
  const done = page.getByTestId('password-reset-done');
  await expect(done).toContainText('Password cambiata.');
  // This browser's session is over (the header has no sign-out), and so is the other's.
  await expect(page.getByRole('button', { name: 'Esci' })).toHaveCount(0);
  await checkA11y(page, 'reset-password-done-it-desktop');
  await other.page.goto('/casi');
  await expect(other.page).toHaveURL(/\/accesso$/);
  await other.context.close();

  // The old password no longer signs in; the new one does.
  const client = await api(undefined, base);
  await expect(client('mutation($e: String!, $p: String!) { login(input: {email: $e, password: $p}) { csrfToken } }', { e: OPERATOR.email, p: OPERATOR.password })).rejects.toThrow(
    /UNAUTHENTICATED|WRONG_CREDENTIALS/,
  );
  await done.getByRole('link', { name: 'Accedi' }).click();
  await expect(page).toHaveURL(/\/accesso$/);
  await signIn(page, { email: OPERATOR.email, password: fresh });

  // The link works once.
  await page.goto(link);
  await form.getByRole('textbox', { name: 'Nuova password', exact: true }).fill('Ancora-Un-Altra-2027');
  await form.getByLabel('Conferma la nuova password').fill('Ancora-Un-Altra-2027');
  await form.getByRole('button', { name: 'Salva la nuova password' }).click();
  await expect(page.getByTestId('reset-token-refused')).toContainText(TOKEN_REFUSED);
  await context.close();
});

test('the invitation e-mail’s link opens the acceptance page in the language the administrator chose', async ({ browser }) => {
  expect(process.env.SPORTELLO_TEST_PYTHON, 'SPORTELLO_TEST_PYTHON must name a Python with aiosmtpd (scripts/test sets it)').toBeTruthy();
  const base = process.env.SPORTELLO_MAIL_URL ?? '';
  const maildir = process.env.SPORTELLO_MAILDIR ?? '';
  expect(base).not.toBe('');
  const admin = await api({ email: 'admin@demo.sportello.it', password: 'Via-Francigena-2026' }, base);
  const invitee = 'mediatore.rumeno@example.org';
  await admin('mutation($i: InviteUserInput!) { inviteUser(input: $i) { token } }', { i: { email: invitee, roles: ['OPERATOR'], language: 'ro' } });
  await expect.poll(() => mailsTo(maildir, invitee).length, { timeout: 30_000, message: 'the invitation e-mail reaches the SMTP server' }).toBe(1);
  const mail = mailsTo(maildir, invitee)[0];
  expect(mail.headers['content-language']).toBe('ro');
  const link = /https?:\/\/\S+\/invito#[A-Za-z0-9_-]+/.exec(mail.text)?.[0] ?? '';
  expect(link.startsWith(`${base}/invito#`)).toBe(true);

  // The administrator's list says it was sent.
  const { page, context } = await newPage(browser, undefined, undefined, base);
  await signIn(page, { email: 'admin@demo.sportello.it', password: 'Via-Francigena-2026' });
  await page.goto('/configurazione?passo=staff');
  const delivery = page.getByTestId('pending-invitations').locator(':scope > li').filter({ hasText: invitee }).getByTestId('invitation-delivery');
  await expect(delivery).toHaveAttribute('data-status', 'sent');
  await expect(delivery).toContainText(/E-mail inviata (il |l’)\d/);
  await expect(delivery).toContainText('in rumeno');
  await context.close();

  // The link, opened signed out: the acceptance form of a new account.
  const invited = await newPage(browser, undefined, undefined, base);
  await invited.page.goto(link);
  await expect(invited.page.getByTestId('accept-form')).toBeVisible();
  await expect(invited.page.getByTestId('invitation-refused')).toHaveCount(0);
  await expect(invited.page.getByTestId('accept-form').getByLabel('Nome e cognome')).toBeVisible();
  await invited.context.close();
});
