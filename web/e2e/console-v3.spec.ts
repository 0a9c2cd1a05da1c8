// Console v3: dates that must not be past are refused next to their field (and the fields say
// from when); every indicator card says how it is counted, in the words of the export; the
// invitation screens say the link must be handed over (no e-mail is sent); the encounter form
// records a need's specific type and linked needs can be told apart; registration takes the
// Latin spelling, citizenships and languages, and a referral refused for want of consent offers to
// record it. In Italian and Arabic, on desktop and on a 390 px phone where layout matters.
import { expect, type Page } from '@playwright/test';
import { test, PHONE, PLATFORM, api, checkA11y, isolated, newPage, ownTenant, screen, signIn, tick, toArabic, toItalian } from './helpers';

test.describe.configure({ mode: 'serial' });

const DESKTOP = { width: 1280, height: 900 };

/** The people of a tenant of these tests' own, so that the demo tenant's data stays as the other specs expect. */
const ADMIN = { email: 'admin@castelfiorentino.example.org', password: 'Arnolfo-Torre-2026' };
const OPERATOR = { email: 'operatore@castelfiorentino.example.org', password: 'Elsa-Valdelsa-2026' };
const NEED_TYPE = 'Rinnovo del permesso di soggiorno';
const SERVICE = 'Sportello casa Valdelsa';

/**
 * Castelfiorentino: a desk, a need type for documents, a housing service in the directory, an
 * operator, and a person with a case (no encounter, no plan).
 */
async function seed(): Promise<{ caseId: string }> {
  const { admin, operator, territory } = await ownTenant({
    name: 'Comune di Castelfiorentino (prova)',
    istat: '048010',
    desk: 'Sportello Castelfiorentino',
    admin: { ...ADMIN, displayName: 'Admin Castelfiorentino' },
    operator: { ...OPERATOR, displayName: 'Operatore Castelfiorentino' },
  });
  await admin('mutation($l: String!) { createNeedType(code: "rinnovo_permesso", label: $l, category: DOCUMENTS_LEGAL) { id } }', { l: NEED_TYPE });
  const org = (await admin('mutation { addOrganization(input: {name: "Caritas Valdelsa"}) { id } }')).addOrganization.id;
  await admin('mutation($i: AddDirectoryServiceInput!) { addDirectoryService(input: $i) { id } }', {
    i: { organizationId: org, territoryId: territory, name: SERVICE, categories: ['housing'], languages: ['it'] },
  });
  const personId = (
    await operator('mutation($i: PersonInput!) { createPerson(input: $i) { id } }', {
      i: { givenNames: 'Moussa', familyNames: 'Diop', territoryCode: '048010' },
    })
  ).createPerson.id;
  await operator('mutation($p: ID!) { recordConsent(personId: $p, purpose: CASE_MANAGEMENT, given: true) { given } }', { p: personId });
  const caseId = (await operator('mutation($p: ID!) { openCase(personId: $p) { id } }', { p: personId })).openCase.id;
  return { caseId };
}

/** A day `offset` days from now on the tenant's clock (Europe/Rome), `YYYY-MM-DD`. */
function romeDay(offset: number): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Rome' }).format(new Date(Date.now() + offset * 86_400_000));
}

async function openPanel(page: Page, testId: string) {
  const panel = page.getByTestId(testId);
  if ((await panel.getAttribute('open')) === null) await panel.locator('summary').first().click();
}

async function noOverflow(page: Page, what: string) {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow, `${what} overflows the phone's width`).toBeLessThanOrEqual(0);
}

let caseUrl = '';

