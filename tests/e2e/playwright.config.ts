import { defineConfig } from '@playwright/test';

/**
 * Browser end-to-end tests: Debian's Chromium drives the loopback web host (the same renderer and core
 * the Electron app uses). Never `npx playwright install`: the browser comes from apt.
 */
export default defineConfig({
  testDir: '.',
  testMatch: '**/*.e2e.ts',
  globalSetup: './support/global-setup.ts',
  workers: 1,
  timeout: 120_000,
  expect: { timeout: 15_000 },
  outputDir: '../../test-results/e2e-artifacts',
  reporter: [['list'], ['json', { outputFile: '../../test-results/e2e.json' }]],
  use: {
    browserName: 'chromium',
    viewport: { width: 1280, height: 800 },
    launchOptions: {
      executablePath: process.env.PWS_CHROMIUM ?? '/usr/bin/chromium',
      // The device lab runs its own system D-Bus and restarts it on lab up/down; Chromium aborts when that
      // connection drops, so keep the browser off the system bus (it needs nothing from it here).
      env: { ...process.env, DBUS_SYSTEM_BUS_ADDRESS: 'unix:path=/nonexistent/pws-no-system-bus' } as Record<string, string>,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    },
    trace: 'retain-on-failure',
  },
});
