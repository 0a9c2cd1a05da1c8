// What a user trial of the volunteers console found, each kind checked where it can occur: a first
// submit names every field the form can judge (missing, e-mail and phone shapes, the API's ranges)
// at once, with nothing sent; a public page of an unknown organisation says so in words; another
// tenant's task, volunteer, pact or course is named once with the way back to its list; a course
// whose sessions are all over is not offered, a full one says enrolling joins the waiting list;
// hours logged for a task name it. Two tenants of the spec's own; axe-core on every screen.
import { expect, type Page } from '@playwright/test';
import { test, PHONE, activeVolunteer, api, checkA11y, newPage, ownTenant, signIn, toArabic } from './helpers';

test.describe.configure({ mode: 'serial' });

const ADMIN = { email: 'admin@prato-prova.example.org', password: 'Castello-Imperatore-2026' };
const OPERATOR = { email: 'operatore@prato-prova.example.org', password: 'Cassero-Medievale-2026' };
const NADIA = { email: 'nadia@prato-prova.example.org', password: 'Bisenzio-Ponte-2026' };
const IVAN = { email: 'ivan@prato-prova.example.org', password: 'Duomo-Pergamo-2026' };
const OTHER_ADMIN = { email: 'admin@arezzo-prova.example.org', password: 'Piazza-Grande-Arezzo-2026' };
const OTHER_OPERATOR = { email: 'operatore@arezzo-prova.example.org', password: 'Pieve-Santa-Maria-2026' };
const PRATO = '100005';
const AREZZO = '051002';
const PAST_COURSE = 'Primo soccorso (concluso)';
const FULL_COURSE = 'Accoglienza allo sportello';

type Call = Awaited<ReturnType<typeof api>>;

/** A day on the Rome clock, `YYYY-MM-DD`, `days` from now. */
function romeDay(days = 0): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Rome', year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date(Date.now() + days * 86_400_000));
}

/** An active volunteer with an account, speaking Italian, free at any hour in Prato. */
const volunteer = (admin: Call, who: { email: string; password: string }, givenNames: string, familyNames: string) =>
  activeVolunteer(admin, who, { givenNames, familyNames }, { languages: [{ code: 'it', level: 'NATIVE' }], territory: PRATO, from: '00:00:00', to: '23:59:00' });

type Seed = {
  tenantId: string;
  taskId: string;
  taskStart: string;
  nadiaId: string;
  pactId: string;
  courseId: string;
  other: Call;
};

