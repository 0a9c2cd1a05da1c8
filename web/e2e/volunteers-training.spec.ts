// Training: staff create a course with its sessions, change one and cancel another with a reason
// after confirming (the calendar shows every session of the period, cancelled ones marked, whatever
// courses are listed), enrol a volunteer of the register and named
// people (beyond the places they wait; a withdrawal frees the place for the first waiting), take
// attendance on a tablet, and issue the certificate of the participant who completed; its PDF
// downloads, the volunteer finds it among their courses, and the public verification page
// confirms its code (in Italian and in Arabic, on a phone too) and refuses a forged one. A second
// tenant sees nothing of the course. axe-core on every screen.
import { readFileSync } from 'node:fs';
import { expect, type Page } from '@playwright/test';
import { test, PHONE, api, checkA11y, confirmDialog, newPage, ownTenant, screenshot, signIn, tick, toArabic } from './helpers';

test.describe.configure({ mode: 'serial' });

const TABLET = { width: 768, height: 1024 };
const ALPHA = {
  admin: { email: 'admin@vinci-formazione.example.org', password: 'Vinci-Leonardo-2026', displayName: 'Admin Vinci' },
  operator: { email: 'operatore@vinci-formazione.example.org', password: 'Elsa-Torre-Vinci-2026', displayName: 'Operatore Vinci' },
};
const BETA = {
  admin: { email: 'admin@capraia-formazione.example.org', password: 'Capraia-Limite-2026', displayName: 'Admin Capraia' },
  operator: { email: 'operatore@capraia-formazione.example.org', password: 'Arno-Fiume-Capraia-2026', displayName: 'Operatore Capraia' },
};
const VOLUNTEER = { email: 'amina.diallo@vinci.example.org', password: 'Mulino-Anchiano-2026' };
const COURSE = 'Accoglienza e ascolto allo sportello';
const WORKSHOP = 'Laboratorio di co-progettazione del quartiere';
const OPEN_COURSE = 'Primo soccorso di base';

/** A local day on the Rome clock, `YYYY-MM-DD`, `days` from today. */
function romeDay(days = 0, from = Date.now()): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Rome', year: 'numeric', month: '2-digit', day: '2-digit' }).format(
    new Date(from + days * 86_400_000),
  );
}

type Seed = { workshopStart: number; openStart: number; betaCourse: string };

/**
 * Vinci (Alpha) with an active volunteer, Amina Diallo, who accepted her invitation, and a
 * co-design workshop for citizens with a session tomorrow; Capraia e Limite (Beta), a second
 * tenant with a course of its own.
 */
async function seed(): Promise<Seed> {
  const alpha = await ownTenant({ name: 'Comune di Vinci (prova formazione)', istat: '048050', desk: 'Sportello Vinci', ...ALPHA });
  const beta = await ownTenant({ name: 'Comune di Capraia e Limite (prova formazione)', istat: '048008', desk: 'Sportello Capraia', ...BETA });
  const today = romeDay();
  const added = (
    await alpha.admin('mutation($i: AddVolunteerInput!) { addVolunteer(input: $i) { id version } }', {
      i: {
        volunteer: { givenNames: 'Amina', familyNames: 'Diallo', email: VOLUNTEER.email, territories: ['048050'] },
        conductSignedOn: today,
        dataConsentOn: today,
      },
    })
  ).addVolunteer;
  const status = 'mutation($i: SetVolunteerStatusInput!) { setVolunteerStatus(input: $i) { version invitationToken } }';
  const review = (await alpha.admin(status, { i: { id: added.id, status: 'UNDER_REVIEW', expectedVersion: added.version } })).setVolunteerStatus;
  const active = (await alpha.admin(status, { i: { id: added.id, status: 'ACTIVE', expectedVersion: review.version } })).setVolunteerStatus;
  expect(active.invitationToken).toBeTruthy();
  const volunteer = await api();
  await volunteer('mutation($t: String!, $p: String!, $n: String) { acceptInvitation(input: {token: $t, password: $p, displayName: $n}) { csrfToken } }', {
    t: active.invitationToken,
    p: VOLUNTEER.password,
    n: 'Amina Diallo',
  });

  // Tomorrow at a whole hour, 26 hours from now at least.
  const workshopStart = Math.ceil((Date.now() + 26 * 3_600_000) / 3_600_000) * 3_600_000;
  const courseInput = 'mutation($i: CourseInput!) { createCourse(input: $i) { id } }';
  const workshop = (
    await alpha.operator(courseInput, {
      i: { kind: 'WORKSHOP', title: WORKSHOP, audience: 'CITIZENS', plannedMinutes: 90, trainer: 'Chiara Lotti', capacity: 30 },
    })
  ).createCourse.id;
  await alpha.operator('mutation($i: AddCourseSessionInput!) { addCourseSession(input: $i) { id } }', {
    i: {
      courseId: workshop,
      startsAt: new Date(workshopStart).toISOString(),
      endsAt: new Date(workshopStart + 2 * 3_600_000).toISOString(),
      place: 'Biblioteca comunale',
    },
  });
  const openCourse = (
    await alpha.operator(courseInput, {
      i: { kind: 'COURSE', title: OPEN_COURSE, audience: 'VOLUNTEERS', plannedMinutes: 180, trainer: 'Croce Verde', capacity: 10 },
    })
  ).createCourse.id;
  // The course open to volunteers meets two days after the workshop, in the evening.
  const openStart = workshopStart + 2 * 86_400_000;
  await alpha.operator('mutation($i: AddCourseSessionInput!) { addCourseSession(input: $i) { id } }', {
    i: {
      courseId: openCourse,
      startsAt: new Date(openStart).toISOString(),
      endsAt: new Date(openStart + 3 * 3_600_000).toISOString(),
      place: 'Sede della Croce Verde',
    },
  });
  const betaCourse = (
    await beta.operator(courseInput, {
      i: { kind: 'COURSE', title: 'Corso di Capraia', audience: 'OPERATORS', plannedMinutes: 60, trainer: 'Paolo Neri', capacity: 5 },
    })
  ).createCourse.id;
  return { workshopStart, openStart, betaCourse };
}

