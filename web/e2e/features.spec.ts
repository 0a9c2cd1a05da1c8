// Need types, appointments, the way from a duplicate candidate to their case, editing a person,
// the household, and the password change. Self-contained: it registers its own person and invites its own coordinator, so it does
// not depend on console.spec.ts. Every new screen is checked with axe-core and photographed in
// Italian and Arabic, on desktop and phone.
import { expect, type Page } from '@playwright/test';
import { test, ADMIN, OPERATOR, PHONE, confirmDialog, isolated, newPage, ownTenant, screen, signIn, signOut } from './helpers';

test.describe.configure({ mode: 'serial' });

const COORDINATOR = { email: 'chiara.coordinatrice@demo.sportello.it', password: 'Staggia-Senese-2026', name: 'Chiara Coordinatrice' };
const NEW_PASSWORD = 'Monteriggioni-Mura-2031';
const DESKTOP = { width: 1280, height: 900 };
let caseUrl = '';

/** Screenshots of the current path in Arabic (desktop and phone) and in Italian on phone. */
async function otherViews(page: Page, name: string, ready: (p: Page) => Promise<void>) {
  const path = new URL(page.url()).pathname;
  await page.locator('#language').selectOption('ar');
  await expect(page.locator('html')).toHaveAttribute('dir', 'rtl');
  await ready(page);
  await screen(page, `${name}-ar-desktop`);
  await page.setViewportSize(PHONE);
  await ready(page);
  await screen(page, `${name}-ar-phone`);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow, `${name} overflows the phone's width in Arabic`).toBeLessThanOrEqual(0);
  await page.locator('#language').selectOption('it');
  await expect(page.locator('html')).toHaveAttribute('dir', 'ltr');
  await page.goto(path);
  await ready(page);
  await screen(page, `${name}-it-phone`);
  await page.setViewportSize(DESKTOP);
}

test('an administrator defines need types: a malformed or repeated code is refused next to the field; types are renamed and retired', async ({ browser }) => {
  const { page, context } = await newPage(browser);
  await signIn(page, ADMIN);
  await page.getByRole('navigation', { name: 'Navigazione principale' }).getByRole('link', { name: 'Bisogni ed esiti' }).click();
  await expect(page).toHaveURL(/\/configurazione\/tipi-di-bisogno$/);
  await expect(page.getByTestId('empty-state')).toContainText('Ancora nessun tipo di bisogno');
  await screen(page, 'need-types-empty-it-desktop');

  const form = page.getByTestId('need-type-form');
  const add = async (category: string, label: string, code: string) => {
    await form.getByLabel('Categoria').selectOption(category);
    await form.getByLabel('Nome del tipo').fill(label);
    await form.getByLabel('Codice').fill(code);
    await form.getByRole('button', { name: 'Aggiungi il tipo' }).click();
  };
  // Upper case and spaces: the server's error is shown next to the code.
  await add('DOCUMENTS_LEGAL', 'Rinnovo del permesso di soggiorno', 'Rinnovo Permesso');
  await expect(form.getByLabel('Codice')).toHaveAttribute('aria-invalid', 'true');
  await expect(form.locator('.field-error')).toHaveText('Usa da 2 a 40 lettere minuscole, cifre o trattini bassi, iniziando con una lettera');
  await form.getByLabel('Codice').fill('rinnovo_permesso');
  await form.getByRole('button', { name: 'Aggiungi il tipo' }).click();
  const list = page.getByTestId('need-type-list');
  await expect(list).toContainText('Rinnovo del permesso di soggiorno');
  await expect(form.getByLabel('Codice')).not.toHaveAttribute('aria-invalid', 'true');

  // The same code again is a conflict, shown next to the code too.
  await add('DOCUMENTS_LEGAL', 'Doppione', 'rinnovo_permesso');
  await expect(form.getByLabel('Codice')).toHaveAttribute('aria-invalid', 'true');
  await expect(form.locator('.field-error')).toContainText('Esiste già');

  await add('ITALIAN_LANGUAGE', 'Corso A2', 'corso_a2');
  await expect(list).toContainText('Corso A2');
  await add('HOUSING', 'Casa popolare', 'casa_popolare');
  await expect(list).toContainText('Casa popolare');

  // Rename one, retire another.
  await list.getByRole('button', { name: `Rinomina «${isolated('Corso A2')}»` }).click();
  await list.getByLabel(`Nuovo nome per «${isolated('Corso A2')}»`).fill('Corso di italiano A2');
  await list.getByRole('button', { name: 'Salva il nome' }).click();
  await expect(page.getByTestId('need-type-corso_a2')).toContainText('Corso di italiano A2');
  await list.getByRole('button', { name: `Ritira «${isolated('Casa popolare')}»` }).click();
  await expect(page.getByTestId('need-type-casa_popolare')).toContainText('Ritirato');
  await expect(list.getByRole('button', { name: `Ripristina «${isolated('Casa popolare')}»` })).toBeVisible();
  // The outcomes of the closed list: one withdrawn, then offered again.
  const outcomes = page.getByTestId('case-outcome-list');
  await outcomes.getByRole('button', { name: 'Ritira «Contatto perso»' }).click();
  await expect(page.getByTestId('case-outcome-lost_contact')).toContainText('Non offerto');
  await outcomes.getByRole('button', { name: 'Ripristina «Contatto perso»' }).click();
  await expect(page.getByTestId('case-outcome-lost_contact')).not.toContainText('Non offerto');
  // So are an intervention's, named in Italian.
  const interventionOutcomes = page.getByTestId('intervention-outcome-list');
  await expect(interventionOutcomes).toContainText('Appuntamento fissato');
  await expect(interventionOutcomes).not.toContainText('appointment_booked');
  await interventionOutcomes.getByRole('button', { name: 'Ritira «Persona non presentata»' }).click();
  await expect(page.getByTestId('intervention-outcome-did_not_attend')).toContainText('Non offerto');
  await screen(page, 'need-types-it-desktop');
  await otherViews(page, 'need-types', async (p) => {
    await expect(p.getByTestId('need-type-list')).toContainText('Corso di italiano A2');
  });
  await context.close();
});

