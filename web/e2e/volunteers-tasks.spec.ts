// Volunteers' tasks: an operator asks for help sharing only a first name and the language, sees
// the volunteers proposed with the reasons, offers the task; the volunteer, on a 390 px phone,
// accepts it and logs hours, and learns when another volunteer took a task first; staff approve
// the hours and lend the volunteer to a body; a suspended volunteer reads one message and no form.
// Another tenant sees none of it. axe-core on every screen, the volunteer's home and the staff's
// task pages also in Arabic on a phone.
import { expect } from '@playwright/test';
import { test, PHONE, activeVolunteer, api, checkA11y, confirmDialog, isolated, newPage, ownTenant, signIn, tick, toArabic, toItalian } from './helpers';

test.describe.configure({ mode: 'serial' });

/** A field's label, with or without the mark of a required one. */
const label = (text: string) => new RegExp(`^${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}( \\*)?$`);

const ADMIN = { email: 'admin@lucca-volontari.example.org', password: 'Mura-di-Lucca-2026' };
const OPERATOR = { email: 'operatore@lucca-volontari.example.org', password: 'Piazza-Anfiteatro-2026' };
const LAYLA = { email: 'layla@lucca-volontari.example.org', password: 'Guinigi-Torre-2026' };
const OMAR = { email: 'omar@lucca-volontari.example.org', password: 'Serchio-Fiume-2026' };
const OTHER_ADMIN = { email: 'admin@empoli-volontari.example.org', password: 'Collegiata-Empoli-2026' };
const OTHER_OPERATOR = { email: 'operatore@empoli-volontari.example.org', password: 'Piazza-Farinata-2026' };
const LUCCA = '046017';
const EMPOLI = '048014';

/** Tomorrow on the tenant's clock (Europe/Rome), `YYYY-MM-DD`. */
function tomorrow(): string {
  const p = Object.fromEntries(
    new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Rome', year: 'numeric', month: '2-digit', day: '2-digit' })
      .formatToParts(new Date(Date.now() + 24 * 3600 * 1000))
      .map((x) => [x.type, x.value]),
  );
  return `${p.year}-${p.month}-${p.day}`;
}

type Call = Awaited<ReturnType<typeof api>>;

/** An active volunteer of the register, speaking Arabic and Italian, available every day 08–20 in
 * Lucca, with an account. */
const volunteer = (admin: Call, who: { email: string; password: string }, givenNames: string, familyNames: string) =>
  activeVolunteer(
    admin,
    who,
    { givenNames, familyNames },
    {
      languages: [
        { code: 'ar', level: 'NATIVE' },
        { code: 'it', level: 'B2' },
      ],
      territory: LUCCA,
      from: '08:00:00',
      to: '20:00:00',
    },
  );

type Seed = { admin: Call; operator: Call; layla: { id: string; client: Call }; omar: { id: string; client: Call } };

/** The phone's page is no wider than the phone (what the document scrolls, both directions). */
const pageWidth = (page: import('@playwright/test').Page) => page.evaluate(() => document.scrollingElement!.scrollWidth);
let seeded: Promise<Seed> | null = null;
const ready = () =>
  (seeded ??= (async () => {
    const { admin, operator } = await ownTenant({
      name: 'Comune di Lucca (volontari, prova)',
      istat: LUCCA,
      desk: 'Sportello Lucca centro',
      admin: { ...ADMIN, displayName: 'Admin Lucca' },
      operator: { ...OPERATOR, displayName: 'Operatrice Lucca' },
    });
    const desk = (await admin('{ desks(first: 5) { nodes { id } } }')).desks.nodes[0].id as string;
    await admin('mutation($i: AddPlaceInput!) { addPlace(input: $i) { id } }', {
      i: { deskId: desk, name: 'Scuola Carducci', kind: 'SCHOOL', address: 'Via del Fosso 12, Lucca' },
    });
    const layla = await volunteer(admin, LAYLA, 'Layla', 'Haddad');
    const omar = await volunteer(admin, OMAR, 'Omar', 'Benali');
    return { admin, operator, layla, omar };
  })());

