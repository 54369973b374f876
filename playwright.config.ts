import { defineConfig } from '@playwright/test'

// End-to-end tests. Browsers are never downloaded: browser-mode tests use Debian's Chromium
// (/usr/bin/chromium); the Electron test skips where no Electron binary can run.
export default defineConfig({
  testDir: 'test/e2e',
  timeout: 120_000,
  workers: 1,
  reporter: [['list']],
})