let seeded: Promise<Seed> | null = null;
const ready = () => (seeded ??= seed());

// Shared by the tests, in order.
let courseUrl = '';
let code = '';

/** The participant's line on the course page. */
function participant(page: Page, name: string) {
  return page.getByTestId('enrolment').filter({ hasText: name });
}

test('staff create a course with its sessions, change one and cancel another with a reason, see the calendar, enrol participants with a waiting list and withdraw one after confirming', async ({ browser }) => {
  const { workshopStart } = await ready();
  // The browser believes it is in New York: dates and times typed and shown are on the tenant's clock.
  const { page, context } = await newPage(browser, { width: 1280, height: 900 }, 'America/New_York');
  await signIn(page, ALPHA.operator);
  await page.getByRole('navigation').getByRole('link', { name: 'Formazione' }).click();
  await expect(page).toHaveURL(/\/formazione$/);
  await expect(page.getByRole('heading', { level: 1, name: 'Formazione' })).toBeVisible();
  await expect(page.getByTestId('course-item').filter({ hasText: WORKSHOP })).toContainText('Laboratorio di co-progettazione');
  // Hours in the console's number format and plural: an hour and a half, three hours.
  await expect(page.getByTestId('course-item').filter({ hasText: WORKSHOP })).toContainText('Cittadini · 1,5 ore ·');
  await expect(page.getByTestId('course-item').filter({ hasText: OPEN_COURSE })).toContainText('Volontari · 3 ore ·');

  // The calendar shows tomorrow's workshop at its Rome time, in the month view.
  const calendar = page.getByTestId('training-calendar');
  await calendar.getByRole('button', { name: 'Mese' }).click();
  if (romeDay(0).slice(0, 7) !== romeDay(0, workshopStart).slice(0, 7)) await calendar.getByRole('button', { name: 'Mese successivo →' }).click();
  const romeTime = new Intl.DateTimeFormat('it-IT', { timeStyle: 'short', timeZone: 'Europe/Rome' }).format(new Date(workshopStart));
  await expect(calendar.getByTestId('calendar-session').filter({ hasText: WORKSHOP })).toContainText(romeTime);
  await checkA11y(page, 'training-courses');

  // By kind: the co-design workshops only.
  const filters = page.getByTestId('course-filters');
  await expect(page.getByTestId('course-item')).toHaveCount(2);
  await filters.getByLabel('Tipo').selectOption('WORKSHOP');
  await expect(page.getByTestId('course-item')).toHaveCount(1);
  await expect(page.getByTestId('course-item')).toContainText(WORKSHOP);
  await filters.getByLabel('Destinatari').selectOption('VOLUNTEERS');
  await expect(page.getByTestId('empty-state')).toContainText('Nessun corso');
  await filters.getByLabel('Tipo').selectOption('');
  await expect(page.getByTestId('course-item')).toHaveCount(1);
  await expect(page.getByTestId('course-item')).toContainText(OPEN_COURSE);
  // The calendar is not limited to the courses listed: the workshop's session is still there.
  await calendar.getByRole('button', { name: 'Oggi' }).click();
  await calendar.getByRole('button', { name: 'Mese', exact: true }).click();
  if (romeDay(0).slice(0, 7) !== romeDay(0, workshopStart).slice(0, 7)) await calendar.getByRole('button', { name: 'Mese successivo →' }).click();
  await expect(calendar.getByTestId('calendar-session').filter({ hasText: WORKSHOP })).toContainText(romeTime);
  await filters.getByLabel('Destinatari').selectOption('');
  await expect(page.getByTestId('course-item')).toHaveCount(2);

  // An empty course: every required field is named at once, in the browser (nothing is sent);
  // each is marked with its asterisk, and the names are capped at the API's 200 characters.
  await page.getByTestId('new-course').click();
  const form = page.getByTestId('course-form');
  const sent: string[] = [];
  const watch = (r: import('@playwright/test').Request) => {
    if (r.url().endsWith('/graphql') && /CreateCourse/.test(r.postData() ?? '')) sent.push(r.postData() ?? '');
  };
  page.on('request', watch);
  await form.getByRole('button', { name: 'Crea' }).click();
  const title = form.getByLabel('Titolo');
  for (const name of ['Titolo', 'Formatore o formatrice', 'Durata prevista (ore)', 'Posti']) {
    await expect(form.getByLabel(name), name).toHaveAttribute('aria-invalid', 'true');
  }
  await expect(form.locator('.field-error')).toHaveCount(4);
  for (const name of ['Tipo', 'Destinatari', 'Titolo', 'Formatore o formatrice', 'Durata prevista (ore)', 'Posti', 'Frequenza minima (%)']) {
    await expect(form.locator('label').filter({ hasText: name }).first(), `${name} is marked required`).toContainText('*');
  }
  await expect(title).toHaveAttribute('maxlength', '200');
  await expect(form.getByLabel('Formatore o formatrice')).toHaveAttribute('maxlength', '200');
  expect(sent).toEqual([]);
  page.off('request', watch);
  await checkA11y(page, 'training-new-course-errors');
  // Two numbers out of range: the server names both fields in one answer.
  await title.fill(COURSE);
  await form.getByLabel('Formatore o formatrice').fill('Laura Bini');
  await form.getByLabel('Durata prevista (ore)').fill('4');
  await form.getByLabel('Posti').fill('0');
  await form.getByLabel('Frequenza minima (%)').fill('101');
  await form.getByRole('button', { name: 'Crea' }).click();
  await expect(form.getByLabel('Posti')).toHaveAttribute('aria-invalid', 'true');
  await expect(form.getByLabel('Frequenza minima (%)')).toHaveAttribute('aria-invalid', 'true');
  await expect(title).not.toHaveAttribute('aria-invalid', 'true');
  await form.getByLabel('Tipo').selectOption('COURSE');
  await form.getByLabel('Destinatari').selectOption('VOLUNTEERS');
  await title.fill(COURSE);
  await form.getByLabel('Formatore o formatrice').fill('Laura Bini');
  await form.getByLabel('Durata prevista (ore)').fill('4');
  await form.getByLabel('Posti').fill('1');
  await form.getByLabel('Frequenza minima (%)').fill('75');
  await form.getByRole('button', { name: 'Crea' }).click();
  await expect(page.getByRole('heading', { level: 1, name: COURSE })).toBeVisible();
  courseUrl = new URL(page.url()).pathname;
  expect(courseUrl).toMatch(/^\/formazione\/[^/]+$/);
  await expect(page.getByTestId('course-details')).toContainText('almeno il 75% degli incontri svolti');

  // A session with nothing filled in: the day, both times and the place, all at once.
  await page.getByTestId('add-session').click();
  const reversed = page.getByTestId('session-form');
  await reversed.getByLabel('Giorno').fill('');
  await reversed.getByRole('button', { name: 'Aggiungi un incontro' }).click();
  for (const name of ['Giorno', 'Dalle', /^Alle/, 'Luogo']) {
    await expect(reversed.getByLabel(name), String(name)).toHaveAttribute('aria-invalid', 'true');
  }
  await expect(reversed.locator('.field-error')).toHaveCount(4);
  await expect(reversed.getByLabel('Luogo')).toHaveAttribute('maxlength', '500');
  await expect(reversed.locator('label').filter({ hasText: 'Giorno' })).toContainText('*');
  await reversed.getByLabel('Giorno').fill(romeDay(0));
  // Times the wrong way round are named next to the end time.
  await reversed.getByLabel('Dalle').fill('12:00');
  await reversed.getByLabel(/^Alle/).fill('10:00');
  await reversed.getByLabel('Luogo').fill('Sala civica, piazza Leonardo');
  await reversed.getByRole('button', { name: 'Aggiungi un incontro' }).click();
  await expect(reversed.getByLabel(/^Alle/)).toHaveAttribute('aria-invalid', 'true');
  await expect(reversed).toContainText('Il periodo inizia dopo la sua fine');
  await expect(reversed.getByLabel('Dalle')).not.toHaveAttribute('aria-invalid', 'true');
  await checkA11y(page, 'training-session-errors');

  // Two sessions, the day before yesterday and yesterday, 10:00–12:00 on the Rome clock.
  for (const day of [romeDay(-2), romeDay(-1)]) {
    if (day !== romeDay(-2)) await page.getByTestId('add-session').click();
    const s = page.getByTestId('session-form');
    await s.getByLabel('Giorno').fill(day);
    await s.getByLabel('Dalle').fill('10:00');
    await s.getByLabel(/^Alle/).fill('12:00');
    await s.getByLabel('Luogo').fill('Sala civica, piazza Leonardo');
    await s.getByRole('button', { name: 'Aggiungi un incontro' }).click();
    await expect(s).toBeHidden();
  }
  const sessions = page.getByTestId('session');
  await expect(sessions).toHaveCount(2);
  for (const s of await sessions.all()) {
    await expect(s).toContainText('10:00–12:00');
    await expect(s).toContainText('Presenze da registrare');
  }

  // A third session tomorrow, then moved to the afternoon in another room, at the version read.
  await page.getByTestId('add-session').click();
  const third = page.getByTestId('session-form');
  await third.getByLabel('Giorno').fill(romeDay(1));
  await third.getByLabel('Dalle').fill('09:00');
  await third.getByLabel(/^Alle/).fill('10:00');
  await third.getByLabel('Luogo').fill('Sala civica, piazza Leonardo');
  await third.getByRole('button', { name: 'Aggiungi un incontro' }).click();
  await expect(third).toBeHidden();
  await expect(sessions).toHaveCount(3);
  const tomorrow = sessions.nth(2);
  await tomorrow.getByRole('button', { name: /Modifica l’incontro del/ }).click();
  const edit = page.getByTestId('session-edit-form');
  await expect(edit.getByLabel('Giorno')).toHaveValue(romeDay(1));
  await expect(edit.getByLabel('Dalle')).toHaveValue('09:00');
  // Times the wrong way round are refused next to the end time, as for a new session.
  await edit.getByLabel(/^Alle/).fill('08:00');
  await edit.getByRole('button', { name: 'Salva l’incontro' }).click();
  await expect(edit.getByLabel(/^Alle/)).toHaveAttribute('aria-invalid', 'true');
  await checkA11y(page, 'training-session-edit-errors');
  await edit.getByLabel('Dalle').fill('15:00');
  await edit.getByLabel(/^Alle/).fill('17:00');
  await edit.getByLabel('Luogo').fill('Biblioteca Leonardiana');
  await edit.getByRole('button', { name: 'Salva l’incontro' }).click();
  await expect(edit).toBeHidden();
  await expect(tomorrow).toContainText('15:00–17:00');
  await expect(tomorrow).toContainText('Biblioteca Leonardiana');

  // Someone else changes the session while the form is open: the save is refused, saying to reload.
  await tomorrow.getByRole('button', { name: /Modifica l’incontro del/ }).click();
  const other = await api(ALPHA.operator);
  const openedCourse = decodeURIComponent(courseUrl.split('/').pop()!);
  const latest = (
    await other('query($id: ID!) { node(id: $id) { ... on Course { sessions { id version place onlineUrl startsAt endsAt } } } }', { id: openedCourse })
  ).node.sessions[2];
  await other('mutation($i: UpdateCourseSessionInput!) { updateCourseSession(input: $i) { version } }', {
    i: { id: latest.id, expectedVersion: latest.version, startsAt: latest.startsAt, endsAt: latest.endsAt, place: 'Biblioteca Leonardiana, sala 2' },
  });
  await page.getByTestId('session-edit-form').getByLabel('Luogo').fill('Sala consiliare');
  await page.getByTestId('session-edit-form').getByRole('button', { name: 'Salva l’incontro' }).click();
  await expect(page.getByTestId('session-edit-form')).toContainText('ricarica la pagina e riprova');
  await page.reload();
  await expect(tomorrow).toContainText('Biblioteca Leonardiana, sala 2');

  // Cancelled, with a reason and after the question; it then takes no attendance.
  await tomorrow.getByRole('button', { name: /Annulla l’incontro del/ }).click();
  const cancelForm = page.getByTestId('session-cancel-form');
  await cancelForm.getByRole('button', { name: 'Annulla l’incontro' }).click();
  await expect(cancelForm.getByLabel(/^Motivo dell’annullamento/)).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByTestId('confirm-dialog')).toHaveCount(0);
  await cancelForm.getByLabel(/^Motivo dell’annullamento/).fill('La formatrice è malata');
  await cancelForm.getByRole('button', { name: 'Annulla l’incontro' }).click();
  await checkA11y(page, 'training-session-cancel-confirm');
  await confirmDialog(page, 'Annullare l’incontro?');
  await expect(tomorrow).toHaveAttribute('data-cancelled', 'true');
  await expect(tomorrow.getByTestId('session-cancelled')).toHaveText('Annullato');
  await expect(tomorrow.getByTestId('session-cancel-reason')).toContainText('La formatrice è malata');
  await expect(tomorrow.getByRole('link', { name: /Foglio presenze/ })).toHaveCount(0);
  await expect(tomorrow.getByRole('button')).toHaveCount(0);
  await checkA11y(page, 'training-session-cancelled');

  // The calendar shows it, marked as cancelled.
  await page.getByRole('link', { name: '← Tutti i corsi' }).click();
  await calendar.getByRole('button', { name: 'Mese', exact: true }).click();
  if (romeDay(0).slice(0, 7) !== romeDay(1).slice(0, 7)) await calendar.getByRole('button', { name: 'Mese successivo →' }).click();
  const cancelledInCalendar = calendar.getByTestId('calendar-session').filter({ hasText: COURSE }).filter({ hasText: '15:00' });
  await expect(cancelledInCalendar).toHaveAttribute('data-cancelled', 'true');
  await expect(cancelledInCalendar).toContainText('Annullato');
  await page.goBack();
  await expect(page.getByRole('heading', { level: 1, name: COURSE })).toBeVisible();

  // The volunteer of the register takes the one place; the next two wait, in order.
  await page.getByTestId('enrol').click();
  let enrol = page.getByTestId('enrol-form');
  await enrol.getByRole('button', { name: 'Iscrivi' }).click();
  await expect(enrol.getByLabel(/^Volontario/)).toHaveAttribute('aria-invalid', 'true');
  await enrol.getByLabel(/^Volontario/).selectOption({ label: '\u2068Amina Diallo\u2069' });
  await checkA11y(page, 'training-enrol');
  await enrol.getByRole('button', { name: 'Iscrivi' }).click();
  await expect(page.getByText('Iscrizione registrata.')).toBeVisible();
  for (const [name, position] of [
    ['Giulia Bianchi', 1],
    ['Marco Neri', 2],
  ] as const) {
    await page.getByTestId('enrol').click();
    enrol = page.getByTestId('enrol-form');
    await enrol.getByText('Una persona (operatore o cittadino)').click();
    await enrol.getByLabel('Nome e cognome').fill(name);
    await enrol.getByRole('button', { name: 'Iscrivi' }).click();
    await expect(page.getByText(`Posti esauriti: iscrizione in lista d’attesa, posizione ${position}.`)).toBeVisible();
    await expect(participant(page, name)).toContainText(`In lista d’attesa (n. ${position})`);
  }
  await expect(participant(page, 'Amina Diallo')).toContainText('Iscritto');
  await expect(page.getByTestId('course-places')).toHaveText('1 occupati su 1 · in lista d’attesa: 2');

  // One more place: the first waiting (Giulia) takes it; the course was saved at its version.
  await page.getByTestId('edit-course').click();
  await page.getByTestId('course-form').getByLabel('Posti').fill('2');
  await page.getByTestId('course-form').getByRole('button', { name: 'Salva le modifiche' }).click();
  await expect(page.getByTestId('course-places')).toHaveText('2 occupati su 2 · in lista d’attesa: 1');
  await expect(participant(page, 'Giulia Bianchi')).toContainText('Iscritto');

  // Someone else changes the course while the form is open: the save is refused, saying to reload.
  await page.getByTestId('edit-course').click();
  const staff = await api(ALPHA.operator);
  const courseId = decodeURIComponent(courseUrl.split('/').pop()!);
  const current = (await staff('query($id: ID!) { node(id: $id) { ... on Course { version } } }', { id: courseId })).node.version;
  await staff('mutation($i: UpdateCourseInput!) { updateCourse(input: $i) { version } }', {
    i: {
      id: courseId,
      expectedVersion: current,
      course: { kind: 'COURSE', title: COURSE, audience: 'VOLUNTEERS', plannedMinutes: 240, trainer: 'Laura Bini e Ahmed Saleh', capacity: 2, minAttendancePercent: 75 },
    },
  });
  await page.getByTestId('course-form').getByLabel('Durata prevista (ore)').fill('5');
  await page.getByTestId('course-form').getByRole('button', { name: 'Salva le modifiche' }).click();
  await expect(page.getByTestId('course-form')).toContainText('ricarica la pagina e riprova');
  await page.reload();
  await expect(page.getByTestId('course-details')).toContainText('Laura Bini e Ahmed Saleh');

  // Giulia withdraws, after the question: Marco takes her place.
  await participant(page, 'Giulia Bianchi').getByRole('button', { name: /Ritira l’iscrizione di/ }).click();
  await checkA11y(page, 'training-withdraw-confirm');
  await confirmDialog(page, 'Ritirare l’iscrizione?');
  await expect(participant(page, 'Giulia Bianchi')).toHaveCount(0);
  await expect(participant(page, 'Marco Neri')).toContainText('Iscritto');
  await tick(page, 'Mostra anche i ritirati');
  await expect(participant(page, 'Giulia Bianchi')).toContainText('Ritirato');
  await checkA11y(page, 'training-course');
  await context.close();
});