let seeded: Promise<Seed> | null = null;
const ready = () =>
  (seeded ??= (async () => {
    const { admin, operator } = await ownTenant({
      name: 'Comune di Prato (prova utenti)',
      istat: PRATO,
      desk: 'Sportello Prato',
      admin: { ...ADMIN, displayName: 'Admin Prato' },
      operator: { ...OPERATOR, displayName: 'Operatore Prato' },
    });
    const tenantId = (await admin('{ viewer { activeTenant { id } } }')).viewer.activeTenant.id as string;
    const nadia = await volunteer(admin, NADIA, 'Nadia', 'Russo');
    const ivan = await volunteer(admin, IVAN, 'Ivan', 'Petrov');

    // A task later today (hours are logged from its first day on), accepted by Nadia, and time
    // logged for it.
    const start = Math.ceil((Date.now() + 10 * 60_000) / 60_000) * 60_000;
    const taskStart = new Date(start).toISOString();
    const taskId = (
      await operator('mutation($i: RequestTaskInput!) { requestTask(input: $i) { id } }', {
        i: { skill: 'LANGUAGE_SUPPORT', language: 'it', territory: PRATO, startsAt: taskStart, endsAt: new Date(start + 3_600_000).toISOString() },
      })
    ).requestTask.id as string;
    await operator('mutation($i: OfferTaskInput!) { offerTask(input: $i) { taskId } }', { i: { taskId, volunteerIds: [nadia.id] } });
    await nadia.client('mutation($t: ID!) { acceptTask(taskId: $t) { offer } }', { t: taskId });
    await nadia.client('mutation($i: LogHoursInput!) { logHours(input: $i) { id } }', { i: { taskId, on: romeDay(0), minutes: 90 } });

    // A pact, and two courses for volunteers: one whose only session is over, one full.
    const pactId = (
      await operator('mutation($i: PactInput!) { addPact(input: $i) { id } }', {
        i: {
          proposerKind: 'ASSOCIATION',
          proposerName: 'Amici del Bisenzio',
          proposerVolunteerIds: [],
          municipality: PRATO,
          goodKind: 'PARK',
          goodName: 'Parco del Bisenzio',
          activities: 'Pulizia delle sponde.',
          municipalityCommitments: 'Attrezzi.',
          proposerCommitments: 'Giornate di cura.',
          startDate: romeDay(0),
          durationMonths: 12,
          renewal: 'NONE',
        },
      })
    ).addPact.id as string;
    const course = 'mutation($i: CourseInput!) { createCourse(input: $i) { id } }';
    const session = 'mutation($i: AddCourseSessionInput!) { addCourseSession(input: $i) { id } }';
    const past = (
      await operator(course, { i: { kind: 'COURSE', title: PAST_COURSE, audience: 'VOLUNTEERS', plannedMinutes: 120, trainer: 'Croce Rossa', capacity: 10 } })
    ).createCourse.id as string;
    const yesterday = Date.parse(`${romeDay(-1)}T08:00:00Z`);
    await operator(session, { i: { courseId: past, startsAt: new Date(yesterday).toISOString(), endsAt: new Date(yesterday + 2 * 3_600_000).toISOString(), place: 'Sala civica' } });
    const full = (
      await operator(course, { i: { kind: 'COURSE', title: FULL_COURSE, audience: 'VOLUNTEERS', plannedMinutes: 120, trainer: 'Laura Bini', capacity: 1 } })
    ).createCourse.id as string;
    const later = Date.parse(`${romeDay(3)}T08:00:00Z`);
    await operator(session, { i: { courseId: full, startsAt: new Date(later).toISOString(), endsAt: new Date(later + 2 * 3_600_000).toISOString(), place: 'Sala civica' } });
    await operator('mutation($i: EnrolInput!) { enrol(input: $i) { id } }', { i: { courseId: full, participant: { volunteerId: ivan.id } } });

    const { operator: other } = await ownTenant({
      name: 'Comune di Arezzo (prova utenti)',
      istat: AREZZO,
      desk: 'Sportello Arezzo',
      admin: { ...OTHER_ADMIN, displayName: 'Admin Arezzo' },
      operator: { ...OTHER_OPERATOR, displayName: 'Operatore Arezzo' },
    });
    return { tenantId, taskId, taskStart, nadiaId: nadia.id, pactId, courseId: full, other };
  })());

/** The operations named `name` that the page sends from now on. */
function sent(page: Page, name: string): string[] {
  const out: string[] = [];
  page.on('request', (r) => {
    if (r.url().endsWith('/graphql') && (r.postData() ?? '').includes(name)) out.push(r.postData() ?? '');
  });
  return out;
}