test('a review date, a due date or an appointment in the past is refused next to its field and changes nothing; today is accepted', async ({ browser }) => {
  caseUrl = `/casi/${encodeURIComponent((await seed()).caseId)}`;
  const [yesterday, today] = [romeDay(-1), romeDay(0)];
  const { page, context } = await newPage(browser);
  await signIn(page, OPERATOR);
  await page.goto(caseUrl);

  // The goal's review date: from today.
  await openPanel(page, 'form-goal');
  const goal = page.getByTestId('form-goal');
  const review = goal.getByLabel('Data di verifica');
  await expect(review).toHaveAttribute('min', today);
  await goal.getByRole('textbox', { name: /^Obiettivo/ }).fill('Rinnovo del permesso');
  await review.fill(yesterday);
  await goal.getByRole('button', { name: 'Aggiungi l’obiettivo' }).click();
  await expect(goal.locator('.field-error')).toHaveText('La data è già passata: scegli oggi o un giorno successivo');
  await expect(review).toHaveAttribute('aria-invalid', 'true');
  await expect(review).toHaveAttribute('aria-describedby', /-error$/);
  await expect(page.locator('.plan-list > li')).toHaveCount(0);
  await review.fill(today);
  await goal.getByRole('button', { name: 'Aggiungi l’obiettivo' }).click();
  await expect(page.locator('.plan-list > li')).toHaveCount(1);
  // «il 7 dic», «l’8 dic» (Italian elides the article before 8 and 11).
  await expect(page.locator('.plan-list > li')).toContainText(/verifica (il |l’)/);

  // The step's due date: from today.
  await openPanel(page, 'form-step');
  const step = page.getByTestId('form-step');
  const due = step.getByLabel('Entro il');
  await expect(due).toHaveAttribute('min', today);
  await step.getByRole('textbox', { name: /^Passo/ }).fill('Prenotare in Questura');
  await due.fill(yesterday);
  await step.getByRole('button', { name: 'Aggiungi il passo' }).click();
  await expect(step.locator('.field-error')).toHaveText('La data è già passata: scegli oggi o un giorno successivo');
  await expect(page.locator('.plan-list li li')).toHaveCount(0);
  await due.fill(today);
  await step.getByRole('button', { name: 'Aggiungi il passo' }).click();
  await expect(page.locator('.plan-list li li')).toHaveCount(1);
  await expect(page.locator('.plan-list li li')).toContainText('Prenotare in Questura');

  // An appointment: from now.
  await openPanel(page, 'form-appointment');
  const booking = page.getByTestId('appointment-form');
  const starts = booking.getByLabel('Data e ora');
  await expect(starts).toHaveAttribute('min', /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/);
  expect((await starts.getAttribute('min')) ?? '').toMatch(new RegExp(`^(${today}|${romeDay(1)})T`));
  await starts.fill(`${yesterday}T10:00`);
  await booking.getByRole('button', { name: 'Prenota' }).click();
  await expect(booking.locator('.field-error')).toHaveText('L’orario è già passato: scegli un momento futuro');
  await expect(page.getByTestId('appointments')).toHaveCount(0);
  await starts.fill(`${romeDay(2)}T08:15`);
  await booking.getByRole('button', { name: 'Prenota' }).click();
  await expect(page.getByTestId('appointments').locator(':scope > li')).toHaveCount(1);

  // In Arabic, on a phone: the refusal in Arabic, next to the field.
  await page.setViewportSize(PHONE);
  await toArabic(page);
  // The goal's panel closed after its save: open it again.
  await expect(goal).not.toHaveAttribute('open');
  await openPanel(page, 'form-goal');
  await goal.locator('input[type="text"]').first().fill('السكن');
  await goal.locator('input[type="date"]').fill(yesterday);
  await goal.locator('button[type="submit"]').click();
  await expect(goal.locator('.field-error')).toHaveText('هذا التاريخ قد مضى: اختر اليوم أو يومًا لاحقًا');
  await expect(page.locator('.plan-list > li')).toHaveCount(1);
  await screen(page, 'past-date-ar-phone');
  await noOverflow(page, 'the case page with a refused date');
  await toItalian(page);
  await context.close();
});

/** The rows of a CSV text (quoted fields may hold commas, quotes and line breaks). */
function csvRows(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else if (c !== '\r') field += c;
  }
  if (field || row.length > 0) rows.push([...row, field]);
  return rows;
}