test('attendance is taken on a tablet, one tap per participant, and the saved state is shown', async ({ browser }) => {
  expect(courseUrl).not.toBe('');
  const { page, context } = await newPage(browser, TABLET);
  await signIn(page, ALPHA.operator);
  // First session: Amina present, Marco absent. Second: both present.
  for (const [index, marks] of [
    [0, { 'Amina Diallo': 'Presente', 'Marco Neri': 'Assente' }],
    [1, { 'Amina Diallo': 'Presente', 'Marco Neri': 'Presente' }],
  ] as const) {
    await page.goto(courseUrl);
    await page.getByTestId('session').nth(index).getByRole('link', { name: /Foglio presenze/ }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Foglio presenze' })).toBeVisible();
    await expect(page.getByTestId('attendance-status')).toHaveText('Foglio non ancora registrato.');
    const rows = page.getByTestId('attendance-row');
    await expect(rows).toHaveCount(2);
    for (const [name, mark] of Object.entries(marks)) {
      const row = rows.filter({ hasText: name });
      const button = row.getByRole('button', { name: mark, exact: true });
      // Big enough for a finger (WCAG 2.5.5: 44 × 44 CSS pixels).
      const box = await button.boundingBox();
      expect(box!.height).toBeGreaterThanOrEqual(44);
      expect(box!.width).toBeGreaterThanOrEqual(44);
      await button.click();
      await expect(button).toHaveAttribute('aria-pressed', 'true');
      await expect(row.getByTestId('row-state')).toHaveText(mark === 'Presente' ? 'Salvato: presente' : 'Salvato: assente');
    }
    const present = Object.values(marks).filter((m) => m === 'Presente').length;
    await expect(page.getByTestId('attendance-status')).toContainText(`presenti ${present} su 2`);
    await checkA11y(page, `training-attendance-${index + 1}`);
    await screenshot(page, `training-attendance-tablet-${index + 1}`);
    // Saved on the server: the sheet read again shows the same marks.
    await page.reload();
    await expect(page.getByTestId('attendance-status')).toHaveText(`Foglio già registrato: presenti ${present} su 2.`);
    for (const [name, mark] of Object.entries(marks)) {
      await expect(rows.filter({ hasText: name }).getByRole('button', { name: mark, exact: true })).toHaveAttribute('aria-pressed', 'true');
    }
  }
  // Tomorrow's workshop: its sheet says attendance is taken from the start.
  await page.goto('/formazione');
  await page.getByTestId('course-list').getByRole('link', { name: WORKSHOP }).click();
  await page.getByTestId('session').first().getByRole('link', { name: /Foglio presenze/ }).click();
  await expect(page.getByRole('status').filter({ hasText: 'L’incontro non è ancora iniziato' })).toBeVisible();
  await checkA11y(page, 'training-attendance-not-started');
  await context.close();
});

test('the participant who completed gets a certificate; its PDF downloads and shows a verification code', async ({ browser }) => {
  expect(courseUrl).not.toBe('');
  const { page, context } = await newPage(browser);
  await signIn(page, ALPHA.operator);
  await page.goto(courseUrl);
  const amina = participant(page, 'Amina Diallo');
  const marco = participant(page, 'Marco Neri');
  // The cancelled third session does not count: two held of two is complete.
  await expect(amina.getByTestId('enrolment-progress')).toHaveText('Frequenza: 2 incontri su 2 svolti · 4 ore · Corso completato');
  await expect(marco.getByTestId('enrolment-progress')).toHaveText('Frequenza: 1 incontro su 2 svolti · 2 ore · Non ancora completato');
  // Only who completed is offered a certificate.
  await expect(marco.getByRole('button', { name: /Rilascia l’attestato/ })).toHaveCount(0);
  // Issuing is for good: the dialog says so, with the name, the course and the hours; «No»
  // issues nothing.
  await amina.getByRole('button', { name: /Rilascia l’attestato/ }).click();
  const dialog = page.getByRole('dialog');
  await expect(dialog).toContainText('Rilasciare l’attestato?');
  await expect(dialog).toContainText('Amina Diallo');
  await expect(dialog).toContainText(COURSE);
  await expect(dialog).toContainText('4 ore di frequenza');
  await expect(dialog).toContainText('non si può revocare');
  await checkA11y(page, 'training-issue-confirm');
  await page.getByTestId('confirm-keep').click();
  await expect(dialog).toBeHidden();
  await expect(amina.getByTestId('certificate')).toHaveCount(0);
  await amina.getByRole('button', { name: /Rilascia l’attestato/ }).click();
  await confirmDialog(page, 'Rilasciare l’attestato?');
  const certificate = amina.getByTestId('certificate');
  await expect(certificate).toBeVisible();
  code = (await certificate.getByTestId('verification-code').textContent()) ?? '';
  expect(code.length).toBeGreaterThan(10);
  await expect(certificate.getByTestId('verification-url')).toHaveAttribute('href', `/verifica/${code}`);
  await expect(amina.getByRole('button', { name: /Rilascia l’attestato/ })).toHaveCount(0);
  await checkA11y(page, 'training-certificate');

  const [download] = await Promise.all([page.waitForEvent('download'), certificate.getByTestId('certificate-pdf').click()]);
  expect(download.suggestedFilename()).toMatch(/\.pdf$/);
  const bytes = readFileSync((await download.path())!);
  expect(bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
  expect(bytes.length).toBeGreaterThan(1000);
  await context.close();
});

test('the volunteer finds the course, the attendance and the certificate among their own courses', async ({ browser }) => {
  expect(code).not.toBe('');
  const { page, context } = await newPage(browser, PHONE);
  await signIn(page, VOLUNTEER);
  await page.getByRole('button', { name: 'Menu' }).click();
  await page.getByRole('navigation').getByRole('link', { name: 'I miei corsi' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'I miei corsi' })).toBeVisible();
  const mine = page.getByTestId('my-course').filter({ hasText: COURSE });
  await expect(mine.getByTestId('my-progress')).toHaveText('Frequenza: 2 incontri su 2 svolti · 4 ore · Corso completato');
  await expect(mine).toContainText('10:00–12:00');
  const cancelled = mine.getByTestId('course-session').filter({ hasText: 'Annullato' });
  await expect(cancelled).toHaveCount(1);
  await expect(cancelled).toContainText('La formatrice è malata');
  const certificate = page.getByTestId('my-certificates').getByTestId('certificate');
  await expect(certificate).toContainText(COURSE);
  await expect(certificate.getByTestId('verification-code')).toHaveText(code);
  // The workshop is for citizens: not offered to a volunteer.
  await expect(page.locator('main')).not.toContainText(WORKSHOP);
  await checkA11y(page, 'training-my-courses');
  await fitsWidth(page);
  // A course open to volunteers shows its sessions (on the tenant's clock); they enrol themselves.
  const { openStart } = await ready();
  const openTime = new Intl.DateTimeFormat('it-IT', { timeStyle: 'short', timeZone: 'Europe/Rome' }).format(new Date(openStart));
  const openSession = page.getByTestId('open-courses').getByTestId('course-session');
  await expect(openSession).toHaveCount(1);
  await expect(openSession).toContainText(openTime);
  await expect(openSession).toContainText('Sede della Croce Verde');
  await page.getByTestId('open-courses').getByRole('button', { name: /Iscriviti a/ }).click();
  await expect(page.getByTestId('my-course').filter({ hasText: OPEN_COURSE })).toContainText('Iscritto');
  await expect(page.getByTestId('open-courses')).toHaveCount(0);
  const [download] = await Promise.all([page.waitForEvent('download'), certificate.getByTestId('certificate-pdf').click()]);
  expect(readFileSync((await download.path())!).subarray(0, 5).toString('latin1')).toBe('%PDF-');
  // Staff screens are not theirs.
  await page.goto(courseUrl);
  await expect(page.getByRole('heading', { name: COURSE })).toHaveCount(0);
  await context.close();
});

test('the public verification page confirms the real code and refuses a forged one, in Italian and Arabic, without an account', async ({ browser }) => {
  expect(code).not.toBe('');
  const { page, context } = await newPage(browser);
  await page.goto('/verifica');
  await expect(page.getByRole('heading', { level: 1, name: 'Verifica di un attestato' })).toBeVisible();
  await checkA11y(page, 'training-verify-form');
  // Nothing typed: said at the field. A code that cannot be one: refused in the browser, and
  // what was typed is not shown back; the field takes at most 100 characters.
  const field = page.getByLabel('Codice di verifica');
  await page.getByRole('button', { name: 'Verifica', exact: true }).click();
  await expect(field).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByTestId('verify-form')).toContainText('Inserisci il codice da verificare.');
  await checkA11y(page, 'training-verify-required');
  await field.fill('X'.repeat(150));
  await expect(field).toHaveValue('X'.repeat(100));
  await field.fill('non-un-codice');
  await page.getByRole('button', { name: 'Verifica', exact: true }).click();
  await expect(field).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByTestId('verify-form')).toContainText('Codice non valido');
  await expect(page).toHaveURL(/\/verifica$/);
  // A 1500-character code in the address: «codice non valido», never echoed.
  const long = 'Q'.repeat(1500);
  await page.goto(`/verifica/${long}`);
  await expect(page.getByTestId('verify-malformed')).toContainText('Codice non valido');
  await expect(page.locator('body')).not.toContainText('QQQQQQQQQQ');
  await checkA11y(page, 'training-verify-malformed');
  await page.goto('/verifica');
  await page.getByLabel('Codice di verifica').fill(code);
  await page.getByRole('button', { name: 'Verifica', exact: true }).click();
  await expect(page).toHaveURL(new RegExp(`/verifica/${code}$`));
  const valid = page.getByTestId('verify-valid');
  await expect(valid).toContainText('Attestato autentico');
  await expect(valid.getByTestId('verify-participant')).toHaveText('Amina Diallo');
  await expect(valid.getByTestId('verify-course')).toHaveText(COURSE);
  await expect(valid.getByTestId('verify-hours')).toHaveText('4');
  // The issuing organisation is named.
  await expect(valid.getByTestId('verify-issued-by')).toHaveText('Comune di Vinci (prova formazione)');
  await expect(page.getByTestId('verify-invalid')).toHaveCount(0);
  await checkA11y(page, 'training-verify-valid');

  // One character changed: refused, with nothing about the real certificate.
  const forged = code.slice(0, -1) + (code.endsWith('A') ? 'B' : 'A');
  await page.goto(`/verifica/${forged}`);
  const invalid = page.getByTestId('verify-invalid');
  await expect(invalid).toContainText('Attestato non riconosciuto');
  await expect(page.getByTestId('verify-valid')).toHaveCount(0);
  await expect(page.locator('main')).not.toContainText('Amina');
  await expect(page.locator('main')).not.toContainText('Vinci');
  // The code typed is not echoed back on the refusal.
  await expect(page.locator('main')).not.toContainText(forged);
  await checkA11y(page, 'training-verify-invalid');

  // In Arabic, on a phone.
  await page.setViewportSize(PHONE);
  await toArabic(page);
  await expect(invalid).toContainText('شهادة غير معترف بها');
  await checkA11y(page, 'training-verify-invalid-ar');
  await page.goto(`/verifica/${code}`);
  await expect(page.locator('html')).toHaveAttribute('dir', 'rtl');
  await expect(valid).toContainText('شهادة أصلية');
  await expect(valid.getByTestId('verify-participant').locator('bdi')).toHaveText('Amina Diallo');
  await expect(valid.getByTestId('verify-course').locator('bdi')).toHaveText(COURSE);
  await expect(valid.getByTestId('verify-issued-by').locator('bdi')).toHaveText('Comune di Vinci (prova formazione)');
  await checkA11y(page, 'training-verify-valid-ar');
  await fitsWidth(page);
  await screenshot(page, 'training-verify-valid-ar-phone');
  await context.close();
});