test('a first submit names every field the form can judge at once, and sends nothing', async ({ browser }) => {
  await ready();
  const { page, context } = await newPage(browser, PHONE);
  await signIn(page, OPERATOR);

  // The pact of the trial: nine required terms missing, 0 months, an e-mail and a phone that are none.
  await page.goto('/patti/nuovo');
  const pacts = sent(page, 'addPact');
  await page.getByLabel('Durata in mesi').fill('0');
  await page.getByLabel('E-mail del proponente').fill('not-an-email');
  await page.getByLabel('Telefono del proponente').fill('abc');
  await page.getByRole('button', { name: 'Registra la proposta' }).click();
  await expect(page.locator('.field-error')).toHaveCount(12);
  await expect(page.getByLabel('Durata in mesi')).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByLabel('E-mail del proponente')).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByLabel('Telefono del proponente')).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByText('Valore fuori intervallo: da 1 a 60')).toBeVisible();
  await expect(page.getByText('Indirizzo e-mail non valido')).toBeVisible();
  await expect(page.getByText(/^Numero di telefono non valido/)).toBeVisible();
  await checkA11y(page, 'trial-pact-form-errors');
  // A duration of more than two digits cannot be typed; 61 is out of range too.
  await page.getByLabel('Durata in mesi').fill('61');
  // A start beyond five years ahead: the API's range, named on the field.
  await page.getByLabel(/^Inizio/).fill('2099-01-01');
  await page.getByRole('button', { name: 'Registra la proposta' }).click();
  await expect(page.getByText('Valore fuori intervallo: da 1 a 60')).toBeVisible();
  await expect(page.getByLabel(/^Inizio/)).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByText(/^Indica una data tra il 1 gen 2000 e (il |l’)/)).toBeVisible();
  await expect(page.locator('.field-error')).toHaveCount(13);
  expect(pacts).toEqual([]);

  // A volunteer: names missing and two contacts that are none, four errors in one go.
  await page.goto('/volontari/nuovo');
  const adds = sent(page, 'addVolunteer');
  const form = page.getByTestId('volunteer-form');
  await form.getByLabel('E-mail').fill('not-an-email');
  await form.getByLabel('Telefono').fill('abc');
  await form.getByRole('button', { name: 'Inserisci il volontario' }).click();
  await expect(form.locator('.field-error')).toHaveCount(4);
  await expect(form.getByLabel('E-mail')).toHaveAttribute('aria-invalid', 'true');
  await expect(form.getByLabel('Telefono')).toHaveAttribute('aria-invalid', 'true');
  await checkA11y(page, 'trial-volunteer-form-errors');
  expect(adds).toEqual([]);

  // A course: title and trainer missing beside 0 places and 101 %, all named at once.
  await page.goto('/formazione');
  const creates = sent(page, 'CreateCourse');
  await page.getByTestId('new-course').click();
  const course = page.getByTestId('course-form');
  await course.getByLabel('Durata prevista (ore)').fill('2000');
  await course.getByLabel('Posti').fill('0');
  await course.getByLabel('Frequenza minima (%)').fill('101');
  await course.getByRole('button', { name: 'Crea' }).click();
  for (const name of ['Titolo', 'Formatore o formatrice', 'Durata prevista (ore)', 'Posti', 'Frequenza minima (%)']) {
    await expect(course.getByLabel(name), name).toHaveAttribute('aria-invalid', 'true');
  }
  await expect(course.getByText('Valore fuori intervallo: da 1 a 10.000')).toBeVisible();
  await expect(course.getByText('Valore fuori intervallo: da 1 a 100')).toBeVisible();
  await checkA11y(page, 'trial-course-form-errors');
  expect(creates).toEqual([]);

  // A session longer than the API's 12 hours, named before asking.
  const { courseId } = await ready();
  await page.goto(`/formazione/${encodeURIComponent(courseId)}`);
  const sessions = sent(page, 'AddCourseSession');
  await page.getByTestId('add-session').click();
  const s = page.getByTestId('session-form');
  await s.getByLabel('Giorno').fill(romeDay(5));
  await s.getByLabel('Dalle').fill('06:00');
  await s.getByLabel(/^Alle/).fill('20:00');
  await s.getByRole('button', { name: 'Aggiungi un incontro' }).click();
  await expect(s.getByLabel(/^Alle/)).toHaveAttribute('aria-invalid', 'true');
  await expect(s.getByLabel('Luogo')).toHaveAttribute('aria-invalid', 'true');
  await expect(s).toContainText('Un incontro dura al massimo 12 ore.');
  expect(sessions).toEqual([]);

  // A request for help that ends before it starts: named with the missing fields.
  await page.goto('/richieste-di-aiuto');
  const requests = sent(page, 'requestTask');
  await page.getByRole('button', { name: 'Nuova richiesta' }).click();
  const request = page.locator('form').filter({ has: page.getByRole('button', { name: 'Invia la richiesta' }) });
  await request.getByLabel(/^Inizio/).fill(`${romeDay(2)}T12:00`);
  await request.getByLabel(/^Fine/).fill(`${romeDay(2)}T10:00`);
  await request.getByRole('button', { name: 'Invia la richiesta' }).click();
  await expect(request.getByLabel(/^Fine/)).toHaveAttribute('aria-invalid', 'true');
  await expect(request).toContainText('Il periodo inizia dopo la sua fine');
  await expect(request.getByLabel(/^Competenza richiesta/)).toHaveAttribute('aria-invalid', 'true');
  expect(requests).toEqual([]);

  // A delegation that ends before it starts, with its body missing: both at once.
  await page.goto('/deleghe');
  const delegations = sent(page, 'addDelegation');
  await page.getByLabel(/^Volontario/).selectOption({ label: '\u2068Nadia Russo\u2069' });
  const delegation = page.locator('form').filter({ has: page.getByRole('button', { name: 'Registra la delega' }) });
  await delegation.getByLabel(/^Dal/).fill(romeDay(3));
  await delegation.getByLabel(/^Al/).fill(romeDay(1));
  await delegation.getByRole('button', { name: 'Registra la delega' }).click();
  await expect(delegation.locator('.field-error')).toHaveCount(2);
  await expect(delegation.getByLabel(/^Ente richiedente/)).toHaveAttribute('aria-invalid', 'true');
  await expect(delegation.getByLabel(/^Al/)).toHaveAttribute('aria-invalid', 'true');
  await expect(delegation).toContainText('Il periodo inizia dopo la sua fine');
  await checkA11y(page, 'trial-delegation-errors');
  expect(delegations).toEqual([]);
  await context.close();
});

