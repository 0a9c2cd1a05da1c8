// The housing service in the console: a coordinator adds a unit with two rooms of two beds; two
// households go on the waiting list, each score explained factor by factor; both are placed in
// the unit in co-housing (two beds each), one from its application in the console; milestones
// are recorded and show on the case page; one household leaves and its 6-month follow-up,
// already due (the stay started 300 days ago and ended 190 days ago), is recorded from the
// section's home. Every form names all its missing fields at once; withdrawing asks first. The
// occupancy calendar scrolls on a 390 px phone. The tenant's dashboard then shows the housing
// indicators of this flow (occupancy, stay, autonomy, follow-up, families housed against the
// target of 10), also on a phone; another tenant's shows 0 and sees none of the units,
// applications or placements. A placement not begun yet offers no exit, and can be cancelled
// after a confirmation: its beds are free again for its days and its household is back on the
// waiting list. axe-core on every screen.
import { expect, type Locator, type Page } from '@playwright/test';
import { test, PHONE, api, checkA11y, confirmDialog, newPage, ownTenant, signIn, tick } from './helpers';
import { elideItalian } from '../src/i18n/elision';

test.describe.configure({ mode: 'serial' });

const ADMIN = { email: 'admin@ferrara-abitare.example.org', password: 'Castello-Estense-2026' };
const OPERATOR = { email: 'operatore@ferrara-abitare.example.org', password: 'Palazzo-Diamanti-2026' };
const COORDINATOR = { email: 'coordinatrice@ferrara-abitare.example.org', password: 'Mura-Ferrara-2026' };
const OTHER_ADMIN = { email: 'admin@ravenna-abitare.example.org', password: 'San-Vitale-2026' };
const OTHER_OPERATOR = { email: 'operatore@ravenna-abitare.example.org', password: 'Galla-Placidia-2026' };
const FERRARA = '038008';
const RAVENNA = '039014';

type Call = Awaited<ReturnType<typeof api>>;