test('every indicator card says how it is counted, in the words of the export, by keyboard as by pointer', async ({ browser }) => {
  const { page, context } = await newPage(browser);
  await signIn(page, OPERATOR);
  // The case opened by the set-up reaches analytics shortly after.
  await expect(async () => {
    await page.goto('/cruscotto');
    await expect(page.getByTestId('indicators')).toBeVisible({ timeout: 2_000 });
  }).toPass({ timeout: 60_000 });
  const cards = page.locator('.indicator-card');
  await expect(cards).toHaveCount(30);

  // The export names and defines each indicator as the cards do.
  const operator = await api(OPERATOR);
  const file = (await operator('{ indicatorExport(format: CSV) { contentBase64 } }')).indicatorExport.contentBase64;
  const [header, ...rows] = csvRows(Buffer.from(file, 'base64').toString('utf8'));
  expect(header).toEqual(['codice', 'indicatore', 'valore', 'obiettivo', 'avanzamento_%', 'come_si_calcola']);
  expect(rows).toHaveLength(30);
  for (const [code, label, , , , counts] of rows) {
    const card = page.getByTestId(`indicator-${code}`);
    await expect(card.locator('h3')).toHaveText(label);
    const help = card.getByTestId('indicator-help');
    const summary = help.locator('summary');
    await expect(summary).toBeVisible();
    await expect(summary).toHaveText(`Come si calcola: ${label}`);
    const text = help.locator('p');
    await expect(text).toBeHidden();
    // Opened from the keyboard: focus and Enter, no pointer.
    await summary.focus();
    await page.keyboard.press('Enter');
    await expect(text).toBeVisible();
    await expect(text).toHaveText(counts);
    // The figure is described by its definition.
    const id = await text.getAttribute('id');
    await expect(card.getByTestId('indicator-value')).toHaveAttribute('aria-describedby', id ?? 'none');
  }
  // The two names that misled: a stock of cases not closed, and needs of both sources.
  await expect(page.getByTestId('indicator-ACTIVE_CASES').locator('h3')).toHaveText('Prese in carico aperte a fine periodo');
  await expect(page.getByTestId('indicator-ACTIVE_CASES').getByTestId('indicator-help')).toContainText('in qualunque stato');
  await expect(page.getByTestId('indicator-NEEDS_RECORDED').locator('h3')).toHaveText('Bisogni registrati (espressi e rilevati)');
  await expect(page.getByTestId('counting-rule')).toContainText('consenso alle statistiche anonime');
  await checkA11y(page, 'dashboard-help-it-desktop');

  // In Arabic, on a phone: every card's definition, in Arabic.
  await page.setViewportSize(PHONE);
  await toArabic(page);
  for (const [code, , , , , counts] of rows) {
    const help = page.getByTestId(`indicator-${code}`).getByTestId('indicator-help');
    await expect(help.locator('summary')).toContainText('طريقة الحساب');
    await expect(help.locator('p')).toBeVisible();
    await expect(help.locator('p')).not.toHaveText(counts);
    expect(((await help.locator('p').textContent()) ?? '').length).toBeGreaterThan(20);
  }
  await screen(page, 'dashboard-help-ar-phone');
  await noOverflow(page, 'the dashboard with the definitions open');
  await toItalian(page);
  await context.close();
});

