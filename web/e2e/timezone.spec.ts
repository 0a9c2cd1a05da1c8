// Appointments on the desk's clock: a weekly series booked across the last Sunday of March keeps
// its local hour, whatever zone the browser is set to (the demo tenant works in Europe/Rome).
import { expect, type Browser } from '@playwright/test';
import { OPERATOR, isolated, newPage, test, signIn } from './helpers';

/** Books 3 weeks from Tuesday 23 March 2027 at `hour` (Rome), in a browser set to `timezoneId`. */
async function bookAcrossTheClockChange(browser: Browser, timezoneId: string, given: string, hour: string) {
  const { page, context } = await newPage(browser, undefined, timezoneId);
  await signIn(page, OPERATOR);
  // A person of their own, with a case.
  await page.goto('/persone');
  const search = page.getByTestId('person-search');
  await search.getByRole('textbox', { name: 'Nome', exact: true }).fill(given);
  await search.getByLabel('Cognome').fill('Orario');
  await search.getByRole('button', { name: 'Cerca' }).click();
  await page.getByTestId('new-person').click();
  await page.getByTestId('person-form').getByLabel('Anno di nascita').fill('1990');
  await page.getByTestId('person-form').getByRole('button', { name: 'Registra e apri la presa in carico' }).click();
  await expect(page).toHaveURL(/\/casi\/.+/);
  await page.getByTestId('form-appointment').locator('summary').click();
  const form = page.getByTestId('appointment-form');
  await form.getByLabel('Sportello').selectOption({ label: isolated('Sportello Immigrazione Poggibonsi') });
  // Tuesday 23 March 2027 in Rome; clocks go forward on Sunday 28 March.
  await form.getByLabel('Data e ora').fill(`2027-03-23T${hour}`);
  await form.getByLabel('Durata in minuti').fill('45');
  await form.getByLabel('Numero di settimane').fill('3');
  await form.getByLabel('Promemoria: ore prima').fill('24');
  const sent = page.waitForRequest((r) => r.url().endsWith('/graphql') && (r.postData() ?? '').includes('BookAppointment'));
  await form.getByRole('button', { name: 'Prenota' }).click();
  // The console sends the local date-time with its offset.
  expect((await sent).postData()).toContain(`2027-03-23T${hour}:00+01:00`);
  await expect(form.getByTestId('appointment-booked')).toContainText('3');
  const items = page.getByTestId('appointments').locator(':scope > li');
  await expect(items).toHaveCount(3);
  // Start and end on the desk's clock, whatever the browser's zone: 45 minutes later.
  const end = `${hour.slice(0, 2)}:45`;
  for (const [i, day] of ['23 mar 2027', '30 mar 2027', '6 apr 2027'].entries()) {
    await expect(items.nth(i)).toContainText(`${day}, ${hour}–${end}`);
  }
  await context.close();
}

test('a weekly series crossing the clock change keeps 10:00 in a browser set to Rome', async ({ browser }) => {
  await bookAcrossTheClockChange(browser, 'Europe/Rome', 'Lucia', '10:00');
});

test('a browser set to another zone books and shows the desk’s local hour too', async ({ browser }) => {
  // New York changes its clocks on 14 March: in its own time the series would move.
  await bookAcrossTheClockChange(browser, 'America/New_York', 'Hiroshi', '15:00');
});
