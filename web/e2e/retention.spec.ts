// The administrator's retention schedule: a value out of bounds is refused on its own field and
// changes nothing; valid values are saved and read back after a reload.
import { expect } from '@playwright/test';
import { ADMIN, newPage, signIn, test } from './helpers';

test('the administrator sets how long statistical data, sent events and people whose cases are closed are kept', async ({ browser }) => {
  const { page, context } = await newPage(browser);
  await signIn(page, ADMIN);
  await page.goto('/configurazione');
  const form = page.getByTestId('retention-form');
  const months = form.getByLabel('Mesi di dati statistici');
  const days = form.getByLabel('Giorni degli eventi già inviati');
  const save = form.getByRole('button', { name: 'Salva la conservazione' });
  await expect(months).toHaveValue('36');
  await expect(days).toHaveValue('7');

  // Twelve months are too few for a year-on-year comparison: refused on the months.
  await months.fill('12');
  await save.click();
  await expect(months).toHaveAttribute('aria-invalid', 'true');
  await expect(form.getByRole('alert')).toContainText('13');
  await expect(days).not.toHaveAttribute('aria-invalid', 'true');
  // Then 31 days are too many: refused on the days.
  await months.fill('24');
  await days.fill('31');
  await save.click();
  await expect(days).toHaveAttribute('aria-invalid', 'true');
  await expect(months).not.toHaveAttribute('aria-invalid', 'true');
  await expect(form.getByTestId('retention-saved')).toHaveCount(0);

  // Closed cases: 10 years by default; 31 is refused on its own field.
  const years = form.getByLabel('Anni dopo la chiusura dell’ultima presa in carico');
  await expect(years).toHaveValue('10');
  await days.fill('14');
  await years.fill('31');
  await save.click();
  await expect(years).toHaveAttribute('aria-invalid', 'true');
  await expect(form.getByTestId('retention-saved')).toHaveCount(0);
  await years.fill('12');
  await save.click();
  await expect(form.getByTestId('retention-saved')).toBeVisible();
  await page.reload();
  await expect(page.getByTestId('retention-form').getByLabel('Mesi di dati statistici')).toHaveValue('24');
  await expect(page.getByTestId('retention-form').getByLabel('Giorni degli eventi già inviati')).toHaveValue('14');
  await expect(page.getByTestId('retention-form').getByLabel('Anni dopo la chiusura dell’ultima presa in carico')).toHaveValue('12');

  // Back to the defaults for the tests that follow on this installation.
  await page.getByTestId('retention-form').getByLabel('Mesi di dati statistici').fill('36');
  await page.getByTestId('retention-form').getByLabel('Giorni degli eventi già inviati').fill('7');
  await page.getByTestId('retention-form').getByLabel('Anni dopo la chiusura dell’ultima presa in carico').fill('10');
  await page.getByTestId('retention-form').getByRole('button', { name: 'Salva la conservazione' }).click();
  await expect(page.getByTestId('retention-saved')).toBeVisible();
  await context.close();
});