test('the volunteer is told at once that a day holds at most 24 hours', async ({ browser }) => {
  await ready();
  const { page, context } = await newPage(browser, PHONE);
  await signIn(page, NADIA);
  await page.goto('/le-mie-attivita');
  const logs = sent(page, 'logHours');
  await page.getByRole('button', { name: 'Registra ore senza compito' }).click();
  const logForm = page.locator('form').filter({ has: page.getByRole('button', { name: 'Salva le ore' }) });
  await logForm.getByLabel(/^Ore/).fill('25');
  // A day after today (typed past the picker's limit) is named with the time.
  await logForm.getByLabel(/^Giorno/).fill(romeDay(2));
  await logForm.getByRole('button', { name: 'Salva le ore' }).click();
  await expect(logForm).toContainText('In un giorno si danno al massimo 24 ore');
  await expect(logForm.getByLabel(/^Giorno/)).toHaveAttribute('aria-invalid', 'true');
  await expect(logForm.locator('.field-error')).toHaveCount(2);
  await checkA11y(page, 'trial-hours-too-many');
  expect(logs).toEqual([]);
  await context.close();
});

test('a public page of an organisation that does not exist says so in words', async ({ browser }) => {
  const { tenantId } = await ready();
  const { page, context } = await newPage(browser, PHONE);
  for (const id of ['00000000-0000-7000-8000-000000000000', 'non-un-ente']) {
    await page.goto(`/patti-attivi/${id}`);
    await expect(page.getByTestId('public-pacts-unknown')).toContainText('Elenco non disponibile');
    await expect(page.getByText('Impossibile caricare i dati.')).toHaveCount(0);
    await expect(page.getByText('Non trovato', { exact: true })).toHaveCount(0);
  }
  await checkA11y(page, 'trial-public-pacts-unknown');
  await toArabic(page);
  await expect(page.getByTestId('public-pacts-unknown')).toContainText('القائمة غير متاحة');
  await checkA11y(page, 'trial-public-pacts-unknown-ar');
  // The application form of the same unknown organisation says the same kind of thing.
  await page.goto('/candidatura/non-un-ente');
  await expect(page.getByTestId('application-unknown')).toBeVisible();
  // A real organisation's list still shows.
  await page.goto(`/patti-attivi/${tenantId}`);
  await expect(page.getByTestId('public-pacts-unknown')).toHaveCount(0);
  await context.close();
});