/** A day `offset` days from today on the tenant's clock (Europe/Rome), `YYYY-MM-DD`. */
function day(offset: number): string {
  const rome = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Rome', year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date());
  const d = new Date(`${rome}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + offset);
  return d.toISOString().slice(0, 10);
}

/** A field's label, with or without the mark of a required one. */
const label = (text: string) => new RegExp(`^${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}( \\*)?$`);

type Seed = {
  operator: Call;
  coordinator: Call;
  other: Call;
  rossiHousehold: string;
  haddadHousehold: string;
  contiHousehold: string;
  rossiCase: string;
};

let seeded: Promise<Seed> | null = null;
const ready = () =>
  (seeded ??= (async () => {
    const { admin, operator } = await ownTenant({
      name: 'Comune di Ferrara (abitare, prova)',
      istat: FERRARA,
      desk: 'Sportello Ferrara',
      admin: { ...ADMIN, displayName: 'Admin Ferrara' },
      operator: { ...OPERATOR, displayName: 'Operatore Ferrara' },
    });
    const token = (
      await admin('mutation($i: InviteUserInput!) { inviteUser(input: $i) { token } }', { i: { email: COORDINATOR.email, roles: ['COORDINATOR'] } })
    ).inviteUser.token;
    const coordinator = await api();
    await coordinator('mutation($t: String!, $p: String!, $n: String) { acceptInvitation(input: {token: $t, password: $p, displayName: $n}) { csrfToken } }', {
      t: token,
      p: COORDINATOR.password,
      n: 'Coordinatrice Ferrara',
    });
    const { operator: other } = await ownTenant({
      name: 'Comune di Ravenna (abitare, prova)',
      istat: RAVENNA,
      desk: 'Sportello Ravenna',
      admin: { ...OTHER_ADMIN, displayName: 'Admin Ravenna' },
      operator: { ...OTHER_OPERATOR, displayName: 'Operatore Ravenna' },
    });
    const person = async (givenNames: string, familyNames: string, year?: number) =>
      (
        await operator('mutation($i: PersonInput!) { createPerson(input: $i) { id } }', {
          i: { givenNames, familyNames, territoryCode: FERRARA, ...(year ? { birth: { year } } : {}) },
        })
      ).createPerson.id as string;
    const household = async (labelText: string, members: [string, string][]) => {
      const id = (await operator('mutation($l: String!, $t: String!) { createHousehold(label: $l, territoryCode: $t) { id } }', { l: labelText, t: FERRARA }))
        .createHousehold.id as string;
      for (const [personId, role] of members) {
        await operator('mutation($h: ID!, $p: ID!, $r: HouseholdRole!) { addHouseholdMember(householdId: $h, personId: $p, role: $r) { id } }', { h: id, p: personId, r: role });
      }
      return id;
    };
    const maria = await person('Maria', 'Rossi', 1985);
    const luca = await person('Luca', 'Rossi', new Date().getFullYear() - 8);
    const rossiHousehold = await household('Famiglia Rossi', [
      [maria, 'HEAD'],
      [luca, 'CHILD'],
    ]);
    const haddadHousehold = await household('Famiglia Haddad', [[await person('Youssef', 'Haddad', 1979), 'HEAD']]);
    const contiHousehold = await household('Famiglia Conti', [[await person('Anna', 'Conti', 1990), 'HEAD']]);
    await operator('mutation($p: ID!) { recordConsent(personId: $p, purpose: CASE_MANAGEMENT, given: true) { given } }', { p: maria });
    const rossiCase = (await operator('mutation($p: ID!) { openCase(personId: $p) { id } }', { p: maria })).openCase.id as string;
    return { operator, coordinator, other, rossiHousehold, haddadHousehold, contiHousehold, rossiCase };
  })());

let unitId = '';
let rossiPlacement = '';
let haddadPlacement = '';
let contiPlacement = '';

/** Chooses the option of `select` whose text holds `text` (user data is isolated in options). */
async function choose(select: Locator, text: string) {
  const value = await select.locator('option', { hasText: text }).first().getAttribute('value');
  expect(value, `an option with ${text}`).toBeTruthy();
  await select.selectOption(value!);
}

/** The page has no horizontal scroll of its own on a phone (the calendar scrolls inside). */
async function fitsPhone(page: Page) {
  // After a change of viewport the layout (charts included) settles on the next frames.
  await expect
    .poll(() => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth), {
      message: 'the page does not scroll sideways',
      timeout: 5_000,
    })
    .toBeLessThanOrEqual(1);
}

test('a coordinator adds a unit with two rooms of two beds; every missing field is named at once', async ({ browser }) => {
  await ready();
  const { page, context } = await newPage(browser);
  await signIn(page, COORDINATOR);
  await page.getByRole('link', { name: 'Abitare', exact: true }).first().click();
  await expect(page).toHaveURL(/\/abitare$/);
  await expect(page.getByRole('heading', { name: 'Follow-up in scadenza' })).toBeVisible();
  await expect(page.getByTestId('empty-state')).toContainText('Nessun follow-up in scadenza');
  await checkA11y(page, 'housing-home');

  await page.getByRole('navigation', { name: 'Sezione abitare' }).getByRole('link', { name: 'Alloggi' }).click();
  await expect(page).toHaveURL(/\/abitare\/alloggi$/);
  await expect(page.getByTestId('empty-state')).toContainText('Nessun alloggio');
  await checkA11y(page, 'housing-units-empty');
  await page.getByRole('link', { name: 'Nuovo alloggio' }).click();
  await expect(page).toHaveURL(/\/abitare\/alloggi\/nuovo$/);
  await checkA11y(page, 'housing-unit-form');

  // Everything missing is named at once, next to its field, before asking the server.
  await page.getByRole('button', { name: 'Aggiungi l’alloggio' }).click();
  for (const name of ['Nome', 'Tipo', 'Proprietà', 'Proprietario', 'Indirizzo', 'Nome della stanza 1', 'Letti della stanza 1']) {
    await expect(page.getByLabel(label(name)), name).toHaveAttribute('aria-invalid', 'true');
  }
  await expect(page.locator('.field-error')).toHaveCount(7);
  // The tenant's one municipality is chosen already.
  await expect(page.getByLabel(label('Comune'))).toHaveValue(FERRARA);
  await checkA11y(page, 'housing-unit-form-errors');

  await page.getByLabel(label('Nome')).fill('Casa di via Garibaldi');
  await page.getByLabel(label('Tipo')).selectOption({ label: 'Appartamento' });
  await page.getByLabel(label('Proprietà')).selectOption({ label: 'Terzo settore' });
  await page.getByLabel(label('Proprietario')).fill('Cooperativa Il Ponte');
  await page.getByLabel(label('Indirizzo')).fill('Via Garibaldi 12');
  await tick(page, 'Accessibile (senza barriere, bagno accessibile)');
  await page.getByLabel('Spazi comuni').fill('cucina, soggiorno');
  await page.getByLabel('Regolamento della casa').fill('Silenzio dalle 22 alle 7.');
  await page.getByLabel(label('Nome della stanza 1')).fill('Camera azzurra');
  await page.getByLabel(label('Letti della stanza 1')).fill('13');
  await page.getByRole('button', { name: 'Aggiungi una stanza' }).click();
  await page.getByLabel(label('Nome della stanza 2')).fill('Camera verde');
  await page.getByLabel(label('Letti della stanza 2')).fill('2');
  // 13 beds is more than a room takes: said before sending.
  await page.getByRole('button', { name: 'Aggiungi l’alloggio' }).click();
  await expect(page.getByLabel(label('Letti della stanza 1'))).toHaveAttribute('aria-invalid', 'true');
  await expect(page.locator('.field-error')).toHaveCount(1);
  await page.getByLabel(label('Letti della stanza 1')).fill('2');
  await page.getByRole('button', { name: 'Aggiungi l’alloggio' }).click();

  await expect(page).toHaveURL(/\/abitare\/alloggi\/(?!nuovo)[^/?]+$/);
  unitId = decodeURIComponent(page.url().split('/').pop()!);
  await expect(page.getByRole('heading', { level: 1 })).toContainText('Casa di via Garibaldi');
  await expect(page.getByTestId('unit-state').first()).toHaveText('Disponibile');
  await expect(page.getByTestId('unit-facts').getByTestId('unit-beds')).toHaveText('4 letti liberi su 4');
  await expect(page.getByTestId('unit-room')).toHaveCount(2);
  await expect(page.getByTestId('unit-bed')).toHaveCount(4);
  await expect(page.getByTestId('occupancy-bed')).toHaveCount(4);
  await expect(page.getByTestId('occupancy-stay')).toHaveCount(0);
  await checkA11y(page, 'housing-unit-page');

  // Withdrawing the unit asks first; keeping it changes nothing.
  await page.getByRole('link', { name: 'Modifica o cambia stato' }).click();
  await expect(page).toHaveURL(/\/modifica$/);
  await page.getByLabel(label('Stato')).selectOption({ label: 'Ritirato' });
  await page.getByRole('button', { name: 'Salva le modifiche' }).click();
  const dialog = page.getByRole('dialog');
  await expect(dialog).toContainText('Ritirare l’alloggio?');
  await checkA11y(page, 'housing-unit-withdraw-dialog');
  await dialog.getByTestId('confirm-keep').click();
  await expect(dialog).toBeHidden();
  await expect(page).toHaveURL(/\/modifica$/);
  await page.getByLabel(label('Stato')).selectOption({ label: 'Disponibile' });
  await page.getByRole('button', { name: 'Salva le modifiche' }).click();
  await expect(page).toHaveURL(/\/abitare\/alloggi\/(?!nuovo)[^/?]+$/);
  await expect(page.getByTestId('unit-state').first()).toHaveText('Disponibile');

  await page.getByRole('navigation', { name: 'Sezione abitare' }).getByRole('link', { name: 'Alloggi' }).click();
  await expect(page.getByTestId('unit-row')).toHaveCount(1);
  await expect(page.getByTestId('unit-row')).toContainText('4 letti liberi su 4');
  await expect(page.getByTestId('unit-row')).toContainText('Disponibile');
  await checkA11y(page, 'housing-units');
  await context.close();
});

test('two households go on the waiting list, each score explained; the priority rule changes with a reason; a withdrawal asks first', async ({ browser }) => {
  const { coordinator, haddadHousehold, contiHousehold } = await ready();
  const { page, context } = await newPage(browser);
  await signIn(page, COORDINATOR);
  await page.goto('/abitare/lista-di-attesa');
  await expect(page.getByTestId('empty-state')).toContainText('Nessuna domanda');
  await page.getByRole('link', { name: 'Nuova domanda' }).first().click();
  await expect(page).toHaveURL(/\/abitare\/domande\/nuova$/);
  await checkA11y(page, 'housing-application-form');
  await page.getByRole('button', { name: 'Metti in lista' }).click();
  await expect(page.getByLabel(label('Nucleo familiare'))).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByLabel(label('Fascia di reddito (ISEE)'))).toHaveAttribute('aria-invalid', 'true');
  await expect(page.locator('.field-error')).toHaveCount(2);
  await checkA11y(page, 'housing-application-form-errors');

  // The health checkbox is marked as special-category data.
  await expect(page.getByTestId('special-category')).toContainText('Dati di categoria particolare (art. 9 GDPR)');
  await choose(page.getByLabel(label('Nucleo familiare')), 'Famiglia Rossi');
  await page.getByLabel('Data dell’intimazione di sfratto').fill(day(-20));
  await page.getByLabel(label('Fascia di reddito (ISEE)')).selectOption({ label: 'molto bassa' });
  await tick(page, 'Condizione di salute o disabilità nel nucleo');
  await page.getByLabel('Nota').fill('Sfratto per morosità incolpevole.');
  await page.getByRole('button', { name: 'Metti in lista' }).click();
  await expect(page).toHaveURL(/\/abitare\/domande\/(?!nuova)[^/?]+$/);
  // 1 minor × 10 + eviction 30 + very low income 25 + health 20 = 85.
  await expect(page.getByTestId('application-score')).toContainText('85');
  const why = page.getByTestId('explanation');
  await expect(why.locator('[data-factor="MINORS"]')).toHaveText('1 minore × 10 = 10');
  await expect(why.locator('[data-factor="EVICTION_NOTICE"]')).toHaveText('Sfratto intimato = 30');
  await expect(why.locator('[data-factor="INCOME_BAND"]')).toHaveText('Fascia di reddito molto bassa = 25');
  await expect(why.locator('[data-factor="HEALTH_OR_DISABILITY"]')).toHaveText('Salute o disabilità nel nucleo = 20');
  // No month on the list yet: a factor that does not apply is not listed as «0 … × 0 = 0».
  await expect(why.locator('li')).toHaveCount(4);
  await expect(why.locator('[data-factor="MONTHS_WAITING"]')).toHaveCount(0);
  await expect(page.getByTestId('score-history').locator('li')).toHaveCount(1);
  await expect(page.getByTestId('score-history')).toContainText('Domanda presentata');
  await checkA11y(page, 'housing-application-page');

  // Correcting the facts moves the score, and the history says so.
  await page.getByRole('link', { name: 'Correggi i dati' }).click();
  await page.getByLabel(label('Fascia di reddito (ISEE)')).selectOption({ label: 'bassa' });
  await page.getByRole('button', { name: 'Salva i dati' }).click();
  await expect(page).toHaveURL(/\/abitare\/domande\/(?!nuova)[^/?]+$/);
  await expect(page.getByTestId('application-score')).toContainText('75');
  await expect(page.getByTestId('score-history').locator('li')).toHaveCount(2);
  await expect(page.getByTestId('score-history').locator('li').nth(1)).toContainText('da 85 a 75');

  // Two more households through the API: Haddad (low income, 15) and Conti, withdrawn below.
  await coordinator('mutation($i: ApplyForHousingInput!) { applyForHousing(input: $i) { id } }', { i: { householdId: haddadHousehold, facts: { incomeBand: 'LOW' } } });
  const conti = (
    await coordinator('mutation($i: ApplyForHousingInput!) { applyForHousing(input: $i) { id } }', { i: { householdId: contiHousehold, facts: { incomeBand: 'MEDIUM' } } })
  ).applyForHousing.id as string;

  await page.getByRole('navigation', { name: 'Sezione abitare' }).getByRole('link', { name: 'Lista d’attesa' }).click();
  const rows = page.getByTestId('waiting-row');
  await expect(rows).toHaveCount(3);
  await expect(rows.nth(0)).toContainText('1º');
  await expect(rows.nth(0)).toContainText('Famiglia Rossi');
  await expect(rows.nth(0)).toContainText('75 punti');
  await expect(rows.nth(0).locator('[data-factor="MINORS"]')).toHaveText('1 minore × 10 = 10');
  await expect(rows.nth(1)).toContainText('2º');
  await expect(rows.nth(1)).toContainText('Famiglia Haddad');
  await expect(rows.nth(1).locator('[data-factor="INCOME_BAND"]')).toHaveText('Fascia di reddito bassa = 15');
  // Haddad has no minor, no eviction notice, no health condition: only the income band counts.
  await expect(rows.nth(1).locator('[data-factor]')).toHaveCount(1);
  await expect(rows.nth(2)).toContainText('Famiglia Conti');
  await checkA11y(page, 'housing-waiting-list');

  // Withdrawing asks first.
  await page.goto(`/abitare/domande/${encodeURIComponent(conti)}`);
  await page.getByRole('button', { name: 'Ritira la domanda' }).click();
  await confirmDialog(page, 'Ritirare la domanda?');
  await expect(page.getByTestId('application-status').first()).toHaveText('Ritirata');
  await page.goto('/abitare/lista-di-attesa');
  await expect(page.getByTestId('waiting-row')).toHaveCount(2);

  // The priority rule: a change needs a reason, and is kept with it.
  await page.getByRole('navigation', { name: 'Sezione abitare' }).getByRole('link', { name: 'Regola di priorità' }).click();
  await expect(page.getByTestId('rule-current').locator('[data-key="perMinor"]')).toHaveText('10');
  await page.getByTestId('rule-form').locator('summary').click();
  await page.getByLabel(label('Punti per ogni minore')).fill('');
  await page.getByRole('button', { name: 'Salva la regola' }).click();
  await expect(page.getByLabel(label('Punti per ogni minore'))).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByLabel(label('Motivo del cambio'))).toHaveAttribute('aria-invalid', 'true');
  await expect(page.locator('.field-error')).toHaveCount(2);
  await checkA11y(page, 'housing-priority-rule-errors');
  await page.getByLabel(label('Punti per ogni minore')).fill('12');
  await page.getByLabel(label('Motivo del cambio')).fill('Delibera di giunta sui nuclei con figli');
  await page.getByRole('button', { name: 'Salva la regola' }).click();
  await expect(page.getByTestId('rule-current').locator('[data-key="perMinor"]')).toHaveText('12');
  await expect(page.getByTestId('rule-history')).toContainText('Delibera di giunta sui nuclei con figli');
  await expect(page.getByTestId('rule-history')).toContainText('Versione 1');
  await checkA11y(page, 'housing-priority-rule');
  await page.goto('/abitare/lista-di-attesa');
  await expect(page.getByTestId('waiting-row').nth(0).locator('[data-factor="MINORS"]')).toHaveText('1 minore × 12 = 12');
  await context.close();
});

test('both households are placed in the unit in co-housing, two beds each, and milestones are recorded', async ({ browser }) => {
  const { coordinator, haddadHousehold } = await ready();
  const { page, context } = await newPage(browser);
  await signIn(page, COORDINATOR);
  await page.goto('/abitare/lista-di-attesa');
  await page.getByTestId('waiting-row').filter({ hasText: 'Famiglia Rossi' }).getByRole('link', { name: 'Famiglia Rossi' }).click();
  await page.getByRole('link', { name: 'Inserisci in un alloggio' }).click();
  await expect(page).toHaveURL(/\/abitare\/inserimenti\/nuovo\?/);
  await expect(page.getByTestId('placement-household')).toHaveText('Famiglia Rossi');
  await expect(page.getByTestId('placement-application')).toBeVisible();
  await page.getByLabel(label('Inizio')).fill('');
  await page.getByLabel(label('Contributo mensile (€)')).fill('');
  await page.getByRole('button', { name: 'Inserisci il nucleo' }).click();
  for (const name of ['Alloggio', 'Inizio', 'Fine prevista', 'Contributo mensile (€)']) {
    await expect(page.getByLabel(label(name)), name).toHaveAttribute('aria-invalid', 'true');
  }
  await expect(page.locator('.field-error')).toHaveCount(5);
  await checkA11y(page, 'housing-placement-form-errors');

  await choose(page.getByLabel(label('Alloggio')), 'Casa di via Garibaldi');
  const beds = page.getByRole('group', { name: 'Letti liberi' });
  await expect(beds.locator('input[type="checkbox"]')).toHaveCount(4);
  await beds.locator('label').nth(0).click();
  await beds.locator('label').nth(1).click();
  await page.getByLabel(label('Inizio')).fill(day(-300));
  await page.getByLabel(label('Fine prevista')).fill(day(60));
  await page.getByLabel(label('Contributo mensile (€)')).fill('150,50');
  await page.getByLabel(label('Cauzione (€)')).fill('300');
  await page.getByLabel('Regolamento firmato il').fill(day(-300));
  await checkA11y(page, 'housing-placement-form');
  await page.getByRole('button', { name: 'Inserisci il nucleo' }).click();
  await expect(page).toHaveURL(/\/abitare\/inserimenti\/(?!nuovo)[^/?]+$/);
  rossiPlacement = decodeURIComponent(page.url().split('/').pop()!);
  await expect(page.getByTestId('placement-status').first()).toHaveText('In corso');
  await expect(page.getByTestId('placement-contribution')).toHaveText(/150,50\s€/);
  await expect(page.getByTestId('placement-deposit')).toHaveText(/300,00\s€/);
  await expect(page.getByTestId('placement-facts')).toContainText('2 letti');

  // A milestone: every missing field named, then recorded.
  await page.getByTestId('milestone').locator('summary').click();
  await page.getByLabel(label('Raggiunto il')).fill('');
  await page.getByRole('button', { name: 'Registra il traguardo' }).click();
  await expect(page.getByLabel(label('Traguardo'))).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByLabel(label('Raggiunto il'))).toHaveAttribute('aria-invalid', 'true');
  await page.getByLabel(label('Traguardo')).selectOption({ label: 'Contratto di lavoro' });
  await page.getByLabel(label('Raggiunto il')).fill(day(-100));
  await page.getByLabel('Nota').fill('Assunta a tempo indeterminato');
  await page.getByRole('button', { name: 'Registra il traguardo' }).click();
  await expect(page.getByTestId('milestones').locator('li')).toHaveCount(1);
  await expect(page.getByTestId('milestones')).toContainText('Contratto di lavoro');
  await expect(page.getByTestId('milestones')).toContainText('Assunta a tempo indeterminato');
  await checkA11y(page, 'housing-placement-page');

  // The waiting application is placed; the list is Haddad's alone.
  await page.goto('/abitare/lista-di-attesa');
  await expect(page.getByTestId('waiting-row')).toHaveCount(1);
  await expect(page.getByTestId('waiting-row')).toContainText('Famiglia Haddad');

  // Haddad on the other two beds, from the same day, through the API; a bed already taken is refused.
  const unit = (await coordinator('query($id: ID!) { node(id: $id) { ... on Unit { rooms { beds { id placementId } } } } }', { id: unitId })).node;
  const free = (unit.rooms as { beds: { id: string; placementId: string | null }[] }[]).flatMap((r) => r.beds).filter((b) => !b.placementId).map((b) => b.id);
  expect(free).toHaveLength(2);
  const application = (await coordinator('query($h: ID!) { housingApplications(householdId: $h) { nodes { id } } }', { h: haddadHousehold })).housingApplications.nodes[0].id;
  haddadPlacement = (
    await coordinator('mutation($i: PlaceHouseholdInput!) { placeHousehold(input: $i) { id } }', {
      i: { householdId: haddadHousehold, applicationId: application, unitId, bedIds: free, startsOn: day(-300), plannedEndOn: day(60), monthlyContributionCents: 10000, depositCents: 20000 },
    })
  ).placeHousehold.id as string;
  await coordinator('mutation($i: RecordMilestoneInput!) { recordMilestone(input: $i) { id } }', {
    i: { placementId: haddadPlacement, kind: 'DEPOSIT_SAVED', reachedOn: day(-250) },
  });

  await page.goto(`/abitare/alloggi/${encodeURIComponent(unitId)}`);
  await expect(page.getByTestId('unit-facts').getByTestId('unit-beds')).toHaveText('0 letti liberi su 4');
  await expect(page.getByTestId('unit-state').first()).toHaveText('Occupato');
  // This month: four bars, one per bed, two for each household.
  await expect(page.getByTestId('occupancy-stay')).toHaveCount(4);
  await expect(page.getByTestId('occupancy-stay').filter({ hasText: 'Famiglia Rossi' })).toHaveCount(2);
  await expect(page.getByTestId('occupancy-stay').filter({ hasText: 'Famiglia Haddad' })).toHaveCount(2);
  await expect(page.getByTestId('unit-placements').locator('li')).toHaveCount(2);
  await checkA11y(page, 'housing-unit-occupied');
  await context.close();
});

test('one household leaves; its 6-month follow-up, already due, is recorded from the housing home', async ({ browser }) => {
  await ready();
  const { page, context } = await newPage(browser);
  await signIn(page, COORDINATOR);
  await page.goto(`/abitare/inserimenti/${encodeURIComponent(haddadPlacement)}`);
  await expect(page.getByTestId('milestones')).toContainText('Cauzione risparmiata');
  const exit = page.getByTestId('exit');
  await exit.locator('summary').click();
  await exit.locator('button[type="submit"]').click();
  await expect(page.getByLabel(label('Destinazione'))).toHaveAttribute('aria-invalid', 'true');
  await expect(page.locator('.field-error')).toHaveCount(1);
  await page.getByLabel(label('Data di uscita')).fill(day(-190));
  await page.getByLabel(label('Destinazione')).selectOption({ label: 'Affitto proprio' });
  await tick(page, 'Autonomia abitativa raggiunta');
  await exit.locator('button[type="submit"]').click();
  await checkA11y(page, 'housing-exit-dialog');
  await confirmDialog(page, 'Registrare l’uscita?');
  await expect(page.getByTestId('placement-status').first()).toHaveText('Concluso');
  await expect(page.getByTestId('placement-exit')).toContainText('Affitto proprio');
  await expect(page.getByTestId('placement-exit')).toContainText('autonomia abitativa raggiunta');
  await expect(page.getByTestId('placement-follow-up')).toHaveCount(2);
  await expect(page.getByTestId('placement-follow-up').filter({ hasText: 'A 12 mesi' })).toContainText('non ancora dovuto');
  await checkA11y(page, 'housing-placement-ended');

  // The due follow-up is on the housing home, with its form.
  await page.getByRole('link', { name: 'Abitare', exact: true }).first().click();
  const due = page.getByTestId('due-follow-up');
  await expect(due).toHaveCount(1);
  await expect(due).toContainText('Famiglia Haddad');
  await expect(due).toContainText('A 6 mesi');
  await due.locator('summary').click();
  await due.locator('button[type="submit"]').click();
  await expect(due.getByLabel(label('Dove vive ora'))).toHaveAttribute('aria-invalid', 'true');
  await checkA11y(page, 'housing-home-follow-up');
  await due.getByLabel(label('Dove vive ora')).selectOption({ label: 'Affitto proprio' });
  await due.locator('button[type="submit"]').click();
  await expect(page.getByTestId('due-follow-up')).toHaveCount(0);
  await expect(page.getByTestId('empty-state')).toContainText('Nessun follow-up in scadenza');

  await page.goto(`/abitare/inserimenti/${encodeURIComponent(haddadPlacement)}`);
  const six = page.getByTestId('placement-follow-up').filter({ hasText: 'A 6 mesi' });
  await expect(six.getByTestId('follow-up-recorded')).toBeVisible();
  await expect(six).toContainText('ancora in un alloggio');
  await expect(six).toContainText('Affitto proprio');

  // The beds Haddad left are free again; the unit is available.
  await page.goto(`/abitare/alloggi/${encodeURIComponent(unitId)}`);
  await expect(page.getByTestId('unit-facts').getByTestId('unit-beds')).toHaveText('2 letti liberi su 4');
  await expect(page.getByTestId('occupancy-stay')).toHaveCount(2);
  await context.close();
});

/** The figure a dashboard card shows, as a number (`null` while the card is not there). */
async function cardValue(page: Page, code: string): Promise<number | null> {
  const value = page.getByTestId(`indicator-${code}`).getByTestId('indicator-value');
  if ((await value.count()) === 0) return null;
  return Number((await value.innerText()).replace(/\D/g, ''));
}

/** Reloads the dashboard until the card `code` shows `expected` (the figures arrive asynchronously). */
async function waitForCard(page: Page, code: string, expected: number) {
  await expect
    .poll(
      async () => {
        await page.goto('/cruscotto');
        await expect(page.getByTestId('indicators').or(page.getByTestId('empty-state'))).toBeVisible();
        return cardValue(page, code);
      },
      { message: `${code} on the dashboard`, timeout: 30_000, intervals: [500, 1_000, 2_000] },
    )
    .toBe(expected);
}

test('the dashboard shows the housing indicators of the flow; another tenant housed nobody', async ({ browser }) => {
  const { other } = await ready();
  const { page, context } = await newPage(browser);
  await signIn(page, COORDINATOR);
  await page.getByRole('link', { name: 'Cruscotto', exact: true }).first().click();
  await expect(page).toHaveURL(/\/cruscotto$/);
  // The default period is the twelve months ending with this one: both placements started 300
  // days ago, Haddad left 190 days ago, and its 6-month follow-up was recorded today.
  // Occupancy at the end of the period: Rossi's two beds of the unit's four (Haddad's are free).
  await waitForCard(page, 'HOUSED_AT_6_MONTHS', 100);
  const card = (code: string) => page.getByTestId(`indicator-${code}`);
  const expected: [string, string, string][] = [
    ['OCCUPIED_BEDS', 'Posti letto occupati', '2'],
    ['VACANT_BEDS', 'Posti letto liberi', '2'],
    ['OCCUPANCY_RATE', 'Tasso di occupazione (%)', '50'],
    // Haddad stayed from day −300 to day −190.
    ['AVERAGE_STAY_DAYS', 'Durata media della permanenza (giorni)', '110'],
    // The one household that left reached housing autonomy, and at 6 months still lives in its own rent.
    ['AUTONOMY_AT_EXIT', 'Autonomia abitativa all’uscita (%)', '100'],
    ['HOUSED_AT_6_MONTHS', 'Ancora alloggiati a 6 mesi (%)', '100'],
    ['HOUSED_AT_12_MONTHS', 'Ancora alloggiati a 12 mesi (%)', '0'],
    // Rossi and Haddad, both placed in the period.
    ['FAMILIES_HOUSED', 'Famiglie accolte in alloggio', '2'],
  ];
  for (const [code, name, value] of expected) {
    await expect(card(code).locator('h3'), code).toHaveText(name);
    await expect(card(code).getByTestId('indicator-value'), code).toHaveText(value);
  }
  // The programme's targets: 10 families housed (2 of them, 20%), 14 accompanied.
  await expect(card('FAMILIES_HOUSED')).toContainText('Obiettivo: 10');
  await expect(card('FAMILIES_HOUSED')).toContainText('20% dell’obiettivo');
  await expect(card('FAMILIES_HOUSED').getByRole('progressbar')).toHaveAttribute('aria-valuenow', '20');
  await expect(card('FAMILIES_SUPPORTED')).toContainText('Obiettivo: 14');
  await expect(card('OCCUPIED_BEDS')).toContainText('Nessun obiettivo fissato');
  // What a figure counts is a disclosure away.
  await card('OCCUPANCY_RATE').getByTestId('indicator-help').locator('summary').click();
  await expect(card('OCCUPANCY_RATE').getByTestId('indicator-help')).toContainText('Posti letto occupati su posti letto');
  await checkA11y(page, 'housing-dashboard');

  // On a 390 px phone the cards stack and the page does not scroll sideways.
  await page.setViewportSize(PHONE);
  await expect(card('OCCUPANCY_RATE').getByTestId('indicator-value')).toHaveText('50');
  await fitsPhone(page);
  const widths = await page.locator('.indicator-card').evaluateAll((cards) => cards.map((c) => c.getBoundingClientRect().width));
  expect(Math.min(...widths), 'each card takes the phone’s width').toBeGreaterThan(300);
  await checkA11y(page, 'housing-dashboard-phone');
  await context.close();

  // Ravenna follows one person in a case and housed nobody: its cards show, FAMILIES_HOUSED at 0.
  const person = (
    await other('mutation($i: PersonInput!) { createPerson(input: $i) { id } }', { i: { givenNames: 'Giulia', familyNames: 'Bassi', territoryCode: RAVENNA } })
  ).createPerson.id as string;
  await other('mutation($p: ID!) { recordConsent(personId: $p, purpose: CASE_MANAGEMENT, given: true) { given } }', { p: person });
  await other('mutation($p: ID!) { openCase(personId: $p) { id } }', { p: person });
  const ravenna = await newPage(browser);
  await signIn(ravenna.page, OTHER_ADMIN);
  await waitForCard(ravenna.page, 'PEOPLE_REACHED', 1);
  for (const code of ['FAMILIES_HOUSED', 'FAMILIES_SUPPORTED', 'OCCUPIED_BEDS', 'VACANT_BEDS', 'AUTONOMY_AT_EXIT', 'HOUSED_AT_6_MONTHS']) {
    await expect(ravenna.page.getByTestId(`indicator-${code}`).getByTestId('indicator-value'), code).toHaveText('0');
  }
  await expect(ravenna.page.getByTestId('indicator-FAMILIES_HOUSED')).toContainText('Obiettivo: 10');
  await expect(ravenna.page.getByTestId('indicator-FAMILIES_HOUSED')).toContainText('0% dell’obiettivo');
  await checkA11y(ravenna.page, 'housing-dashboard-other-tenant');
  await ravenna.context.close();
});

test('the case page shows the household’s milestones with a link to the placement', async ({ browser }) => {
  const { rossiCase } = await ready();
  const { page, context } = await newPage(browser);
  await signIn(page, OPERATOR);
  await page.goto(`/casi/${encodeURIComponent(rossiCase)}`);
  const list = page.getByTestId('case-milestones');
  await expect(list.locator('li')).toHaveCount(1);
  await expect(list).toContainText('Contratto di lavoro');
  await expect(list).toContainText('Assunta a tempo indeterminato');
  await list.getByRole('link', { name: /Casa di via Garibaldi/ }).click();
  await expect(page).toHaveURL(new RegExp(`/abitare/inserimenti/${encodeURIComponent(rossiPlacement).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`));
  await expect(page.getByRole('heading', { level: 1 })).toContainText('Famiglia Rossi');
  await checkA11y(page, 'housing-placement-from-case');
  await context.close();
});

test('on a 390 px phone the calendar scrolls inside the page and the waiting list fits', async ({ browser }) => {
  await ready();
  const { page, context } = await newPage(browser, PHONE);
  await signIn(page, COORDINATOR);
  await page.goto(`/abitare/alloggi/${encodeURIComponent(unitId)}`);
  await expect(page.getByTestId('occupancy-stay')).toHaveCount(2);
  const scroller = page.getByTestId('occupancy-scroll');
  const { scrollWidth, clientWidth } = await scroller.evaluate((el) => ({ scrollWidth: el.scrollWidth, clientWidth: el.clientWidth }));
  expect(scrollWidth).toBeGreaterThan(clientWidth);
  await scroller.evaluate((el) => el.scrollBy({ left: 400 }));
  expect(await scroller.evaluate((el) => el.scrollLeft)).toBeGreaterThan(0);
  await fitsPhone(page);
  // Earlier months: 250 days ago both households lived there.
  const months = (() => {
    const now = day(0);
    const then = day(-250);
    return (Number(now.slice(0, 4)) - Number(then.slice(0, 4))) * 12 + Number(now.slice(5, 7)) - Number(then.slice(5, 7));
  })();
  for (let i = 0; i < months; i++) await page.getByRole('button', { name: 'Mese precedente' }).click();
  await expect(page.getByTestId('occupancy-stay').filter({ hasText: 'Famiglia Haddad' })).toHaveCount(2);
  await expect(page.getByTestId('occupancy-stay').filter({ hasText: 'Famiglia Rossi' })).toHaveCount(2);
  await checkA11y(page, 'housing-unit-phone');
  // Both applications are placed now: the list is empty, the placed ones are a filter away.
  await page.goto('/abitare/lista-di-attesa');
  await expect(page.getByTestId('empty-state')).toContainText('Nessuna domanda');
  await page.getByLabel('Stato').selectOption({ label: 'Inserita' });
  await expect(page.getByTestId('waiting-row')).toHaveCount(2);
  await expect(page.getByTestId('application-status').first()).toHaveText('Inserita');
  await fitsPhone(page);
  await checkA11y(page, 'housing-waiting-phone');
  await page.goto('/abitare/alloggi/nuovo');
  await fitsPhone(page);
  await context.close();
});

test('another tenant sees none of the units, applications or placements', async ({ browser }) => {
  const { other } = await ready();
  expect((await other('{ housingUnits { nodes { id } } }')).housingUnits.nodes).toEqual([]);
  expect((await other('{ housingApplications { nodes { id } } }')).housingApplications.nodes).toEqual([]);
  expect((await other('{ placements { nodes { id } } }')).placements.nodes).toEqual([]);
  const node = await other('query($id: ID!) { node(id: $id) { id } }', { id: unitId }).catch((e: Error) => ({ error: e.message }));
  expect(node).not.toHaveProperty('node.id');

  const { page, context } = await newPage(browser);
  await signIn(page, OTHER_OPERATOR);
  await page.getByRole('link', { name: 'Abitare', exact: true }).first().click();
  await page.getByRole('navigation', { name: 'Sezione abitare' }).getByRole('link', { name: 'Alloggi' }).click();
  await expect(page.getByTestId('empty-state')).toContainText('Nessun alloggio');
  await expect(page.getByText('Casa di via Garibaldi')).toHaveCount(0);
  await page.goto(`/abitare/alloggi/${encodeURIComponent(unitId)}`);
  await expect(page.getByTestId('item-not-found')).toContainText('Alloggio non trovato');
  await checkA11y(page, 'housing-other-tenant');
  await context.close();
});

test('a placement not begun yet offers no exit before its first day, and says from when', async ({ browser }) => {
  const { coordinator, contiHousehold } = await ready();
  // Conti, whose first application was withdrawn, applies again and is placed from it on the two
  // beds Haddad left, from a day of a later month (the dashboard is checked above).
  const application = (
    await coordinator('mutation($i: ApplyForHousingInput!) { applyForHousing(input: $i) { id } }', { i: { householdId: contiHousehold, facts: { incomeBand: 'MEDIUM' } } })
  ).applyForHousing.id as string;
  const unit = (await coordinator('query($id: ID!) { node(id: $id) { ... on Unit { rooms { beds { id placementId } } } } }', { id: unitId })).node;
  const free = (unit.rooms as { beds: { id: string; placementId: string | null }[] }[]).flatMap((r) => r.beds).filter((b) => !b.placementId).map((b) => b.id);
  expect(free).toHaveLength(2);
  const planned = (
    await coordinator('mutation($i: PlaceHouseholdInput!) { placeHousehold(input: $i) { id status } }', {
      i: { householdId: contiHousehold, applicationId: application, unitId, bedIds: free, startsOn: day(40), plannedEndOn: day(100) },
    })
  ).placeHousehold;
  expect(planned.status).toBe('PLANNED');
  contiPlacement = planned.id as string;
  const { page, context } = await newPage(browser);
  await signIn(page, COORDINATOR);
  await page.goto(`/abitare/inserimenti/${encodeURIComponent(planned.id)}`);
  await expect(page.getByTestId('placement-status').first()).toHaveText('Programmato');
  await expect(page.getByTestId('exit')).toHaveCount(0);
  const startsOn = new Intl.DateTimeFormat('it-IT', { dateStyle: 'medium', timeZone: 'UTC' }).format(new Date(`${day(40)}T00:00:00Z`));
  await expect(page.getByTestId('exit-not-yet')).toHaveText(`L’uscita si registra a partire dal primo giorno dell’inserimento, il ${startsOn}.`);
  await checkA11y(page, 'housing-placement-planned');
  await context.close();
});

/** A day `YYYY-MM-DD` as the console shows it in Italian (`8 gen 2027`). */
const shown = (d: string) => new Intl.DateTimeFormat('it-IT', { dateStyle: 'medium', timeZone: 'UTC' }).format(new Date(`${d}T00:00:00Z`));

/** Moves the unit page's occupancy calendar forward to the month of `d`. */
async function calendarTo(page: Page, d: string) {
  const target = d.slice(0, 7);
  const now = day(0).slice(0, 7);
  const months = (Number(target.slice(0, 4)) - Number(now.slice(0, 4))) * 12 + Number(target.slice(5)) - Number(now.slice(5));
  for (let i = 0; i < months; i++) {
    const before = await page.getByTestId('occupancy-month').innerText();
    await page.getByRole('button', { name: 'Mese successivo' }).click();
    await expect(page.getByTestId('occupancy-month')).not.toHaveText(before);
  }
  const expected = new Intl.DateTimeFormat('it-IT', { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(new Date(`${target}-01T00:00:00Z`));
  await expect(page.getByTestId('occupancy-month')).toHaveText(new RegExp(expected, 'i'));
}

test('a planned placement is cancelled after a confirmation; its beds are free again and the household is back on the waiting list', async ({ browser }) => {
  const { coordinator } = await ready();
  expect(contiPlacement, 'the planned placement of the previous test').not.toBe('');
  const { page, context } = await newPage(browser);
  await signIn(page, COORDINATOR);

  // Before: Conti holds two beds in the month of its first day, and is not on the waiting list.
  await page.goto(`/abitare/alloggi/${encodeURIComponent(unitId)}`);
  await calendarTo(page, day(40));
  await expect(page.getByTestId('occupancy-stay').filter({ hasText: 'Famiglia Conti' })).toHaveCount(2);
  await page.goto('/abitare/lista-di-attesa');
  await expect(page.getByTestId('waiting-row').filter({ hasText: 'Famiglia Conti' })).toHaveCount(0);

  await page.goto(`/abitare/inserimenti/${encodeURIComponent(contiPlacement)}`);
  await expect(page.getByTestId('placement-status').first()).toHaveText('Programmato');
  const cancel = page.getByRole('button', { name: 'Annulla inserimento' });
  const dialog = page.getByRole('dialog');

  // The dialog says what follows; «No» keeps the placement.
  await cancel.click();
  await expect(dialog).toBeVisible();
  await expect(dialog).toContainText('Annullare l’inserimento?');
  await expect(dialog).toContainText('Famiglia Conti');
  await expect(dialog).toContainText(elideItalian(`dal ${shown(day(40))} al ${shown(day(100))}`));
  await expect(dialog).toContainText('i letti tornano liberi per quei giorni');
  await expect(dialog).toContainText('il nucleo torna in lista d’attesa');
  await checkA11y(page, 'housing-placement-cancel-confirm');
  await dialog.getByTestId('confirm-keep').click();
  await expect(dialog).toBeHidden();
  await expect(page.getByTestId('placement-status').first()).toHaveText('Programmato');

  // Esc keeps it too.
  await cancel.click();
  await expect(dialog).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  await expect(page.getByTestId('placement-status').first()).toHaveText('Programmato');
  const kept = (await coordinator('query($id: ID!) { node(id: $id) { ... on Placement { status cancelledOn } } }', { id: contiPlacement })).node;
  expect(kept).toEqual({ status: 'PLANNED', cancelledOn: null });

  // «Sì» cancels it: cancelled today, with no exit, extension or milestone to record.
  await cancel.click();
  await confirmDialog(page, 'Annullare l’inserimento?');
  await expect(page.getByTestId('placement-status').first()).toHaveText('Annullato');
  await expect(page.getByTestId('placement-cancelled')).toHaveText(elideItalian(`Annullato il ${shown(day(0))}`));
  await expect(page.getByTestId('cancelled-help')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Annulla inserimento' })).toHaveCount(0);
  await expect(page.getByTestId('exit-not-yet')).toHaveCount(0);
  await expect(page.getByTestId('exit')).toHaveCount(0);
  await expect(page.getByTestId('extend')).toHaveCount(0);
  await expect(page.getByTestId('milestone')).toHaveCount(0);
  await checkA11y(page, 'housing-placement-cancelled');

  // The application is waiting again, on the list.
  await page.getByRole('navigation', { name: 'Sezione abitare' }).getByRole('link', { name: 'Lista d’attesa' }).click();
  const conti = page.getByTestId('waiting-row').filter({ hasText: 'Famiglia Conti' });
  await expect(conti).toHaveCount(1);
  await expect(conti.getByTestId('application-status')).toHaveText('In attesa');
  await expect(conti.getByTestId('waiting-position')).toBeVisible();

  // The beds are free again: none of Conti's stays in its month, the placement listed as cancelled.
  await page.goto(`/abitare/alloggi/${encodeURIComponent(unitId)}`);
  await expect(page.getByTestId('unit-facts').getByTestId('unit-beds')).toHaveText('2 letti liberi su 4');
  const row = page.getByTestId('unit-placements').locator('li').filter({ hasText: 'Famiglia Conti' });
  await expect(row.getByTestId('placement-status')).toHaveText('Annullato');
  await calendarTo(page, day(40));
  await expect(page.getByTestId('occupancy-bed')).toHaveCount(4);
  await expect(page.getByTestId('occupancy-stay').filter({ hasText: 'Famiglia Conti' })).toHaveCount(0);
  await checkA11y(page, 'housing-unit-after-cancel');
  await context.close();
});