let taskId = '';

test('an operator asks for help sharing only a first name and the language, sees why each volunteer is proposed and offers the task', async ({ browser }) => {
  await ready();
  const { page, context } = await newPage(browser);
  await signIn(page, OPERATOR);
  await page.getByRole('link', { name: 'Richieste di aiuto' }).first().click();
  await expect(page).toHaveURL(/\/richieste-di-aiuto$/);
  await expect(page.getByTestId('empty-state')).toContainText('Nessuna richiesta di aiuto');
  await checkA11y(page, 'tasks-empty');

  await page.getByRole('button', { name: 'Nuova richiesta' }).click();
  // Sent empty: every required field is named under itself at once, and nothing is asked of the
  // server (GraphQL would refuse the nulls with no field to show them on).
  const sentRequests: string[] = [];
  page.on('request', (r) => {
    if (r.url().endsWith('/graphql') && (r.postData() ?? '').includes('requestTask')) sentRequests.push(r.postData() ?? '');
  });
  await page.getByRole('button', { name: 'Invia la richiesta' }).click();
  const requestForm = page.locator('form').filter({ has: page.getByRole('button', { name: 'Invia la richiesta' }) });
  await expect(requestForm.locator('.field-error')).toHaveCount(5);
  for (const field of ['Competenza richiesta', 'Comune', 'Inizio', 'Fine']) {
    await expect(requestForm.getByLabel(label(field))).toHaveAttribute('aria-invalid', 'true');
  }
  await expect(requestForm.getByRole('combobox', { name: 'Lingua della persona' })).toHaveAttribute('aria-invalid', 'true');
  await expect(requestForm.locator('.field-error').first()).toHaveText('Campo obbligatorio: compilalo');
  await expect(requestForm.locator('.alert-danger')).toHaveCount(0);
  expect(sentRequests).toEqual([]);
  // The shared note stops at the API's 500 characters and says how many are left.
  await requestForm.locator('label').getByText('Aggiungi una nota per il volontario', { exact: true }).click();
  const note = requestForm.getByLabel('Nota condivisa');
  await expect(note).toHaveAttribute('maxlength', '500');
  await expect(requestForm.getByTestId('char-counter')).toHaveText('Ancora 500 caratteri');
  await note.fill('x'.repeat(499));
  await expect(requestForm.getByTestId('char-counter')).toHaveText('Ancora 1 carattere');
  await note.fill('');
  await requestForm.locator('label').getByText('Aggiungi una nota per il volontario', { exact: true }).click();
  await expect(requestForm.getByLabel('Nome di battesimo')).toHaveAttribute('maxlength', '200');
  const shared = page.getByTestId('shared-summary');
  // Data minimisation is visible: nothing about the person is shared until the operator types it.
  await expect(shared).toContainText('nulla oltre a competenza, luogo e orario');
  await expect(shared).toContainText('Non vedrà mai: cognome, documenti, recapiti, fascicolo.');
  await page.getByLabel('Competenza richiesta').selectOption({ label: 'Supporto linguistico' });
  await page.getByRole('combobox', { name: 'Lingua della persona' }).fill('arab');
  await page.getByRole('option', { name: 'arabo (ar)' }).click();
  await page.getByLabel(label('Comune')).selectOption({ index: 1 });
  await page.getByLabel(label('Sportello')).selectOption({ label: isolated('Sportello Lucca centro') });
  await page.getByLabel(label('Luogo')).selectOption({ label: isolated('Scuola Carducci') });
  // An end before the start is refused next to the end, by the form itself (nothing sent).
  await page.getByLabel(label('Inizio')).fill(`${tomorrow()}T10:00`);
  await page.getByLabel(label('Fine')).fill(`${tomorrow()}T09:00`);
  await page.getByLabel('Nome di battesimo').fill('Amina');
  await expect(shared).toContainText(`il nome di battesimo: ${isolated('Amina')}`);
  await expect(shared).toContainText('la lingua: arabo');
  await checkA11y(page, 'task-request-form');
  await page.getByRole('button', { name: 'Invia la richiesta' }).click();
  await expect(page.locator('.field-error')).toHaveCount(1);
  await expect(page.getByLabel(label('Fine'))).toHaveAttribute('aria-invalid', 'true');
  await page.getByLabel(label('Fine')).fill(`${tomorrow()}T12:00`);
  await page.getByRole('button', { name: 'Invia la richiesta' }).click();

  await expect(page).toHaveURL(/\/richieste-di-aiuto\/[^/]+$/);
  taskId = decodeURIComponent(page.url().split('/').pop() ?? '');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Richiesta: Supporto linguistico');
  await expect(page.getByTestId('task-details')).toContainText('Amina');
  // Where: the place with its address, then the municipality.
  await expect(page.getByTestId('task-where')).toContainText('Scuola Carducci · Via del Fosso 12, Lucca');
  await expect(page.getByTestId('task-where')).toContainText('Lucca');
  expect(sentRequests).toHaveLength(1);
  const matches = page.getByTestId('match');
  await expect(matches).toHaveCount(2);
  const layla = matches.filter({ hasText: 'Layla Haddad' });
  await expect(layla.getByTestId('match-reasons')).toContainText('ha la competenza richiesta');
  await expect(layla.getByTestId('match-reasons')).toContainText('parla la lingua (livello madrelingua)');
  await expect(layla.getByTestId('match-reasons')).toContainText('è disponibile per tutta la fascia oraria');
  await expect(layla.getByTestId('match-reasons')).toContainText('opera nel comune');
  await checkA11y(page, 'task-matches');

  // Offering to nobody is named; then to Layla only.
  await page.getByRole('button', { name: 'Proponi il compito' }).click();
  await expect(page.getByText('Scegli almeno un volontario')).toBeVisible();
  await tick(layla, `Proponi a ${isolated('Layla Haddad')}`);
  await page.getByRole('button', { name: 'Proponi il compito' }).click();
  const offers = page.getByTestId('offers');
  await expect(offers).toContainText('Layla Haddad');
  await expect(offers).toContainText('Proposta');
  await expect(layla.getByRole('checkbox')).toBeDisabled();
  await context.close();
});

