// Procedures (pratiche): an operator starts a citizenship application on a person's case page,
// records the day the application was submitted, and the decree's statutory deadline, ten days
// away, raises the alert on the case page and in the back office's list; the workload counts
// it. A tenant of the spec's own; axe-core and a screenshot on every screen.
import { expect } from '@playwright/test';
import { test, checkA11y, newPage, ownTenant, screenshot, signIn } from './helpers';

const ISTAT = '052032'; // Siena
const ADMIN = { email: 'admin@siena-pratiche.example.org', password: 'Piazza-del-Campo-2026' };
const OPERATOR = { email: 'operatore@siena-pratiche.example.org', password: 'Torre-del-Mangia-2026' };

/** A field's label, with or without the mark of a required one. */
const label = (text: string) => new RegExp(`^${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}( \\*)?$`);

/** Today on the tenant's clock (Europe/Rome), moved by whole years and days, `YYYY-MM-DD`. */
function romeDay(years: number, days: number): string {
  const p = Object.fromEntries(
    new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Rome', year: 'numeric', month: '2-digit', day: '2-digit' })
      .formatToParts(new Date())
      .map((x) => [x.type, Number(x.value)]),
  );
  return new Date(Date.UTC(p.year + years, p.month - 1, p.day + days)).toISOString().slice(0, 10);
}

test('a citizenship application tracked to its deadline alerts on the case page and in the back office', async ({ browser }) => {
  const { operator } = await ownTenant({
    name: 'Comune di Siena (pratiche, prova)',
    istat: ISTAT,
    desk: 'Sportello Siena',
    admin: { ...ADMIN, displayName: 'Admin Siena' },
    operator: { ...OPERATOR, displayName: 'Operatore Siena' },
  });
  const personId = (
    await operator('mutation($i: PersonInput!) { createPerson(input: $i) { id } }', {
      i: { givenNames: 'Samira', familyNames: 'Haddad', territoryCode: ISTAT },
    })
  ).createPerson.id;
  await operator('mutation($p: ID!) { recordConsent(personId: $p, purpose: CASE_MANAGEMENT, given: true) { given } }', { p: personId });
  const caseId = (await operator('mutation($p: ID!) { openCase(personId: $p) { id } }', { p: personId })).openCase.id;

  // Submitted two years less ten days ago: the decree is due within 24 months, in ten days.
  const submitted = romeDay(-2, 10);
  const { page, context } = await newPage(browser);
  await signIn(page, OPERATOR);
  await page.goto(`/casi/${encodeURIComponent(caseId)}`);
  const section = page.getByTestId('procedures-section');
  await expect(section.getByTestId('procedures-empty')).toHaveText('Nessuna pratica per questa persona.');
  await section.getByText('Avvia una pratica', { exact: true }).click();
  const start = section.getByTestId('form-procedure');
  await start.getByLabel(label('Pratica')).selectOption({ label: 'Cittadinanza per residenza' });
  await start.getByLabel(label('Avviata il')).fill(submitted);
  await checkA11y(page, 'procedure-start');
  await start.getByRole('button', { name: 'Avvia la pratica' }).click();
  const procedure = section.getByTestId('procedure');
  await expect(procedure).toHaveCount(1);
  await expect(procedure).toContainText('Cittadinanza per residenza');
  // Nothing is due until the application is submitted.
  await expect(procedure).toContainText('Nessuna scadenza in corso');
  await expect(procedure.getByTestId('procedure-alert')).toHaveCount(0);

  // The application was submitted on the first day: the decree's deadline starts counting.
  const application = procedure.locator('tr[data-step="application_submitted"]');
  await application.getByLabel('Giorno in cui è stato fatto: Domanda presentata online').fill(submitted);
  await application.getByRole('button', { name: 'Segna fatto: Domanda presentata online' }).click();
  await expect(procedure.getByTestId('procedure-alert')).toHaveText('In scadenza');
  await expect(procedure.getByTestId('next-deadline')).toContainText('Decreto notificato');
  await expect(procedure.locator('tr[data-step="decree_notified"]')).toContainText('termine di legge');
  await expect(section.getByTestId('procedures-alert-summary')).toHaveText('1 pratica in scadenza o scaduta.');
  await checkA11y(page, 'case-procedures-alert');
  await screenshot(page, 'procedures-case-alert');

  // The back office: the procedure among those alerting, none overdue, and the workload.
  await page.getByRole('link', { name: 'Pratiche' }).first().click();
  await expect(page).toHaveURL(/\/pratiche$/);
  const row = page.getByTestId('procedure-row');
  await expect(row).toHaveCount(1);
  await expect(row).toHaveAttribute('data-type', 'citizenship_residence');
  await expect(row.getByTestId('procedure-alert')).toHaveText('In scadenza');
  await expect(row.getByTestId('next-deadline')).toContainText('Decreto notificato');
  await expect(page.getByTestId('workload-by-type')).toContainText('Cittadinanza per residenza');
  await expect(page.getByTestId('workload-by-responsible')).toContainText('Tu');
  await checkA11y(page, 'procedures-back-office');
  await screenshot(page, 'procedures-back-office');
  await page.getByRole('button', { name: 'Scadute' }).click();
  await expect(page.getByTestId('empty-state')).toContainText('Nessuna pratica scaduta');
  await page.getByRole('button', { name: 'In scadenza' }).click();
  await row.getByRole('link', { name: 'Apri' }).click();
  await expect(page).toHaveURL(new RegExp(`/casi/${encodeURIComponent(caseId)}$`));
  await context.close();
});
