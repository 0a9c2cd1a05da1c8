import { expect, type Browser, type BrowserContext, type Locator, type Page } from '@playwright/test';
import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const AXE = require.resolve('axe-core/axe.min.js');
export const SCREENSHOTS = resolve(dirname(fileURLToPath(import.meta.url)), '..', 'screenshots');

export const ADMIN = { email: 'admin@demo.sportello.it', password: 'Via-Francigena-2026' };
export const OPERATOR = { email: 'operatore@demo.sportello.it', password: 'Elsa-Fiume-2026' };
export const PLATFORM = { email: 'piattaforma@demo.sportello.it', password: 'Torre-Grossa-2026' };
export const PHONE = { width: 390, height: 844 };

export function baseURL(): string {
  const url = process.env.SPORTELLO_URL;
  if (!url) throw new Error('SPORTELLO_URL not set: the global setup did not run');
  return url;
}

export async function newPage(browser: Browser, viewport = { width: 1280, height: 900 }): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ baseURL: baseURL(), viewport, locale: 'it-IT', timezoneId: 'Europe/Rome' });
  const page = await context.newPage();
  return { context, page };
}

export async function signIn(page: Page, who: { email: string; password: string }) {
  await page.goto('/accesso');
  await page.getByLabel('E-mail').fill(who.email);
  await page.getByLabel('Password').fill(who.password);
  await page.getByRole('button', { name: 'Accedi' }).click();
  await expect(page.getByRole('button', { name: 'Esci' })).toBeVisible();
  await expect(page).not.toHaveURL(/\/accesso$/);
}

export async function signOut(page: Page) {
  const menu = page.getByRole('button', { name: 'Esci' });
  await menu.click();
  await expect(page).toHaveURL(/\/accesso$/);
}

/** Runs axe-core on the page; fails on any serious or critical violation. */
export async function checkA11y(page: Page, screen: string) {
  await page.addScriptTag({ path: AXE });
  const violations = await page.evaluate(async () => {
    // @ts-expect-error injected by addScriptTag
    const result = await window.axe.run(document, { resultTypes: ['violations'] });
    return (result.violations as { id: string; impact: string; help: string; nodes: { target: string[] }[] }[]).map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      targets: v.nodes.map((n) => n.target.join(' ')).slice(0, 5),
    }));
  });
  const bad = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(bad, `axe on ${screen}: ${JSON.stringify(bad, null, 2)}`).toEqual([]);
}

export async function screenshot(page: Page, name: string) {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

/** Checks accessibility and writes a screenshot of the current screen. */
export async function screen(page: Page, name: string) {
  await checkA11y(page, name);
  await screenshot(page, name);
}

/** Ticks a Bootstrap Italia checkbox the way a person does: by its label. */
export async function tick(scope: Page | Locator, label: string) {
  await scope.locator('label').getByText(label, { exact: true }).click();
  await expect(scope.getByLabel(label, { exact: true })).toBeChecked();
}