test('the volunteer, on a phone, accepts the task, logs hours, and is told when another volunteer took a task first', async ({ browser }) => {
  const { operator, omar } = await ready();
  // A second task offered to both: Omar takes it while Layla's screen still shows the offer.
  const startsAt = `${tomorrow()}T14:00:00Z`;
  const second = (
    await operator('mutation($i: RequestTaskInput!) { requestTask(input: $i) { id } }', {
      i: { skill: 'LANGUAGE_SUPPORT', language: 'ar', territory: LUCCA, startsAt, endsAt: `${tomorrow()}T15:00:00Z`, personFirstName: 'Yusuf' },
    })
  ).requestTask.id as string;
  const { layla } = await ready();
  await operator('mutation($i: OfferTaskInput!) { offerTask(input: $i) { status } }', { i: { taskId: second, volunteerIds: [layla.id, omar.id] } });

  const { page, context } = await newPage(browser, PHONE);
  await signIn(page, LAYLA);
  await expect(page).toHaveURL(/\/le-mie-attivita$/);
  const offered = page.getByTestId('offered-tasks').getByTestId('my-task');
  await expect(offered).toHaveCount(2);
  await expect(page.getByTestId('accepted-tasks').getByTestId('my-task')).toHaveCount(0);
  await checkA11y(page, 'my-tasks-phone');
  // Nothing wider than the phone.
  expect(await pageWidth(page)).toBeLessThanOrEqual(PHONE.width);

  await omar.client('mutation($t: ID!) { acceptTask(taskId: $t) { offer } }', { t: second });
  const yusuf = offered.filter({ hasText: 'Yusuf' });
  await yusuf.getByRole('button', { name: 'Accetto' }).click();
  await expect(yusuf.getByTestId('task-taken')).toContainText('Un altro volontario ha già accettato questo compito');
  await expect(yusuf.getByRole('button', { name: 'Accetto' })).toHaveCount(0);

  const amina = offered.filter({ hasText: 'Amina' });
  await expect(amina).toContainText('parla arabo');
  // The card says where: the place and its address, not only the municipality.
  await expect(amina.getByTestId('task-where')).toContainText('Scuola Carducci · Via del Fosso 12, Lucca');
  await expect(yusuf.getByTestId('task-where')).toHaveText('Lucca');
  await amina.getByRole('button', { name: 'Accetto' }).click();
  const accepted = page.getByTestId('accepted-tasks').getByTestId('my-task');
  await expect(accepted).toHaveCount(1);
  await expect(accepted).toContainText('Amina');
  await expect(accepted).toContainText('Accettata');

  // The task is tomorrow: its hours are logged from its day on, so today's time goes on its own.
  await expect(accepted.getByRole('button', { name: 'Registra le ore' })).toHaveCount(0);
  await expect(accepted.getByTestId('hours-later')).toContainText('dal giorno in cui si svolge');
  await page.getByRole('button', { name: 'Registra ore senza compito' }).click();
  const logForm = page.locator('form').filter({ has: page.getByRole('button', { name: 'Salva le ore' }) });
  // No time given is named next to the hours.
  await logForm.getByRole('button', { name: 'Salva le ore' }).click();
  await expect(logForm.locator('.field-error')).toContainText('Indica il tempo dato');
  // Digits as an Arabic phone keyboard types them.
  await logForm.getByLabel(label('Ore')).fill('٢');
  await logForm.getByLabel(label('Minuti')).fill('٣٠');
  await logForm.getByLabel('Nota (facoltativa)').fill('Accompagnata all’anagrafe');
  await checkA11y(page, 'log-hours-phone');
  await logForm.getByRole('button', { name: 'Salva le ore' }).click();
  const hours = page.getByTestId('my-hours-row');
  await expect(hours).toHaveCount(1);
  await expect(hours).toContainText('2 h 30 min');
  await expect(hours).toContainText('Da approvare');

  // After a reload the state is the server's: the taken task is closed, the hours pending.
  await page.reload();
  await expect(page.getByTestId('accepted-tasks').getByTestId('my-task')).toHaveCount(1);
  await expect(page.getByTestId('offered-tasks').getByTestId('my-task')).toHaveCount(0);
  await expect(page.getByTestId('my-hours-row')).toContainText('Da approvare');

  await toArabic(page);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('أنشطتي');
  // Hours in the words of the language, with its forms for two (not «2 ساعة»).
  await expect(page.getByTestId('my-hours-row')).toContainText('ساعتان و30 دقيقة');
  await checkA11y(page, 'my-tasks-phone-ar');
  expect(await pageWidth(page)).toBeLessThanOrEqual(PHONE.width);
  // A status badge keeps its distance from the title next to it.
  const card = page.getByTestId('accepted-tasks').getByTestId('my-task');
  const title = await card.getByRole('heading', { level: 3 }).boundingBox();
  const badge = await card.locator('[data-status]').first().boundingBox();
  expect(title && badge && Math.max(badge.x - (title.x + title.width), title.x - (badge.x + badge.width))).toBeGreaterThanOrEqual(6);
  await context.close();
});

