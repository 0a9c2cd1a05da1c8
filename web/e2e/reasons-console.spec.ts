// A server refusal is shown next to its field in the console's language, worded from the API's
// stable reason and its parameters, with none of the server's English words: a malformed ISTAT
// code, a retired one (naming the code in force) and a name that is not the official one, in
// Italian and Arabic, on desktop and on a 390 px phone. The refused additions store nothing, in
// this tenant or the demo one.
import { expect, type Page } from '@playwright/test';
import { test, ADMIN as DEMO_ADMIN, PHONE, api, checkA11y, newPage, ownTenant, signIn, toArabic } from './helpers';

test.describe.configure({ mode: 'serial' });

const DESKTOP = { width: 1280, height: 900 };
const ADMIN = { email: 'admin@certaldo-ragioni.example.org', password: 'Boccaccio-Casa-2026' };
const OPERATOR = { email: 'operatore@certaldo-ragioni.example.org', password: 'Via-Boccaccio-2026' };

/** The server's English messages for the three refusals: none may reach the page. */
const ENGLISH = ['exactly 6 digits', 'former municipality', 'merged into', 'official name', 'ISTAT code of any'];

const WORDS = {
  it: {
    malformed: 'Il codice ISTAT ha 6 cifre: 3 per la provincia e 3 per il comune (es. 052022)',
    retired: 'Comune soppresso o ricodificato: il codice in vigore è 041044',
    name: 'Non è il nome ufficiale del comune 058091',
  },
  ar: {
    malformed: 'يتكون رمز ISTAT من 6 أرقام: 3 للمقاطعة و3 للبلدية (مثل 052022)',
    retired: 'بلدية أو رمز لم يعد ساريًا: الرمز الساري هو 041044',
    name: 'ليس الاسم الرسمي للبلدية 058091',
  },
} as const;

let seeded = false;
async function seed() {
  if (seeded) return;
  await ownTenant({
    name: 'Comune di Certaldo (prova ragioni)',
    istat: '048012',
    desk: 'Sportello Certaldo',
    admin: { ...ADMIN, displayName: 'Admin Certaldo' },
    operator: { ...OPERATOR, displayName: 'Operatore Certaldo' },
  });
  seeded = true;
}

/** Adds a municipality by hand and returns the error shown next to `field` (code or name). */
async function addByHand(page: Page, code: string, name: string) {
  const form = page.locator('details form');
  const [codeField, nameField] = [form.locator('input').nth(0), form.locator('input').nth(1)];
  await codeField.fill(code);
  await nameField.fill(name);
  await form.getByRole('button').click();
  return { form, codeField, nameField };
}

async function errorOf(page: Page, field: ReturnType<Page['locator']>) {
  await expect(field).toHaveAttribute('aria-invalid', 'true');
  const describedBy = (await field.getAttribute('aria-describedby')) ?? '';
  const errorId = describedBy.split(' ').find((id) => id.endsWith('-error'));
  expect(errorId, 'the field is described by its error').toBeTruthy();
  return page.locator(`[id="${errorId}"]`);
}

for (const language of ['it', 'ar'] as const) {
  for (const [device, viewport] of [
    ['desktop', DESKTOP],
    ['phone', PHONE],
  ] as const) {
    test(`a refused municipality is explained next to its field, in ${language} on ${device}`, async ({ browser }) => {
      await seed();
      const { page, context } = await newPage(browser, viewport);
      await signIn(page, ADMIN);
      await page.goto('/configurazione');
      if (language === 'ar') await toArabic(page);
      const words = WORDS[language];
      await page.locator('details summary').click();

      // Five digits: the format of the code, on the code field.
      let { codeField, nameField } = await addByHand(page, '12345', '');
      let error = await errorOf(page, codeField);
      await expect(error).toHaveText(words.malformed);
      await expect(nameField).not.toHaveAttribute('aria-invalid', 'true');

      // A retired code: the code in force, a parameter of the reason.
      ({ codeField } = await addByHand(page, '041032', ''));
      error = await errorOf(page, codeField);
      await expect(error).toHaveText(words.retired);
      await checkA11y(page, `reasons-${language}-${device}`);

      // A name that is not the official one: on the name field, naming the code only.
      ({ codeField, nameField } = await addByHand(page, '058091', 'Ottiglio'));
      error = await errorOf(page, nameField);
      await expect(error).toHaveText(words.name);
      await expect(codeField).not.toHaveAttribute('aria-invalid', 'true');
      if (viewport === PHONE) {
        // On a phone the message stays within the screen, under its field.
        const box = await error.boundingBox();
        expect(box && box.x >= 0 && box.x + box.width <= PHONE.width + 1).toBeTruthy();
      }

      const text = await page.locator('body').innerText();
      for (const english of ENGLISH) expect(text, `no server English on the page: ${english}`).not.toContain(english);
      expect(text).not.toContain('Valore non valido (');
      await context.close();
    });
  }
}

test('the refused municipalities were stored nowhere', async () => {
  await seed();
  const list = '{ territories(first: 100) { nodes { istatCode } } }';
  const own = (await (await api(ADMIN))(list)).territories.nodes.map((n: { istatCode: string }) => n.istatCode);
  expect(own).toEqual(['048012']);
  const demo = (await (await api(DEMO_ADMIN))(list)).territories.nodes.map((n: { istatCode: string }) => n.istatCode);
  expect(demo).not.toContain('058091');
  expect(demo).not.toContain('048012');
});