test('the operator records a need with a specific type, and it shows on the case page', async ({ browser }) => {
  const { page, context } = await newPage(browser);
  await signIn(page, OPERATOR);
  await page.goto('/persone');
  const search = page.getByTestId('person-search');
  await search.getByRole('textbox', { name: 'Nome', exact: true }).fill('Oksana');
  await search.getByLabel('Cognome').fill('Kovalenko');
  await search.getByRole('button', { name: 'Cerca' }).click();
  await page.getByTestId('new-person').click();
  const person = page.getByTestId('person-form');
  await person.getByLabel('Anno di nascita').fill('1979');
  await person.getByRole('button', { name: 'Registra e apri la presa in carico' }).click();
  await expect(page).toHaveURL(/\/casi\/.+/);
  await expect(page.getByTestId('case-person')).toHaveText('Oksana Kovalenko');
  caseUrl = new URL(page.url()).pathname;

  const need = page.getByTestId('form-need');
  await need.locator('summary').click();
  // A retired type is no longer offered; a category without types says where they are defined.
  await need.getByLabel('Bisogno', { exact: true }).selectOption('HOUSING');
  await expect(need.getByTestId('no-need-types')).toContainText('Bisogni ed esiti');
  await need.getByLabel('Bisogno', { exact: true }).selectOption('DOCUMENTS_LEGAL');
  const type = need.getByLabel('Tipo specifico (facoltativo)');
  await expect(type.locator('option')).toHaveText(['Nessuno', isolated('Rinnovo del permesso di soggiorno')]);
  await type.selectOption({ label: isolated('Rinnovo del permesso di soggiorno') });
  await need.getByLabel('Origine').selectOption('EXPRESSED');
  await need.getByRole('button', { name: 'Registra il bisogno' }).click();
  await expect(page.getByTestId('needs-expressed')).toContainText('Documenti e questioni legali: Rinnovo del permesso di soggiorno');
  await expect(page.getByTestId('timeline')).toContainText('Rinnovo del permesso di soggiorno');
  await context.close();
});

test('the operator books a weekly series, sees a taken slot refused, and cancels the second and following', async ({ browser }) => {
  const { page, context } = await newPage(browser);
  await signIn(page, OPERATOR);
  await page.goto(caseUrl);
  const section = page.getByRole('region', { name: 'Appuntamenti' });
  await expect(section.getByTestId('empty-state')).toContainText('Nessun appuntamento');
  const panel = page.getByTestId('form-appointment');
  await panel.locator('summary').click();
  const form = page.getByTestId('appointment-form');
  await form.getByLabel('Sportello').selectOption({ label: isolated('Sportello Immigrazione Poggibonsi') });
  // Within the two years ahead the server accepts bookings: about two months from now.
  const base = Date.now();
  const day = (n: number) => new Date(base + (60 + 7 * n) * 86_400_000).toISOString().slice(0, 10);
  const shown = new Intl.DateTimeFormat('it-IT', { dateStyle: 'medium', timeZone: 'Europe/Rome' }).format(new Date(`${day(2)}T12:00:00Z`));
  await form.getByLabel('Data e ora').fill(`${day(0)}T10:00`);
  await form.getByLabel('Durata in minuti').fill('45');
  await form.getByLabel('Numero di settimane').fill('3');
  await form.getByLabel('Promemoria: ore prima').fill('24');
  await form.getByRole('button', { name: 'Prenota' }).click();
  await expect(form.getByTestId('appointment-booked')).toContainText('3');
  const items = page.getByTestId('appointments').locator(':scope > li');
  await expect(items).toHaveCount(3);
  await expect(items.nth(0)).toContainText('serie settimanale');
  await expect(items.nth(2)).toContainText(shown);

  // The second week's slot again: the server answers CONFLICT, shown at the date and time.
  await form.getByLabel('Data e ora').fill(`${day(1)}T10:15`);
  await form.getByLabel('Numero di settimane').fill('1');
  await form.getByRole('button', { name: 'Prenota' }).click();
  await expect(form.getByLabel('Data e ora')).toHaveAttribute('aria-invalid', 'true');
  await expect(form.locator('.field-error')).toContainText('Orario già occupato');
  await expect(items).toHaveCount(3);
  await screen(page, 'case-appointment-conflict-it-desktop');

  // Cancel the second and the following ones of the series.
  await items.nth(1).getByRole('button', { name: /e i successivi/ }).click();
  await confirmDialog(page, 'Annullare la serie da questo appuntamento?');
  await expect(items.nth(1)).toHaveAttribute('data-status', 'cancelled');
  await expect(items.nth(2)).toHaveAttribute('data-status', 'cancelled');
  await expect(items.nth(0)).toHaveAttribute('data-status', 'booked');
  await expect(items.nth(1)).toContainText('Annullato');
  // The freed slot can be booked again.
  await form.getByRole('button', { name: 'Prenota' }).click();
  await expect(form.getByTestId('appointment-booked')).toContainText('1');
  await expect(items).toHaveCount(4);
  await screen(page, 'case-appointments-it-desktop');
  await otherViews(page, 'case-appointments', async (p) => {
    await expect(p.getByTestId('appointments').locator(':scope > li')).toHaveCount(4);
  });
  await context.close();
});