test('staff approve the hours, see who accepted the task and lend the volunteer to a body', async ({ browser }) => {
  const { layla } = await ready();
  const { page, context } = await newPage(browser);
  await signIn(page, OPERATOR);
  await page.goto(`/richieste-di-aiuto/${encodeURIComponent(taskId)}`);
  await expect(page.getByTestId('accepted-by')).toHaveText('Layla Haddad');
  await expect(page.locator('.page-head [data-status]')).toHaveText('Assegnata');
  await expect(page.getByTestId('offers')).toContainText('Accettata');
  // The task starts tomorrow: it cannot be marked done yet (the API refuses it), only cancelled.
  await expect(page.getByRole('button', { name: 'Segna come svolta' })).toHaveCount(0);
  await expect(page.getByTestId('done-later')).toContainText('dall’inizio del compito');
  await expect(page.getByRole('button', { name: 'Annulla la richiesta' })).toBeVisible();

  // The list says where too: the place before the municipality.
  await page.goto('/richieste-di-aiuto');
  await expect(page.getByTestId('task-list').locator('.case-row').filter({ hasText: 'Amina' })).toContainText(`Scuola Carducci, Lucca`);
  await page.getByRole('link', { name: 'Ore da approvare' }).first().click();
  const row = page.getByTestId('hours-row');
  await expect(row).toHaveCount(1);
  await expect(row).toContainText('Layla Haddad');
  await expect(row).toContainText('2 h 30 min');
  await checkA11y(page, 'hours-to-approve');
  await row.getByRole('button', { name: 'Approva' }).click();
  await expect(row).toContainText('Approvate');
  await expect(row.getByRole('button', { name: 'Approva' })).toHaveCount(0);
  // Read again: approved among all, none left pending.
  await page.getByLabel(label('Stato')).selectOption('APPROVED');
  await expect(page.getByTestId('hours-row')).toHaveCount(1);
  await page.getByLabel(label('Stato')).selectOption('PENDING');
  await expect(page.getByTestId('empty-state')).toContainText('Nessuna ora da approvare');
  // The volunteer reads the decision.
  const mine = await layla.client('{ myHours(first: 5) { nodes { status minutes } } }');
  expect(mine.myHours.nodes).toEqual([{ status: 'APPROVED', minutes: 150 }]);

  await page.getByRole('link', { name: 'Deleghe' }).first().click();
  await page.getByLabel('Volontario').selectOption({ label: isolated('Layla Haddad') });
  await expect(page.getByText('Nessuna delega.')).toBeVisible();
  await page.getByLabel('Ente richiedente').fill('Caritas diocesana di Lucca');
  await page.getByRole('button', { name: 'Registra la delega' }).click();
  await expect(page.getByLabel(label('Al'))).toHaveAttribute('aria-invalid', 'true');
  await page.getByLabel(label('Al')).fill(tomorrow());
  await page.getByRole('button', { name: 'Registra la delega' }).click();
  await expect(page.getByTestId('delegations')).toContainText('Caritas diocesana di Lucca');
  await checkA11y(page, 'delegations');

  // Staff's screens on a 390 px phone: nothing wider than the screen.
  await page.setViewportSize(PHONE);
  for (const path of ['/richieste-di-aiuto', `/richieste-di-aiuto/${encodeURIComponent(taskId)}`, '/ore', '/deleghe']) {
    await page.goto(path);
    await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
    await expect(page.getByRole('status')).toHaveCount(0);
    expect(await pageWidth(page), path).toBeLessThanOrEqual(PHONE.width);
    await checkA11y(page, `phone ${path}`);
  }
  // The same in Arabic: right to left, nothing pushed past the phone's edge (a definition's
  // description once overflowed it by 40 px).
  await toArabic(page);
  for (const path of ['/richieste-di-aiuto', `/richieste-di-aiuto/${encodeURIComponent(taskId)}`, '/ore', '/deleghe']) {
    await page.goto(path);
    await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
    await expect(page.getByRole('status')).toHaveCount(0);
    expect(await pageWidth(page), `${path} in Arabic`).toBeLessThanOrEqual(PHONE.width);
    await checkA11y(page, `phone ${path} ar`);
  }
  await toItalian(page);
  await context.close();
});

