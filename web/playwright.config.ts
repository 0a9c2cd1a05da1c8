import { defineConfig } from '@playwright/test';

// Browser tests drive Debian's Chromium (no browser download). The global setup builds the
// console if needed and starts the real server on a free port with a fresh data directory.
export default defineConfig({
  testDir: './e2e',
  globalSetup: './e2e/server.ts',
  fullyParallel: false,
  workers: 2,
  retries: 0,
  timeout: 120_000,
  expect: { timeout: 10_000 },
  reporter: [['list']],
  outputDir: 'test-results',
  use: {
    browserName: 'chromium',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-dev-shm-usage'],
    },
    headless: true,
    locale: 'it-IT',
    timezoneId: 'Europe/Rome',
    // Transitions off (the kit honours the preference): what a test reads is what settles.
    reducedMotion: 'reduce',
    viewport: { width: 1280, height: 900 },
    trace: 'off',
    actionTimeout: 10_000,
    navigationTimeout: 15_000,
  },
});