test('from a duplicate candidate the operator goes to their existing case', async ({ browser }) => {
  const { page, context } = await newPage(browser);
  await signIn(page, OPERATOR);
  await page.goto('/persone');
  const search = page.getByTestId('person-search');
  await search.getByRole('textbox', { name: 'Nome', exact: true }).fill('Oksana');
  await search.getByLabel('Cognome').fill('Kovalenco');
  await search.getByRole('button', { name: 'Cerca' }).click();
  const warning = page.getByTestId('duplicate-warning');
  const candidate = warning.getByTestId('duplicate-candidate').filter({ hasText: 'Oksana Kovalenko' });
  await expect(candidate.getByRole('link', { name: `Apri la sua presa in carico: ${isolated('Oksana Kovalenko')}` })).toBeVisible();
  await expect(candidate).toContainText('presa in carico: Accoglienza');
  // One open case at a time: no second one is offered, and the municipality shows by name.
  await expect(candidate.getByRole('button', { name: /Apri una nuova presa in carico/ })).toHaveCount(0);
  await expect(candidate).toContainText('Poggibonsi');
  await expect(candidate).not.toContainText('052022');
  await screen(page, 'person-existing-case-it-desktop');
  await candidate.getByRole('link', { name: /Apri la sua presa in carico/ }).click();
  await expect(page).toHaveURL(caseUrl);
  await expect(page.getByTestId('case-person')).toHaveText('Oksana Kovalenko');

  // The same screen in Arabic and on a phone.
  await page.goto('/persone');
  await search.getByRole('textbox', { name: 'Nome', exact: true }).fill('Oksana');
  await search.getByLabel('Cognome').fill('Kovalenco');
  await search.getByRole('button', { name: 'Cerca' }).click();
  await expect(candidate).toBeVisible();
  await page.locator('#language').selectOption('ar');
  await expect(page.locator('html')).toHaveAttribute('dir', 'rtl');
  await expect(candidate.getByRole('link', { name: `فتح ملفه: ${isolated('Oksana Kovalenko')}` })).toBeVisible();
  await screen(page, 'person-existing-case-ar-desktop');
  await page.setViewportSize(PHONE);
  await screen(page, 'person-existing-case-ar-phone');
  await page.locator('#language').selectOption('it');
  await expect(candidate.getByRole('link', { name: /Apri la sua presa in carico/ })).toBeVisible();
  await screen(page, 'person-existing-case-it-phone');
  await context.close();
});

/** Opens a case page panel (a closed `<details>`) when it is not open yet. */
async function openPanel(page: Page, testId: string) {
  const panel = page.getByTestId(testId);
  if ((await panel.getAttribute('open')) === null) await panel.locator('summary').first().click();
}

