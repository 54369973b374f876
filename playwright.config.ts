import { defineConfig } from '@playwright/test'

// End-to-end tests. Browsers are never downloaded: browser-mode tests drive Debian's Chromium
// (/usr/bin/chromium, or CHROMIUM_PATH) against `grokking-lab serve`; the Electron test skips where
// no Electron binary can run. The global setup builds the app once, so serve finds it fresh.
export default defineConfig({
  testDir: 'test/e2e',
  globalSetup: './test/e2e/support/global-setup.ts',
  timeout: 120_000,
  expect: { timeout: 15_000 },
  workers: 1,
  reporter: [['list']],
  use: {
    viewport: { width: 1280, height: 800 },
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: ['--headless', '--no-sandbox', '--disable-gpu'],
    },
    trace: 'off',
  },
})