test('suspending a volunteer says how many assigned tasks go back to open; the suspended volunteer reads one message and no form', async ({ browser }) => {
  const { omar, operator } = await ready();
  const { page, context } = await newPage(browser);
  await signIn(page, ADMIN);
  await page.goto(`/volontari/${encodeURIComponent(omar.id)}`);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Omar Benali');
  // Omar took Yusuf's task (tomorrow): suspending him gives it back.
  await page.getByTestId('status-actions').getByRole('button', { name: /^Sospendi/ }).click();
  const dialog = page.getByRole('dialog');
  await expect(dialog.getByTestId('open-tasks')).toHaveText('Il suo compito assegnato non ancora concluso tornerà aperto, da proporre ad altri.');
  await checkA11y(page, 'suspend-dialog');
  await confirmDialog(page, 'Sospendere il volontario?');
  await expect(page.getByTestId('volunteer-status').first()).toHaveText('Sospeso');
  const yusuf = (await operator('{ tasks(first: 50) { nodes { personFirstName status volunteerId } } }')).tasks.nodes.find((x: { personFirstName: string }) => x.personFirstName === 'Yusuf');
  expect(yusuf).toEqual({ personFirstName: 'Yusuf', status: 'OPEN', volunteerId: null });
  // Nothing left to give back: the dialog says so.
  await page.getByTestId('status-actions').getByRole('button', { name: /^Ritira/ }).click();
  await expect(page.getByRole('dialog').getByTestId('open-tasks')).toHaveText('Non ha compiti assegnati in corso o futuri.');
  await page.getByRole('dialog').getByTestId('confirm-keep').click();
  await context.close();

  // Omar on his phone: one message on each of his screens, no form, no "not found".
  const phone = await newPage(browser, PHONE);
  await signIn(phone.page, OMAR);
  const message = 'La tua iscrizione al registro dei volontari non è attiva: rivolgiti allo sportello.';
  for (const path of ['/le-mie-attivita', '/il-mio-profilo', '/i-miei-corsi']) {
    await phone.page.goto(path);
    await expect(phone.page.getByTestId('volunteer-not-active'), path).toContainText(message);
    await expect(phone.page.getByText(message)).toHaveCount(1);
    await expect(phone.page.getByText('Non trovato')).toHaveCount(0);
    await expect(phone.page.locator('main form')).toHaveCount(0);
    await expect(phone.page.getByRole('button', { name: /Registra/ })).toHaveCount(0);
    await checkA11y(phone.page, `not-active ${path}`);
  }
  await toArabic(phone.page);
  await expect(phone.page.getByTestId('volunteer-not-active')).toContainText('تسجيلك في سجل المتطوعين غير نشط');
  expect(await pageWidth(phone.page)).toBeLessThanOrEqual(PHONE.width);
  await phone.context.close();
});