test('the operator edits the person: the phone is saved, a wrong codice fiscale is shown next to the field', async ({ browser }) => {
  const { page, context } = await newPage(browser);
  await signIn(page, OPERATOR);
  await page.goto(caseUrl);
  await openPanel(page, 'form-person');
  const form = page.getByTestId('person-edit-form');
  // Prefilled with the record as registered.
  await expect(form.getByRole('textbox', { name: 'Nome', exact: true })).toHaveValue('Oksana');
  await expect(form.getByRole('textbox', { name: 'Cognome', exact: true })).toHaveValue('Kovalenko');
  await expect(form.getByLabel('Anno', { exact: true })).toHaveValue('1979');
  await form.getByLabel('Telefono').fill('+39 333 1234567');
  // Country and languages are picked by typing part of their Italian names, or a name they
  // are known by in another console language or formerly.
  const birth = form.getByRole('combobox', { name: 'Paese di nascita' });
  for (const [typed, option] of [['Repubblica Ceca', 'Cechia (CZ)'], ['Swaziland', 'Eswatini (SZ)'], ['Germany', 'Germania (DE)']]) {
    await birth.fill(typed);
    await expect(form.getByRole('option', { name: option })).toBeVisible();
  }
  await form.getByRole('combobox', { name: 'Paese di nascita' }).fill('ucr');
  await form.getByRole('option', { name: 'Ucraina (UA)' }).click();
  await expect(form.getByRole('combobox', { name: 'Paese di nascita' })).toHaveValue('Ucraina');
  await form.getByRole('combobox', { name: 'Cittadinanze' }).fill('ucrai');
  await form.getByRole('option', { name: 'Ucraina (UA)' }).click();
  const languages = form.getByRole('combobox', { name: 'Lingue parlate' });
  // A macrolanguage and its main member named alike are offered once (fa, not also pes).
  await languages.fill('persiano');
  await expect(form.getByRole('option', { name: 'persiano (fa)' })).toBeVisible();
  await expect(form.getByRole('option', { name: /^persiano \(/ })).toHaveCount(1);
  // Found by the everyday name, the hidden member's name, or the autonym.
  for (const typed of ['farsi', 'iranian persian', 'فارسی']) {
    await languages.fill(typed);
    await expect(form.getByRole('option', { name: 'persiano (fa)' })).toBeVisible();
  }
  await languages.fill('mandarino');
  await expect(form.getByRole('option', { name: 'cinese (zh)' })).toBeVisible();
  // Leaving the field with text that finds one language picks it.
  await birth.focus();
  await expect(form.getByLabel(`Livello: ${isolated('cinese')}`)).toBeVisible();
  await form.getByRole('button', { name: `Rimuovi ${isolated('cinese')}` }).click();
  await expect(form.getByLabel(`Livello: ${isolated('cinese')}`)).toHaveCount(0);
  await languages.fill('ucrai');
  await form.getByRole('option', { name: 'ucraino (uk)' }).click();
  await form.getByLabel(`Livello: ${isolated('ucraino')}`).selectOption('NATIVE');
  await languages.fill('tigri');
  await form.getByRole('option', { name: 'tigrino (ti)' }).click();
  await form.getByLabel(`Livello: ${isolated('tigrino')}`).selectOption('A2');
  await form.getByRole('button', { name: 'Salva i dati' }).click();
  await expect(form.getByTestId('person-saved')).toContainText('Dati della persona salvati');
  await expect(page.getByTestId('case-phone')).toHaveText('+393331234567');
  await expect(page.getByTestId('case-country')).toHaveText('Ucraina');
  await expect(page.getByTestId('case-citizenships')).toHaveText('Ucraina');
  await expect(page.getByTestId('case-languages')).toHaveText('ucraino e tigrino');

  // A codice fiscale with a wrong check character: the server's error is next to the field.
  await page.reload();
  await openPanel(page, 'form-person');
  await expect(form.getByLabel('Telefono')).toHaveValue('+393331234567');
  await expect(form.getByLabel(`Livello: ${isolated('ucraino')}`)).toHaveValue('NATIVE');
  await expect(form.getByLabel(`Livello: ${isolated('tigrino')}`)).toHaveValue('A2');
  const cf = form.getByLabel('Codice fiscale');
  await cf.fill('RSSMRA85T10A562T');
  await form.getByRole('button', { name: 'Salva i dati' }).click();
  await expect(cf).toHaveAttribute('aria-invalid', 'true');
  await expect(form.locator('.field-error')).toContainText('Il carattere di controllo non torna');
  await expect(form.getByLabel('Telefono')).not.toHaveAttribute('aria-invalid', 'true');
  await screen(page, 'person-edit-error-it-desktop');
  await otherViews(page, 'person-edit', async (p) => {
    await openPanel(p, 'form-person');
    await expect(p.getByTestId('person-edit-form')).toBeVisible();
  });
  await context.close();
});

test('two operators edit the same person: the later save is refused as changed by someone else, and reloading keeps both changes', async ({ browser }) => {
  const first = await newPage(browser);
  const second = await newPage(browser);
  for (const { page } of [first, second]) {
    await signIn(page, OPERATOR);
    await page.goto(caseUrl);
    await openPanel(page, 'form-person');
  }
  const formA = first.page.getByTestId('person-edit-form');
  const formB = second.page.getByTestId('person-edit-form');
  await expect(formB.getByLabel('Telefono')).toHaveValue('+393331234567');

  // A saves a new phone; B, still holding the form as it was, saves a permit.
  await formA.getByLabel('Telefono').fill('+39 347 7654321');
  await formA.getByRole('button', { name: 'Salva i dati' }).click();
  await expect(formA.getByTestId('person-saved')).toContainText('Dati della persona salvati');
  await formB.getByLabel('Tipo di permesso di soggiorno').fill('lavoro subordinato');
  await formB.getByRole('button', { name: 'Salva i dati' }).click();
  const conflict = formB.getByTestId('person-conflict');
  await expect(conflict).toContainText('Modificato da qualcun altro');
  await expect(formB.getByTestId('person-saved')).toHaveCount(0);
  await screen(second.page, 'person-conflict-it-desktop');
  await second.page.locator('#language').selectOption('en');
  await expect(conflict).toContainText('Changed by someone else');
  await second.page.locator('#language').selectOption('ar');
  await expect(conflict).toContainText('عدّله شخص آخر');
  await screen(second.page, 'person-conflict-ar-desktop');
  await second.page.locator('#language').selectOption('it');

  // Nothing of B's was stored, and A's phone stands.
  await first.page.reload();
  await openPanel(first.page, 'form-person');
  await expect(formA.getByLabel('Telefono')).toHaveValue('+393477654321');
  await expect(formA.getByLabel('Tipo di permesso di soggiorno')).toHaveValue('');

  // B reloads the current details (A's phone), applies the permit again and saves.
  await conflict.getByRole('button', { name: 'Ricarica i dati attuali' }).click();
  await expect(formB.getByLabel('Telefono')).toHaveValue('+393477654321');
  await expect(conflict).toHaveCount(0);
  await formB.getByLabel('Tipo di permesso di soggiorno').fill('lavoro subordinato');
  await formB.getByRole('button', { name: 'Salva i dati' }).click();
  await expect(formB.getByTestId('person-saved')).toContainText('Dati della persona salvati');
  await expect(second.page.getByTestId('case-phone')).toHaveText('+393477654321');

  await first.page.reload();
  await openPanel(first.page, 'form-person');
  await expect(formA.getByLabel('Telefono')).toHaveValue('+393477654321');
  await expect(formA.getByLabel('Tipo di permesso di soggiorno')).toHaveValue('lavoro subordinato');

  // Again, and B reapplies instead: only what B changed goes on top of A's save.
  await formA.getByLabel('Telefono').fill('+39 320 1112233');
  await formA.getByRole('button', { name: 'Salva i dati' }).click();
  await expect(formA.getByTestId('person-saved')).toContainText('Dati della persona salvati');
  await formB.getByLabel('Numero del permesso').fill('AB1234567');
  await formB.getByRole('button', { name: 'Salva i dati' }).click();
  await conflict.getByRole('button', { name: 'Riapplica le mie modifiche' }).click();
  await expect(formB.getByTestId('person-reapplied')).toContainText('riapplicate ai dati attuali');
  await expect(formB.getByLabel('Telefono')).toHaveValue('+393201112233');
  await expect(formB.getByLabel('Numero del permesso')).toHaveValue('AB1234567');
  await formB.getByRole('button', { name: 'Salva i dati' }).click();
  await expect(formB.getByTestId('person-saved')).toContainText('Dati della persona salvati');
  await expect(second.page.getByTestId('case-phone')).toHaveText('+393201112233');
  await first.context.close();
  await second.context.close();
});

test('the operator creates a household, adds a second person as a child, sees the minors and removes them', async ({ browser }) => {
  const { page, context } = await newPage(browser);
  await signIn(page, OPERATOR);
  // The child is registered first, with a case of their own.
  await page.goto('/persone');
  const search = page.getByTestId('person-search');
  await search.getByRole('textbox', { name: 'Nome', exact: true }).fill('Taras');
  await search.getByLabel('Cognome').fill('Kovalenko');
  await search.getByRole('button', { name: 'Cerca' }).click();
  await page.getByTestId('new-person').click();
  await page.getByTestId('person-form').getByLabel('Anno di nascita').fill('2015');
  await page.getByTestId('person-form').getByRole('button', { name: 'Registra e apri la presa in carico' }).click();
  await expect(page.getByTestId('case-person')).toHaveText('Taras Kovalenko');

  await page.goto(caseUrl);
  const section = page.getByRole('region', { name: 'Nucleo familiare' });
  await expect(section.getByTestId('empty-state')).toContainText('Nessun nucleo familiare');
  await expect(section.getByTestId('empty-state')).toContainText('minori a carico');
  await screen(page, 'household-empty-it-desktop');
  const create = page.getByTestId('household-create');
  await expect(create.getByLabel('Nome del nucleo')).toHaveValue('Famiglia Kovalenko');
  await create.getByLabel('Ruolo di questa persona nel nucleo').selectOption('HEAD');
  await create.getByRole('button', { name: 'Crea il nucleo' }).click();
  const members = page.getByTestId('household-member');
  await expect(members).toHaveCount(1);
  await expect(members.first()).toContainText('Capofamiglia');
  await expect(page.getByTestId('household-minors')).toHaveText('Componenti: 1 · minori: 0');

  // The child is found with the duplicate search and added with a role.
  await openPanel(page, 'household-add');
  const find = page.getByTestId('household-search');
  await find.getByRole('textbox', { name: 'Nome', exact: true }).fill('Taras');
  await find.getByLabel('Cognome').fill('Kovalenko');
  await find.getByRole('button', { name: 'Cerca' }).click();
  const add = page.getByTestId('household-member-form');
  const option = add.getByRole('combobox', { name: 'Persona', exact: true }).locator('option', { hasText: 'Taras Kovalenko' });
  await add.getByRole('combobox', { name: 'Persona', exact: true }).selectOption((await option.getAttribute('value')) ?? '');
  await add.getByLabel('Ruolo nel nucleo').selectOption('CHILD');
  await add.getByRole('button', { name: 'Aggiungi al nucleo' }).click();
  await expect(members).toHaveCount(2);
  const child = members.filter({ hasText: 'Taras Kovalenko' });
  await expect(child).toContainText('Figlio/a');
  await expect(child).toContainText('minore');
  await expect(page.getByTestId('household-minors')).toHaveText('Componenti: 2 · minori: 1');
  await screen(page, 'household-it-desktop');
  await otherViews(page, 'household', async (p) => {
    await expect(p.getByTestId('household-member')).toHaveCount(2);
  });

  // Taken out again.
  await page.getByRole('button', { name: `Togli dal nucleo: ${isolated('Taras Kovalenko')}` }).click();
  await confirmDialog(page, 'Togliere la persona dal nucleo?');
  await expect(members).toHaveCount(1);
  await expect(page.getByTestId('household-minors')).toHaveText('Componenti: 1 · minori: 0');
  await context.close();
});

test('a coordinator changes the password: errors next to the fields, success, then signs in with the new one', async ({ browser }) => {
  // The administrator invites a coordinator.
  const admin = await newPage(browser);
  await signIn(admin.page, ADMIN);
  await admin.page.goto('/configurazione?passo=staff');
  const invite = admin.page.getByTestId('invite-form');
  await invite.getByRole('textbox', { name: 'E-mail' }).fill(COORDINATOR.email);
  await invite.locator('label').getByText('Coordinatore', { exact: true }).click();
  await invite.locator('label').getByText('Operatore', { exact: true }).click();
  await invite.getByRole('button', { name: 'Crea l’invito' }).click();
  const link = await admin.page.getByTestId('invitation-issued').locator('input').inputValue();
  await admin.context.close();

  const { page, context } = await newPage(browser);
  await page.goto(link);
  await page.getByLabel('Nome e cognome').fill(COORDINATOR.name);
  await page.getByLabel(/^Password( \*)?$/).fill(COORDINATOR.password);
  await page.getByLabel('Ripeti la password').fill(COORDINATOR.password);
  await page.getByRole('button', { name: 'Accetta e accedi' }).click();
  await expect(page.getByTestId('user-name')).toHaveText(COORDINATOR.name);

  // The name in the header leads to the password change.
  await page.getByRole('link', { name: `${isolated(COORDINATOR.name)}: Cambia la password` }).click();
  await expect(page).toHaveURL(/\/profilo\/password$/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Cambia la password');
  await screen(page, 'password-it-desktop');
  const form = page.getByTestId('password-form');
  const current = form.getByLabel(/^Password attuale/);
  const fresh = form.getByLabel(/^Nuova password/);
  const confirm = form.getByLabel(/^Conferma la nuova password/);
  const submit = form.getByRole('button', { name: 'Cambia la password' });

  // A wrong current password.
  await current.fill('not-my-password');
  await fresh.fill(NEW_PASSWORD);
  await confirm.fill(NEW_PASSWORD);
  await submit.click();
  await expect(current).toHaveAttribute('aria-invalid', 'true');
  await expect(fresh).not.toHaveAttribute('aria-invalid', 'true');
  await screen(page, 'password-error-it-desktop');

  // A weak new password.
  await current.fill(COORDINATOR.password);
  await fresh.fill('corta');
  await confirm.fill('corta');
  await submit.click();
  await expect(fresh).toHaveAttribute('aria-invalid', 'true');
  await expect(current).not.toHaveAttribute('aria-invalid', 'true');

  // The same as the current one.
  await fresh.fill(COORDINATOR.password);
  await confirm.fill(COORDINATOR.password);
  await submit.click();
  await expect(fresh).toHaveAttribute('aria-invalid', 'true');

  // A confirmation that does not match is caught before sending.
  await fresh.fill(NEW_PASSWORD);
  await confirm.fill(`${NEW_PASSWORD}!`);
  await submit.click();
  await expect(confirm).toHaveAttribute('aria-invalid', 'true');
  await expect(form.locator('.field-error')).toContainText('Le due password non coincidono');

  await confirm.fill(NEW_PASSWORD);
  await submit.click();
  await expect(page.getByTestId('password-changed')).toContainText('Password cambiata');
  await expect(current).toHaveValue('');
  await screen(page, 'password-done-it-desktop');

  // The renewed session keeps working for changes (new CSRF token): the coordinator adds a need type.
  await page.getByRole('navigation', { name: 'Navigazione principale' }).getByRole('link', { name: 'Bisogni ed esiti' }).click();
  const typeForm = page.getByTestId('need-type-form');
  await typeForm.getByLabel('Categoria').selectOption('WORK');
  await typeForm.getByLabel('Nome del tipo').fill('Ricerca di lavoro stagionale');
  await typeForm.getByLabel('Codice').fill('lavoro_stagionale');
  await typeForm.getByRole('button', { name: 'Aggiungi il tipo' }).click();
  await expect(page.getByTestId('need-type-list')).toContainText('Ricerca di lavoro stagionale');

  await page.goto('/profilo/password');
  await otherViews(page, 'password', async (p) => {
    await expect(p.getByTestId('password-form')).toBeVisible();
  });
  await signOut(page);

  // The old password no longer works; the new one does.
  await page.getByLabel('E-mail').fill(COORDINATOR.email);
  await page.getByLabel('Password').fill(COORDINATOR.password);
  await page.getByRole('button', { name: 'Accedi' }).click();
  await expect(page.getByRole('alert')).toContainText('Accesso non riuscito');
  await signIn(page, { email: COORDINATOR.email, password: NEW_PASSWORD });
  await expect(page.getByTestId('user-name')).toHaveText(COORDINATOR.name);
  await context.close();
});

test('the administrator sets the time zone of the organisation, and the console keeps it after a reload', async ({ browser }) => {
  // A tenant of its own: the demo tenant's zone is read by the specs running beside this one.
  const admin = { email: 'admin@pontassieve.example.org', password: 'Sieve-Ponte-2026' };
  await ownTenant({
    name: 'Comune di Pontassieve (prova fuso)',
    istat: '048033',
    desk: 'Sportello Pontassieve',
    admin: { ...admin, displayName: 'Admin Pontassieve' },
    operator: { email: 'operatore@pontassieve.example.org', password: 'Sieve-Lavoro-2026', displayName: 'Operatore Pontassieve' },
  });
  const { page, context } = await newPage(browser);
  await signIn(page, admin);
  await page.goto('/configurazione');
  const form = page.getByTestId('time-zone-form');
  const select = form.getByLabel('Fuso orario dell’ente');
  await expect(select).toHaveValue('Europe/Rome');
  // Each zone is named in the console's language too, not only by its IANA id.
  await expect(select.locator('option[value="Europe/Rome"]')).toHaveText('Europe/Rome — Ora dell’Europa centrale');
  await select.selectOption('America/Lima');
  await form.getByRole('button', { name: 'Salva il fuso orario' }).click();
  await expect(form.getByTestId('time-zone-saved')).toContainText('America/Lima');
  await page.reload();
  await expect(page.getByTestId('time-zone-form').getByLabel('Fuso orario dell’ente')).toHaveValue('America/Lima');
  await context.close();
});

test('a person with a single name in Ge’ez script is registered with the operator’s Latin spelling and found by it', async ({ browser }) => {
  const { page, context } = await newPage(browser);
  await signIn(page, OPERATOR);
  await page.goto('/persone');
  const search = page.getByTestId('person-search');
  // Only the given name: the family name may stay empty.
  await search.getByRole('textbox', { name: 'Nome', exact: true }).fill('ሰላም');
  await search.getByRole('button', { name: 'Cerca' }).click();
  await expect(page.getByTestId('empty-state')).toContainText('Nessuna persona con un nome simile');
  await page.getByTestId('new-person').click();
  const form = page.getByTestId('person-form');
  // A Latin spelling must be in Latin letters: refused next to its field, nothing registered.
  await form.getByRole('textbox', { name: 'Nome in caratteri latini', exact: true }).fill('ሰላም');
  await form.getByRole('button', { name: 'Registra e apri la presa in carico' }).click();
  await expect(form.getByRole('textbox', { name: 'Nome in caratteri latini', exact: true })).toHaveAttribute('aria-invalid', 'true');
  await form.getByRole('textbox', { name: 'Nome in caratteri latini', exact: true }).fill('Salam');
  await screen(page, 'person-single-name-it-desktop');
  await form.getByRole('button', { name: 'Registra e apri la presa in carico' }).click();
  await expect(page).toHaveURL(/\/casi\/.+/);
  await expect(page.getByTestId('case-person')).toHaveText('ሰላም (Salam)');
  // The name is drawn with the Ge'ez face served by the console, whatever fonts the desk's PC has.
  const faces = await page.evaluate(async () => {
    await document.fonts.ready;
    return [...document.fonts].filter((f) => f.status === 'loaded').map((f) => f.family.replaceAll('"', ''));
  });
  expect(faces).toContain('Noto Sans Ethiopic Variable');
  expect(await page.evaluate(() => document.fonts.check('16px "Noto Sans Ethiopic Variable"', 'ሰላም'))).toBe(true);

  // Searched for in Latin letters, by the given name alone, the person is found.
  await page.goto('/persone');
  await search.getByRole('textbox', { name: 'Nome', exact: true }).fill('Selam');
  await search.getByRole('button', { name: 'Cerca' }).click();
  await expect(page.getByTestId('duplicate-warning').getByTestId('duplicate-candidate').filter({ hasText: 'ሰላም' })).toBeVisible();
  await context.close();
});

/** Registers a person from the search page with a birth year and a codice fiscale; returns the case page's path. */
async function registerWithCode(page: Page, given: string, year: string, code: string) {
  await page.goto('/persone');
  const search = page.getByTestId('person-search');
  await search.getByRole('textbox', { name: 'Nome', exact: true }).fill(given);
  await search.getByLabel('Cognome').fill('Hassan');
  await search.getByRole('button', { name: 'Cerca' }).click();
  await page.getByTestId('new-person').click();
  const form = page.getByTestId('person-form');
  await form.getByLabel('Anno di nascita').fill(year);
  await form.getByLabel('Paese di nascita').fill('MA');
  await form.getByLabel('Codice fiscale').fill(code);
  await form.getByRole('button', { name: 'Registra e apri la presa in carico' }).click();
  await expect(page).toHaveURL(/\/casi\/.+/);
  return new URL(page.url()).pathname;
}

test('an omocodic codice fiscale is accepted, and the case page warns next to the field of a possible duplicate and of a contradicting birth year', async ({ browser }) => {
  const { page, context } = await newPage(browser);
  await signIn(page, OPERATOR);
  // The plain code, with a birth year the code contradicts (it says 1990).
  const first = await registerWithCode(page, 'Mahmoud', '1991', 'HSSMMD90A01Z330I');
  // The omocodic code the Agenzia gave a second person, pasted with separators.
  const second = await registerWithCode(page, 'Mohamed', '1990', 'HSS-MMD 90A01.Z33LL');

  // The same code as issued again: refused next to the field, with the way to the holder's case.
  await page.goto('/persone');
  const search = page.getByTestId('person-search');
  await search.getByRole('textbox', { name: 'Nome', exact: true }).fill('Mahmud');
  await search.getByLabel('Cognome').fill('Hasan');
  await search.getByRole('button', { name: 'Cerca' }).click();
  await page.getByTestId('new-person').click();
  const create = page.getByTestId('person-form');
  await create.getByLabel('Codice fiscale').fill('hssmmd90a01z330i');
  await create.getByRole('button', { name: 'Registra e apri la presa in carico' }).click();
  await expect(create.getByLabel('Codice fiscale')).toHaveAttribute('aria-invalid', 'true');
  await create.getByTestId('codice-fiscale-holder').getByRole('link').click();
  await expect(page).toHaveURL(new RegExp(`${first}$`));

  await page.goto(second);
  await openPanel(page, 'form-person');
  const form = page.getByTestId('person-edit-form');
  await expect(form.getByLabel('Codice fiscale')).toHaveValue('HSSMMD90A01Z33LL');
  const warnings = form.getByTestId('codice-fiscale-warnings');
  await expect(warnings).toContainText('potrebbe essere la stessa persona');
  await expect(warnings).not.toContainText('data di nascita');
  await screen(page, 'person-cf-warnings-it-desktop');

  await page.goto(first);
  await expect(page.getByTestId('case-cf-warning')).toHaveText('codice fiscale da controllare');
  await screen(page, 'case-cf-warning-it-desktop');
  await openPanel(page, 'form-person');
  await expect(form.getByTestId('codice-fiscale-warnings')).toContainText("indica un'altra data di nascita");
  await expect(form.getByTestId('codice-fiscale-warnings')).toContainText('potrebbe essere la stessa persona');
  // Corrected to the code's year, the contradiction goes; the possible duplicate stays.
  await form.getByLabel('Anno', { exact: true }).fill('1990');
  await form.getByRole('button', { name: 'Salva i dati' }).click();
  await expect(form.getByTestId('person-saved')).toBeVisible();
  await expect(form.getByTestId('codice-fiscale-warnings')).not.toContainText('data di nascita');
  await expect(form.getByTestId('codice-fiscale-warnings')).toContainText('potrebbe essere la stessa persona');
  await otherViews(page, 'person-cf-warnings', async (p) => {
    await openPanel(p, 'form-person');
    await expect(p.getByTestId('codice-fiscale-warnings')).toBeVisible();
  });
  await context.close();
});

test('a codice fiscale already registered for a person without a case offers to open one for them', async ({ browser }) => {
  const { page, context } = await newPage(browser);
  await signIn(page, OPERATOR);
  // A person registered without a case (as the API allows), holding the code.
  const holder = await page.evaluate(async () => {
    const csrf = decodeURIComponent(document.cookie.match(/(?:^|;\s*)sportello_csrf=([^;]+)/)?.[1] ?? '');
    const response = await fetch('/graphql', {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': csrf },
      body: JSON.stringify({
        query: 'mutation($i: PersonInput!) { createPerson(input: $i) { id } }',
        variables: { i: { givenNames: 'Karim', familyNames: 'Senhaji', territoryCode: '052022', codiceFiscale: 'QPQMHI85M27D924E' } },
      }),
    });
    const body = await response.json();
    return body.data.createPerson.id as string;
  });
  await page.goto('/persone');
  const search = page.getByTestId('person-search');
  await search.getByRole('textbox', { name: 'Nome', exact: true }).fill('Karima');
  await search.getByLabel('Cognome').fill('Senhaji');
  await search.getByRole('button', { name: 'Cerca' }).click();
  await page.getByTestId('new-person').click();
  const create = page.getByTestId('person-form');
  await create.getByLabel('Codice fiscale').fill('QPQMHI85M27D924E');
  await create.getByRole('button', { name: 'Registra e apri la presa in carico' }).click();
  await expect(create.getByLabel('Codice fiscale')).toHaveAttribute('aria-invalid', 'true');
  await create.getByTestId('codice-fiscale-holder').getByRole('button', { name: 'Apri una presa in carico per la persona già registrata con questo codice' }).click();
  await expect(page).toHaveURL(/\/casi\/.+/);
  // The case opened is the holder's.
  await expect(page.getByRole('heading', { level: 1 })).toContainText('Karim Senhaji');
  expect(holder).toBeTruthy();
  await context.close();
});
