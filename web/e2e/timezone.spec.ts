// Appointments on the desk's clock: a weekly series booked across Europe/Rome's next clock change
// (the last Sunday of March or of October) keeps its local hour, whatever zone the browser is set
// to (the demo tenant works in Europe/Rome). The dates are worked out from today, so the test
// always books in the future.
import { expect, type Browser } from '@playwright/test';
import { OPERATOR, isolated, newPage, test, signIn } from './helpers';

const MONTHS = ['gen', 'feb', 'mar', 'apr', 'mag', 'giu', 'lug', 'ago', 'set', 'ott', 'nov', 'dic'];

/** A calendar day (no zone: only its year, month and day are used). */
type Day = { y: number; m: number; d: number };

function addDays(day: Day, n: number): Day {
  const t = new Date(Date.UTC(day.y, day.m - 1, day.d + n));
  return { y: t.getUTCFullYear(), m: t.getUTCMonth() + 1, d: t.getUTCDate() };
}

const iso = (day: Day) => `${day.y}-${String(day.m).padStart(2, '0')}-${String(day.d).padStart(2, '0')}`;
/** As the console writes a day in Italian: `23 mar 2027`. */
const shown = (day: Day) => `${day.d} ${MONTHS[day.m - 1]} ${day.y}`;

/** The last Sunday of `month` (3 or 10) of `year`: when Europe/Rome changes its clocks. */
function lastSunday(year: number, month: number): Day {
  const last = new Date(Date.UTC(year, month, 0));
  return addDays({ y: year, m: month, d: last.getUTCDate() }, -last.getUTCDay());
}

/**
 * The Tuesday before Europe/Rome's next clock change, at least a day from now, and Rome's UTC
 * offset that Tuesday: +01:00 before the change of March, +02:00 before that of October.
 */
function beforeNextClockChange(now = new Date()): { tuesday: Day; offset: string } {
  const tomorrow = iso(addDays({ y: now.getUTCFullYear(), m: now.getUTCMonth() + 1, d: now.getUTCDate() }, 1));
  for (let year = now.getUTCFullYear(); ; year++) {
    for (const month of [3, 10]) {
      const tuesday = addDays(lastSunday(year, month), -5);
      if (iso(tuesday) >= tomorrow) return { tuesday, offset: month === 3 ? '+01:00' : '+02:00' };
    }
  }
}

/** Books 3 weeks from the Tuesday before the next clock change at `hour` (Rome), in a browser set to `timezoneId`. */
async function bookAcrossTheClockChange(browser: Browser, timezoneId: string, given: string, hour: string) {
  const { tuesday, offset } = beforeNextClockChange();
  const date = iso(tuesday);
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
  // A Tuesday in Rome; the clocks change on the Sunday after it.
  await form.getByLabel('Data e ora').fill(`${date}T${hour}`);
  await form.getByLabel('Durata in minuti').fill('45');
  await form.getByLabel('Numero di settimane').fill('3');
  await form.getByLabel('Promemoria: ore prima').fill('24');
  const sent = page.waitForRequest((r) => r.url().endsWith('/graphql') && (r.postData() ?? '').includes('BookAppointment'));
  await form.getByRole('button', { name: 'Prenota' }).click();
  // The console sends the local date-time with its offset.
  expect((await sent).postData()).toContain(`${date}T${hour}:00${offset}`);
  await expect(form.getByTestId('appointment-booked')).toContainText('3');
  const items = page.getByTestId('appointments').locator(':scope > li');
  await expect(items).toHaveCount(3);
  // Start and end on the desk's clock, whatever the browser's zone: 45 minutes later.
  const end = `${hour.slice(0, 2)}:45`;
  for (const [i, day] of [tuesday, addDays(tuesday, 7), addDays(tuesday, 14)].entries()) {
    await expect(items.nth(i)).toContainText(`${shown(day)}, ${hour}–${end}`);
  }
  await context.close();
}

test('a weekly series crossing the clock change keeps 10:00 in a browser set to Rome', async ({ browser }) => {
  await bookAcrossTheClockChange(browser, 'Europe/Rome', 'Lucia', '10:00');
});

test('a browser set to another zone books and shows the desk’s local hour too', async ({ browser }) => {
  // New York changes its clocks on other Sundays (the second of March, the first of November):
  // in its own time the series would move.
  await bookAcrossTheClockChange(browser, 'America/New_York', 'Hiroshi', '15:00');
});