test('the invitation screens say that the e-mail goes out and that the link shown can be handed over if it does not arrive', async ({ browser }) => {
  const { page, context } = await newPage(browser);
  await signIn(page, ADMIN);
  await page.goto('/configurazione?passo=staff');
  const invite = page.getByTestId('invite-form');
  await expect(invite.getByTestId('invite-hand-over')).toHaveText(
    'La persona riceve un’e-mail con il link di invito nella lingua scelta; il link compare anche qui, una volta sola: se l’e-mail non arriva, copialo e consegnalo tu.',
  );
  await invite.getByRole('textbox', { name: 'E-mail' }).fill('consegna.v3@example.org');
  await invite.getByRole('button', { name: 'Crea l’invito' }).click();
  const issued = page.getByTestId('invitation-issued');
  await expect(issued).toContainText('L’e-mail con il link parte da sola');
  await expect(issued).toContainText('se l’e-mail non arriva, copialo e consegnalo tu alla persona invitata');
  await expect(issued.locator('input')).toHaveValue(/\/invito#/);
  await expect(issued.getByRole('button', { name: 'Copia il link' })).toBeVisible();
  // No console claims any more that no e-mail is sent.
  expect(await page.locator('main').innerText()).not.toMatch(/non invia e-mail|Nessuna e-mail viene inviata/i);
  await checkA11y(page, 'invitation-hand-over-it-desktop');

  await page.setViewportSize(PHONE);
  await toArabic(page);
  await expect(issued).toContainText('يُرسل البريد الإلكتروني الذي يحمل الرابط تلقائيًا');
  await expect(page.getByTestId('invite-hand-over')).toContainText('يتلقى الشخص بريدًا إلكترونيًا فيه رابط الدعوة');
  await screen(page, 'invitation-hand-over-ar-phone');
  await toItalian(page);
  await context.close();

  // The platform administrator creating a tenant is told the same.
  const platform = await newPage(browser);
  await signIn(platform.page, PLATFORM);
  await platform.page.goto('/enti');
  await expect(platform.page.locator('main')).toContainText(
    'Creato l’ente, la persona riceve un’e-mail con il link di invito; il link compare anche qui, una volta sola: se l’e-mail non arriva, copialo e consegnalo tu.',
  );
  expect(await platform.page.locator('main').innerText()).not.toMatch(/Nessuna e-mail viene inviata/i);
  await platform.context.close();
});

test('the encounter form records a need with its specific type, and linked needs are told apart by type, source and time', async ({ browser }) => {
  const { page, context } = await newPage(browser);
  await signIn(page, OPERATOR);
  await page.goto(caseUrl);
  await openPanel(page, 'form-encounter');
  const encounter = page.getByTestId('form-encounter');
  const typeOf = (source: string) => encounter.getByLabel(`Tipo specifico di «Documenti e questioni legali» (${source}, facoltativo)`);
  // No choice of type until the category is ticked; a category without types offers none.
  await expect(typeOf('Espressi')).toHaveCount(0);
  await tick(encounter.getByRole('group', { name: 'Bisogni espressi dalla persona' }), 'Casa');
  await expect(encounter.getByTestId('encounter-types-expressed').locator('select')).toHaveCount(0);
  await tick(encounter.getByRole('group', { name: 'Bisogni espressi dalla persona' }), 'Documenti e questioni legali');
  await expect(typeOf('Espressi').locator('option')).toHaveText(['Nessuno', isolated(NEED_TYPE)]);
  await typeOf('Espressi').selectOption({ label: isolated(NEED_TYPE) });
  await tick(encounter.getByRole('group', { name: 'Bisogni rilevati dall’operatore' }), 'Documenti e questioni legali');
  await expect(typeOf('Rilevati')).toHaveValue('');
  await encounter.getByRole('button', { name: 'Registra il colloquio' }).click();
  await expect(page.getByTestId('needs-expressed')).toContainText(`Documenti e questioni legali: ${NEED_TYPE}`);
  await expect(page.getByTestId('needs-expressed')).toContainText('Casa');
  await expect(page.getByTestId('needs-detected')).toContainText('Documenti e questioni legali');
  await expect(page.getByTestId('needs-detected')).not.toContainText(NEED_TYPE);
  // The type's name is isolated where the need is shown.
  await expect(page.getByTestId('needs-expressed').locator('bdi')).toHaveText([NEED_TYPE]);

  // The linked needs of an intervention: three options, three different names.
  await openPanel(page, 'form-intervention');
  const linked = page.getByTestId('form-intervention').getByRole('group', { name: 'Bisogni collegati' });
  const labels = linked.locator('label');
  await expect(labels).toHaveCount(3);
  const texts = await labels.allTextContents();
  expect(new Set(texts).size, texts.join(' | ')).toBe(3);
  const typed = labels.filter({ hasText: NEED_TYPE });
  await expect(typed).toHaveText(new RegExp(`^Documenti e questioni legali: ${NEED_TYPE} \\(Espressi, .+\\)$`));
  await expect(typed.locator('bdi')).toHaveText(NEED_TYPE);
  await expect(labels.filter({ hasText: /^Documenti e questioni legali \(Rilevati, / })).toHaveCount(1);
  await expect(linked.locator('label time')).toHaveCount(3);
  // A need is linked by its name (ticked by its label, as a person does).
  await typed.click();
  await expect(linked.getByRole('checkbox', { name: new RegExp(`^Documenti e questioni legali: ${NEED_TYPE} `) })).toBeChecked();
  // Its outcome by name, and the day it was done (yesterday) chosen in the same form.
  const interventionForm = page.getByTestId('form-intervention');
  await interventionForm.getByRole('combobox', { name: 'Esito', exact: true }).selectOption({ label: 'Appuntamento fissato' });
  const when = interventionForm.getByLabel('Data e ora dell’intervento');
  const yesterday = new Date(Date.parse(`${(await when.inputValue()).slice(0, 10)}T12:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
  await when.fill(`${yesterday}T10:00`);
  await interventionForm.getByRole('button', { name: 'Registra l’intervento' }).click();
  const recorded = page.getByTestId('timeline').locator('.entry-intervention');
  await expect(recorded).toContainText(NEED_TYPE);
  await expect(recorded).toContainText('Appuntamento fissato');
  await expect(recorded.locator('time').first()).toHaveAttribute('datetime', new RegExp(`^${yesterday}T`));

  // In Arabic, on a phone: the type's name stays isolated in the labels and the choice.
  await page.setViewportSize(PHONE);
  await toArabic(page);
  await expect(page.getByTestId('form-intervention').locator('fieldset label bdi')).toHaveText([NEED_TYPE]);
  // The parenthesis after a linked need is separated with the Arabic comma.
  await expect(page.getByTestId('form-intervention').locator('fieldset .need-choice').first()).toContainText('، ');
  await expect(page.getByTestId('form-intervention').locator('fieldset .need-choice').first()).not.toContainText(', ');
  await openPanel(page, 'form-encounter');
  await encounter.locator('fieldset').first().locator('label').nth(0).click();
  await expect(encounter.getByTestId('encounter-types-expressed').locator('option').nth(1)).toHaveText(isolated(NEED_TYPE));
  await screen(page, 'encounter-need-type-ar-phone');
  await noOverflow(page, 'the encounter form with a need type');
  await toItalian(page);
  await context.close();
});

test('registration takes the Latin spelling, citizenships and languages; a referral without sharing consent offers to record it', async ({ browser }) => {
  const { page, context } = await newPage(browser);
  await signIn(page, OPERATOR);
  await page.goto('/persone');
  const search = page.getByTestId('person-search');
  await search.locator('input').nth(0).fill('مريم');
  await search.locator('input').nth(1).fill('حداد');
  await search.getByRole('button', { name: 'Cerca' }).click();
  await page.getByTestId('new-person').click();
  const form = page.getByTestId('person-form');
  await form.getByLabel('Nome in caratteri latini', { exact: true }).fill('Maryam');
  await form.getByLabel('Cognome in caratteri latini').fill('Haddad');
  await form.getByRole('combobox', { name: 'Cittadinanze' }).fill('marocc');
  await form.getByRole('option', { name: 'Marocco (MA)' }).click();
  const languages = form.getByRole('combobox', { name: 'Lingue parlate' });
  await languages.fill('arabo');
  await form.getByRole('option', { name: 'arabo (ar)' }).click();
  await form.getByLabel(`Livello: ${isolated('arabo')}`).selectOption('NATIVE');
  await languages.fill('francese');
  await form.getByRole('option', { name: 'francese (fr)' }).click();
  await form.getByLabel(`Livello: ${isolated('francese')}`).selectOption('A2');
  await checkA11y(page, 'person-new-full-it-desktop');
  await form.getByRole('button', { name: 'Registra e apri la presa in carico' }).click();
  await expect(page).toHaveURL(/\/casi\/.+/);
  await expect(page.getByTestId('case-person')).toHaveText('مريم حداد (Maryam Haddad)');
  await expect(page.getByTestId('case-citizenships')).toHaveText('Marocco');
  await expect(page.getByTestId('case-languages')).toHaveText('arabo e francese');

  // A referral: refused without the consent to sharing, named in Italian, with the shortcut.
  await openPanel(page, 'form-referral');
  const referral = page.getByTestId('referral-form');
  await referral.getByLabel('Servizio').selectOption({ label: `${isolated(SERVICE)} · ${isolated('Castelfiorentino')}` });
  await referral.getByRole('button', { name: 'Invia', exact: true }).click();
  await expect(referral.locator('.alert-danger')).toHaveText(
    'La persona non ha dato il consenso alla condivisione per gli invii: senza, solo un coordinatore può inviare, indicando il motivo',
  );
  const shortcut = referral.getByTestId('referral-consent-shortcut');
  await expect(page.locator('.entry-referral')).toHaveCount(0);
  await checkA11y(page, 'referral-consent-missing-it-desktop');
  await shortcut.getByRole('button', { name: 'La persona acconsente: registra il consenso e invia' }).click();
  await expect(page.getByTestId('timeline')).toContainText(SERVICE);
  await expect(page.getByTestId('timeline')).toContainText('Inviato');
  await expect(page.getByTestId('consents').locator('li', { hasText: 'Condivisione per gli invii' })).toContainText('Condivisione per gli invii: dato');
  await expect(shortcut).toHaveCount(0);

  // In Arabic, on a phone: the registration form with its pickers.
  await page.setViewportSize(PHONE);
  await page.goto('/persone');
  await toArabic(page);
  await search.locator('input').nth(0).fill('يوسف');
  await search.locator('input').nth(1).fill('العلوي');
  await search.locator('button[type="submit"]').click();
  await page.getByTestId('new-person').click();
  // Country of birth, citizenships and languages: pickers by name.
  await expect(form.locator('input[role="combobox"]')).toHaveCount(3);
  await expect(form.locator('input[type="text"]').first()).toHaveAttribute('dir', 'auto');
  await screen(page, 'person-new-full-ar-phone');
  await noOverflow(page, 'the registration form');
  await toItalian(page);
  await context.close();
});