/** A badge and the text before it are at least 4 px apart (in either direction). */
async function badgeApart(text: import('@playwright/test').Locator, badge: import('@playwright/test').Locator) {
  const a = (await text.boundingBox())!;
  const b = (await badge.boundingBox())!;
  // A badge wrapped onto a line of its own touches nothing.
  if (b.y >= a.y + a.height - 1 || a.y >= b.y + b.height - 1) return;
  const gap = Math.max(b.x - (a.x + a.width), a.x - (b.x + b.width));
  expect(gap, 'space between the text and its badge').toBeGreaterThanOrEqual(4);
}

/** Nothing wider than the screen: no sideways scrolling on a phone. */
async function fitsWidth(page: Page) {
  const wide = await page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    return [...document.querySelectorAll('body *')]
      .filter((e) => {
        const r = e.getBoundingClientRect();
        return r.width > 0 && (r.right > width + 1 || r.left < -1);
      })
      .map((e) => `${e.tagName.toLowerCase()}.${[...e.classList].join('.')} ${e.getBoundingClientRect().left}–${e.getBoundingClientRect().right}`)
      .slice(0, 5);
  });
  expect(wide).toEqual([]);
}

test('on a 390 px phone the staff screens fit the width and pass axe-core, in Italian and Arabic', async ({ browser }) => {
  expect(courseUrl).not.toBe('');
  const { page, context } = await newPage(browser, PHONE);
  await signIn(page, ALPHA.operator);
  for (const lang of ['it', 'ar'] as const) {
    await page.goto('/formazione');
    if (lang === 'ar') await toArabic(page);
    await expect(page.getByTestId('course-item').filter({ hasText: COURSE })).toBeVisible();
    // The kind's badge does not touch the title, on the side the text runs from.
    for (const item of await page.getByTestId('course-item').all()) await badgeApart(item.locator('a').first(), item.locator('.badge').first());
    if (lang === 'ar') {
      // Arabic plurals: three hours are «ساعات» (few), not the singular «ساعة»; an hour and a half
      // in Arabic's number format.
      const ar = (n: number) => new Intl.NumberFormat('ar').format(n);
      await expect(page.getByTestId('course-item').filter({ hasText: OPEN_COURSE })).toContainText(`${ar(3)} ساعات`);
      await expect(page.getByTestId('course-item').filter({ hasText: WORKSHOP })).toContainText(`${ar(1.5)} ساعة`);
    }
    await fitsWidth(page);
    await checkA11y(page, `training-courses-phone-${lang}`);
    await screenshot(page, `training-courses-phone-${lang}`);
    await page.goto(courseUrl);
    await expect(page.getByRole('heading', { level: 1, name: COURSE })).toBeVisible();
    await expect(page.getByTestId('certificate')).toBeVisible();
    for (const e of await page.getByTestId('enrolment').all()) await badgeApart(e.locator('bdi').first(), e.locator('.badge').first());
    await fitsWidth(page);
    await checkA11y(page, `training-course-phone-${lang}`);
    await screenshot(page, `training-course-phone-${lang}`);
    await page.getByTestId('session').first().getByRole('link').click();
    await expect(page.getByTestId('attendance-row')).toHaveCount(2);
    await fitsWidth(page);
    await checkA11y(page, `training-attendance-phone-${lang}`);
  }
  await context.close();
});