test('another tenant opening a task, a volunteer, a pact or a course is told once, with the way back', async ({ browser }) => {
  const { taskId, nadiaId, pactId, courseId, other } = await ready();
  await expect(other('query($id: ID!) { task(id: $id) { id } }', { id: taskId })).rejects.toThrow(/NOT_FOUND/);
  const { page, context } = await newPage(browser);
  await signIn(page, OTHER_OPERATOR);
  const pages = [
    { path: `/richieste-di-aiuto/${encodeURIComponent(taskId)}`, title: 'Richiesta non trovata', back: 'Richieste di aiuto', list: /\/richieste-di-aiuto$/ },
    { path: `/volontari/${encodeURIComponent(nadiaId)}`, title: 'Volontario non trovato', back: 'Torna all’albo', list: /\/volontari$/ },
    { path: `/patti/${encodeURIComponent(pactId)}`, title: 'Patto non trovato', back: 'Patti di collaborazione', list: /\/patti$/ },
    { path: `/formazione/${encodeURIComponent(courseId)}`, title: 'Corso non trovato', back: '← Tutti i corsi', list: /\/formazione$/ },
  ];
  for (const p of pages) {
    await page.goto(p.path);
    await expect(page.getByRole('heading', { level: 1, name: p.title })).toBeVisible();
    await expect(page.getByText(/non trovat/i), p.path).toHaveCount(1);
    await expect(page.getByText('Impossibile caricare i dati.')).toHaveCount(0);
    await expect(page.getByText('Nadia')).toHaveCount(0);
    await expect(page.getByText('Parco del Bisenzio')).toHaveCount(0);
    await checkA11y(page, `trial-not-found-${p.list.source.replace(/\W/g, '')}`);
    await page.getByTestId('item-not-found').getByRole('link', { name: p.back }).click();
    await expect(page).toHaveURL(p.list);
  }
  await context.close();
});

test('a course whose sessions are over is not offered, and a full one says enrolling joins the waiting list', async ({ browser }) => {
  await ready();
  const { page, context } = await newPage(browser, PHONE);
  await signIn(page, NADIA);
  await page.goto('/i-miei-corsi');
  const open = page.getByTestId('open-courses');
  await expect(open.getByTestId('open-course')).toHaveCount(1);
  await expect(page.getByText(PAST_COURSE)).toHaveCount(0);
  const full = open.getByTestId('open-course').filter({ hasText: FULL_COURSE });
  await expect(full.getByTestId('course-full')).toHaveText('Al completo: iscrivendoti entri in lista d’attesa.');
  await expect(full.getByRole('button', { name: /^Iscriviti/ })).toHaveCount(0);
  await checkA11y(page, 'trial-my-courses-full');
  await full.getByRole('button', { name: `Mettimi in lista d’attesa per \u2068${FULL_COURSE}\u2069` }).click();
  await expect(page.getByTestId('my-course').filter({ hasText: FULL_COURSE })).toContainText('attesa');
  await expect(page.getByTestId('open-course')).toHaveCount(0);
  await context.close();
});

test('hours logged for a task name it, for staff and on the volunteer’s own list', async ({ browser }) => {
  const { taskStart, other } = await ready();
  const day = new Intl.DateTimeFormat('it', { dateStyle: 'medium', timeZone: 'Europe/Rome' }).format(new Date(taskStart));
  const named = `Per il compito: Supporto linguistico, ${day}`;

  const staff = await newPage(browser);
  await signIn(staff.page, OPERATOR);
  await staff.page.goto('/ore');
  await expect(staff.page.getByTestId('hours-row')).toHaveCount(1);
  await expect(staff.page.getByTestId('hours-task')).toHaveText(named);
  await checkA11y(staff.page, 'trial-hours-task-named');
  await staff.context.close();

  const phone = await newPage(browser, PHONE);
  await signIn(phone.page, NADIA);
  await phone.page.goto('/le-mie-attivita');
  await expect(phone.page.getByTestId('my-hours-task')).toHaveText(named);
  await checkA11y(phone.page, 'trial-my-hours-task-named');
  await phone.context.close();

  // The other tenant has no hours at all.
  expect((await other('{ hours(first: 50) { nodes { id } } }')).hours.nodes).toEqual([]);
});