test('another tenant sees neither the task nor the hours', async ({ browser }) => {
  await ready();
  const { operator: other } = await ownTenant({
    name: 'Comune di Empoli (volontari, prova)',
    istat: EMPOLI,
    desk: 'Sportello Empoli',
    admin: { ...OTHER_ADMIN, displayName: 'Admin Empoli' },
    operator: { ...OTHER_OPERATOR, displayName: 'Operatore Empoli' },
  });
  const list = await other('{ tasks(first: 50) { nodes { id } } hours(first: 50) { nodes { id } } }');
  expect(list.tasks.nodes).toEqual([]);
  expect(list.hours.nodes).toEqual([]);
  await expect(other('query($id: ID!) { task(id: $id) { id } }', { id: taskId })).rejects.toThrow(/NOT_FOUND/);

  const { page, context } = await newPage(browser);
  await signIn(page, OTHER_OPERATOR);
  await page.goto('/richieste-di-aiuto');
  await expect(page.getByTestId('empty-state')).toContainText('Nessuna richiesta di aiuto');
  await page.goto(`/richieste-di-aiuto/${encodeURIComponent(taskId)}`);
  await expect(page.getByText('Amina')).toHaveCount(0);
  // Said once, as the page's heading, with the way back to the list.
  await expect(page.getByRole('heading', { level: 1, name: 'Richiesta non trovata' })).toBeVisible();
  await expect(page.getByText(/non trovat/i)).toHaveCount(1);
  await expect(page.getByText('Impossibile caricare i dati.')).toHaveCount(0);
  await checkA11y(page, 'task-other-tenant');
  await page.getByTestId('item-not-found').getByRole('link', { name: 'Richieste di aiuto' }).click();
  await expect(page).toHaveURL(/\/richieste-di-aiuto$/);
  await page.goto('/ore');
  await expect(page.getByTestId('empty-state')).toContainText('Nessuna ora da approvare');
  await checkA11y(page, 'hours-other-tenant');
  await context.close();
});