test('a second tenant sees nothing of the course, and the first nothing of the second’s', async ({ browser }) => {
  const { betaCourse } = await ready();
  expect(courseUrl).not.toBe('');
  const { page, context } = await newPage(browser);
  await signIn(page, BETA.operator);
  await page.goto('/formazione');
  await expect(page.getByTestId('course-item')).toHaveCount(1);
  await expect(page.getByTestId('course-item')).toContainText('Corso di Capraia');
  await expect(page.locator('main')).not.toContainText(COURSE);
  await expect(page.locator('main')).not.toContainText(WORKSHOP);
  await page.goto(courseUrl);
  await expect(page.getByRole('heading', { name: 'Corso non trovato' })).toBeVisible();
  await expect(page.locator('main')).not.toContainText(COURSE);
  await checkA11y(page, 'training-other-tenant');

  // And the other way round, in the API: Alpha's staff cannot read Beta's course.
  const alpha = await api(ALPHA.operator);
  const seen = await alpha('query($id: ID!) { node(id: $id) { ... on Course { title } } }', { id: betaCourse }).then(
    (data) => JSON.stringify(data),
    (e: Error) => e.message,
  );
  expect(seen).toContain('NOT_FOUND');
  expect(seen).not.toContain('Corso di Capraia');
  await context.close();
});
