import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { test, expect } from '../support/web-host';
import { labFault, labHeal } from '../../lab/lab';
import { axeViolations, describeViolations } from '../support/axe';
import { dismissToasts, requireUiLab, selectDevices, startProvisioningRig, type ProvisioningRig } from '../provisioning/provisioning-helpers';

/**
 * axe-core (WCAG 2.1 A/AA and 2.5.3 Label in Name) on every screen, wizard step and dialog, in light and dark.
 * One page per theme walks the table of states below in order (each state starts where the one before left
 * off), so the app starts twice, not once per state. Every violation of every state is collected and the test
 * fails at the end with one line per element, prefixed with the theme and the state.
 */
interface AuditState {
  name: string;
  /** Brings the page into the state from wherever the previous state left it. */
  enter(page: Page, ctx: Context): Promise<void>;
  /** Tidies up after the audit (closes a dialog, heals the lab) so the next state starts from the screen. */
  leave?(page: Page, ctx: Context): Promise<void>;
  /** Screenshots of a few audited states, looked at by a person, in test-results/screenshots/a11y-<theme>-<name>.png. */
  screenshot?: boolean;
}

interface Context {
  rig: ProvisioningRig;
  deviceCount: number;
}

const screen = (page: Page, shortcut: string, title: string) => async () => {
  await page.keyboard.press(`Alt+${shortcut}`);
  await expect(page.getByRole('heading', { level: 1, name: title })).toBeVisible();
};

const dialog = (page: Page, name: string | RegExp) => page.getByRole('dialog', { name });

/** Closes the open dialog with Escape and checks that focus went back to what opened it. */
async function escapeDialog(page: Page, name: string | RegExp): Promise<void> {
  await page.keyboard.press('Escape');
  await expect(dialog(page, name)).toBeHidden();
}

const grid = (page: Page) => page.getByRole('grid', { name: 'Devices' });
const row = (page: Page, host: string) =>
  grid(page)
    .locator('[role="row"][data-device-id]')
    .filter({ hasText: new RegExp(`${host}(?!\\d)`) });

const closeDialog = async (page: Page) => {
  await page.keyboard.press('Escape');
  await expect(page.getByRole('dialog')).toBeHidden();
};

const states: AuditState[] = [
  // Settings first (every section; the API key's forms and the remove confirmation), and Provisioning before any device is chosen.
  { name: 'settings', enter: screenOf('6', 'Settings'), screenshot: true },
  {
    name: 'settings-replace-api-key-refused',
    enter: async (page) => {
      await page.getByRole('button', { name: 'Replace key' }).click();
      await page.getByRole('button', { name: 'Check and save key' }).click();
      await expect(page.getByRole('form', { name: 'Replace API key' }).getByRole('alert').first()).toBeVisible();
    },
    leave: async (page) => page.getByRole('form', { name: 'Replace API key' }).getByRole('button', { name: 'Cancel' }).click(),
  },
  {
    name: 'dialog-remove-api-key',
    enter: async (page) => {
      await page.getByRole('button', { name: 'Remove key' }).click();
      await expect(page.getByRole('dialog')).toBeVisible();
    },
    leave: closeDialog,
  },
  { name: 'provisioning-nothing-chosen', enter: screenOf('3', 'Provisioning') },

  // Devices
  {
    name: 'devices',
    enter: async (page, { deviceCount }) => {
      await screen(page, '1', 'Devices')();
      await expect(page.getByText(new RegExp(`^${deviceCount} devices`))).toBeVisible({ timeout: 30_000 });
    },
    screenshot: true,
  },
  {
    name: 'devices-selected-and-gone',
    enter: async (page, { deviceCount }) => {
      await selectDevices(page, ['mbed-linux-os-1', 'mbed-linux-os-2', 'linux-box-10'], deviceCount);
      await labFault(10, 'avahi-down');
      await expect(row(page, 'linux-box-10').getByText('gone', { exact: true })).toBeVisible({ timeout: 20_000 });
      await row(page, 'mbed-linux-os-2').hover({ position: { x: 400, y: 10 } });
    },
    leave: async (page) => {
      await labHeal(10, 'avahi-down');
      await expect(row(page, 'linux-box-10').getByText('online')).toBeVisible({ timeout: 30_000 });
    },
    screenshot: true,
  },
  {
    name: 'devices-hovered-primary-and-focused-grid',
    enter: async (page) => {
      await page.getByRole('button', { name: /^Provision selected/ }).hover();
      await grid(page).focus();
      await page.keyboard.press('ArrowDown');
    },
  },
  {
    name: 'devices-status-check',
    enter: async (page) => {
      await page.getByRole('button', { name: 'Check status' }).click();
      await expect(page.getByRole('heading', { name: 'Status check' })).toBeVisible({ timeout: 60_000 });
      await dismissToasts(page);
    },
    leave: async (page) => page.locator('.probe-results').getByRole('button', { name: 'Close' }).click(),
  },
  {
    name: 'devices-filtered',
    enter: async (page) => {
      await page.getByRole('searchbox', { name: 'Filter devices' }).fill('mbed-linux');
    },
    leave: async (page) => page.getByRole('searchbox', { name: 'Filter devices' }).fill(''),
  },
  {
    name: 'dialog-add-device',
    enter: async (page) => {
      await page.getByRole('button', { name: 'Add device by address…' }).click();
      const d = dialog(page, 'Add device by address');
      await d.getByRole('button', { name: /^Add/ }).click(); // empty: the field's error is shown
      await expect(d.getByRole('alert').first()).toBeVisible();
    },
    leave: async (page) => escapeDialog(page, 'Add device by address'),
  },
  {
    name: 'dialog-rename',
    enter: async (page) => {
      await grid(page).focus();
      await page.keyboard.press('F2');
      await expect(dialog(page, /^Nickname for/)).toBeVisible();
    },
    leave: async (page) => escapeDialog(page, /^Nickname for/),
  },
  {
    name: 'dialog-about',
    enter: async (page) => {
      await page.getByRole('button', { name: 'About' }).click();
      await expect(dialog(page, /About/)).toContainText('Data folder');
    },
    leave: async (page) => escapeDialog(page, /About/),
    screenshot: true,
  },

  // Provisioning: the empty screen, then the set-up panel for the selected boards with each choice.
  {
    name: 'provisioning-setup',
    enter: async (page) => {
      await screen(page, '1', 'Devices')();
      await page.getByRole('button', { name: /^Provision selected/ }).click();
      await expect(page.getByRole('heading', { level: 1, name: 'Provisioning' })).toBeVisible();
      await expect(page.getByRole('list', { name: 'Devices to provision' }).getByRole('listitem')).toHaveCount(3);
    },
  },
  {
    name: 'provisioning-setup-create-developer-certificate',
    enter: async (page) => {
      await page.getByLabel('Developer certificate', { exact: true }).selectOption({ label: 'Create new…' });
      await page.getByRole('button', { name: 'Create in the cloud' }).click();
      await expect(page.getByRole('alert').filter({ hasText: 'New developer certificate name' })).toBeVisible();
    },
    leave: async (page) => {
      await page.getByLabel('New developer certificate name').fill('lab-dev');
      await page.getByRole('button', { name: 'Create in the cloud' }).click();
      await expect(page.getByLabel('Developer certificate', { exact: true })).toHaveValue('lab-dev', { timeout: 30_000 });
      await dismissToasts(page);
    },
  },
  {
    name: 'provisioning-setup-ready',
    enter: async (page) => {
      await expect(page.getByRole('button', { name: /^Provision 3 devices/ })).toBeEnabled();
    },
    screenshot: true,
  },
  {
    name: 'provisioning-run-board',
    enter: async (page) => {
      await page.getByRole('button', { name: /^Provision 3 devices/ }).click();
      await expect(page.getByRole('list', { name: 'Devices in this run' }).locator(':scope > li')).toHaveCount(3);
    },
  },
  {
    name: 'provisioning-results',
    enter: async (page) => {
      await expect(page.getByRole('heading', { name: 'Results' })).toBeVisible({ timeout: 120_000 });
      await dismissToasts(page);
    },
    screenshot: true,
  },

  // History, after that run.
  {
    name: 'history',
    enter: async (page) => {
      await screen(page, '4', 'History')();
      await expect(page.getByRole('table').first()).toBeVisible();
    },
  },

  // Certificates: the screen, every step of the update-certificate wizard, every step of the New CA wizard.
  { name: 'certificates', enter: screenOf('2', 'Certificates'), screenshot: true },
  {
    name: 'update-certificate-wizard',
    enter: async (page, ctx) => {
      await page.getByRole('button', { name: 'New update certificate' }).click();
      await walkWizard(
        page,
        ctx,
        'update-wizard',
        {
          'Vendor domain': 'arm.com',
          'Model name': 'dev-device',
          'Common name': 'arm.com',
        },
        'Create certificate',
      );
      await page
        .getByRole('button', { name: /Back to certificates|Close|Done/ })
        .first()
        .click();
    },
  },
  {
    // The Advanced step with an existing certificate and key: its fields refused, then the review of that certificate.
    name: 'update-certificate-wizard-existing',
    enter: async (page, ctx) => {
      const audit = (ctx as Context & { audit: (name: string) => Promise<void> }).audit;
      await page.getByRole('button', { name: 'New update certificate' }).click();
      for (const [label, value] of [
        ['Vendor domain', 'arm.com'],
        ['Model name', 'dev-device'],
      ] as const) {
        if ((await page.getByLabel(label, { exact: true }).inputValue()) === '') await page.getByLabel(label, { exact: true }).fill(value);
      }
      await page.getByRole('button', { name: 'Next' }).click();
      await page.getByRole('radio', { name: 'Use an existing certificate and key' }).check();
      await page.getByRole('button', { name: 'Next' }).click();
      await expect(page.getByLabel('Certificate file (DER or PEM)')).toHaveAttribute('aria-invalid', 'true');
      await audit('update-wizard: Advanced, existing certificate refused');
      await page.getByLabel('Certificate file (DER or PEM)').fill(join(ctx.rig.updateDir, '.update-certificates/default.der'));
      await page.getByLabel('Private key file (PEM or DER)').fill(join(ctx.rig.updateDir, '.update-certificates/default.key.pem'));
      await page.getByRole('button', { name: 'Next' }).click();
      await expect(page.getByRole('heading', { name: /^Step 5 of 6: Review/ })).toBeVisible();
      await audit('update-wizard: Review of an existing certificate');
      await page.getByRole('button', { name: 'Cancel' }).click();
    },
  },
  {
    name: 'ca-wizard',
    enter: async (page, ctx) => {
      await expect(page.getByRole('heading', { level: 1, name: 'Certificates' })).toBeVisible();
      await page.getByRole('button', { name: 'New CA' }).click();
      await walkWizard(page, ctx, 'ca-wizard', { 'CA name': 'lab-ca', Organisation: 'Example Devices' }, 'Create CA');
      await page.getByRole('button', { name: 'Back to certificates' }).click();
    },
  },
  {
    name: 'dialog-trust-ca',
    enter: async (page) => {
      await page.getByRole('button', { name: 'Trust in my account: lab-ca' }).click();
      await expect(page.getByRole('dialog')).toBeVisible();
    },
    leave: closeDialog,
  },
  {
    name: 'dialog-import-ca',
    enter: async (page) => {
      await page.getByRole('button', { name: /^Import.*CA/ }).click();
      await expect(page.getByRole('dialog')).toBeVisible();
    },
    leave: closeDialog,
  },
  {
    name: 'dialog-delete-ca',
    enter: async (page) => {
      await page.getByRole('button', { name: 'Delete CA lab-ca' }).click();
      await expect(page.getByRole('dialog')).toBeVisible();
    },
    leave: closeDialog,
  },
  {
    name: 'dialog-delete-certificate',
    enter: async (page) => {
      await page.getByRole('button', { name: 'Delete lab-dev' }).click();
      await expect(page.getByRole('dialog', { name: 'Delete lab-dev?' })).toBeVisible();
    },
    leave: async (page) => {
      await page.getByRole('dialog', { name: 'Delete lab-dev?' }).getByRole('button', { name: 'Delete' }).click();
      await expect(page.getByRole('dialog')).toBeHidden();
    },
  },
  // Deleted from the Team Store only: the cloud's row offers to copy it back.
  {
    name: 'certificates-cloud-only',
    enter: async (page) => {
      await expect(page.getByRole('button', { name: 'No: copy to Team Store (lab-dev)' })).toBeVisible();
    },
    leave: async (page) => {
      await page.getByRole('button', { name: 'No: copy to Team Store (lab-dev)' }).click();
      await expect(page.getByRole('button', { name: 'Delete lab-dev' })).toBeVisible();
    },
  },
  {
    name: 'certificates-form-errors',
    enter: async (page) => {
      await page.getByRole('button', { name: 'Create developer certificate' }).click();
      await page.getByRole('button', { name: 'Import update certificate' }).click();
      await expect(page.getByRole('alert').nth(1)).toBeVisible();
    },
  },

  // Identities, with the CA made above.
  { name: 'identities', enter: screenOf('5', 'Identities') },

  {
    name: 'provisioning-setup-own-identity',
    enter: async (page, { deviceCount }) => {
      await screen(page, '1', 'Devices')();
      await selectDevices(page, ['mbed-linux-os-3'], deviceCount);
      await page.getByRole('button', { name: 'Provision selected (1)' }).click();
      await page.getByLabel('Own identity per device (CA: lab-ca)').check();
      await expect(page.getByLabel('Certificate authority')).toHaveValue('lab-ca');
    },
    leave: async (page) => page.getByLabel(/^Developer certificate \(shared/).check(),
    screenshot: true,
  },

  // Strict host keys: an unknown board is refused in the results, and trusting its key asks first.
  {
    name: 'provisioning-results-unknown-host-key',
    enter: async (page, { deviceCount }) => {
      await screen(page, '6', 'Settings')();
      await page.getByLabel('Strict host keys').check();
      await expect(page.getByText('Settings saved')).toBeVisible();
      await screen(page, '1', 'Devices')();
      await selectDevices(page, ['mbed-linux-os-3'], deviceCount);
      await page.getByRole('button', { name: 'Provision selected (1)' }).click();
      await page.getByRole('button', { name: 'Provision 1 device' }).click();
      await expect(page.locator('.results tbody').first()).toContainText('Unknown host key', { timeout: 60_000 });
      await dismissToasts(page);
    },
    screenshot: true,
  },
  {
    name: 'dialog-trust-host-key',
    enter: async (page) => {
      await page.getByRole('button', { name: 'Trust this key (mbed-linux-os-3)' }).click();
      await expect(page.getByRole('dialog', { name: 'Trust this host key for mbed-linux-os-3?' })).toBeVisible();
    },
    leave: closeDialog,
  },
];

function screenOf(shortcut: string, title: string) {
  return async (page: Page) => screen(page, shortcut, title)();
}

/** Audits each wizard step, filling the given fields where a step has them, until the finishing button is pressed. */
async function walkWizard(
  page: Page,
  ctx: Context & { audit?: (name: string) => Promise<void> },
  name: string,
  fields: Record<string, string>,
  finish: string,
): Promise<void> {
  const title = page.getByRole('heading', { name: /^Step \d+ of \d+/ });
  for (let i = 0; i < 12; i++) {
    await expect(title).toBeVisible();
    const heading = (await title.textContent())!;
    await ctx.audit!(`${name}: ${heading}`);
    for (const [label, value] of Object.entries(fields)) {
      const field = page.getByLabel(label, { exact: true });
      if ((await field.count()) && (await field.inputValue()) === '') await field.fill(value);
    }
    const finishing = page.getByRole('button', { name: finish });
    if (await finishing.count()) {
      await finishing.click();
      await expect(page.getByRole('heading', { name: /^Step \d+ of \d+/ })).not.toHaveText(heading, { timeout: 30_000 });
      await ctx.audit!(`${name}: ${(await title.textContent())!}`);
      return;
    }
    await page.getByRole('button', { name: 'Next' }).click();
    await expect(title).not.toHaveText(heading);
  }
  throw new Error(`${name}: no "${finish}" button after 12 steps`);
}

let rig: ProvisioningRig | undefined;
test.afterEach(async () => {
  await labHeal(10, 'avahi-down').catch(() => {});
  await rig?.close();
  rig = undefined;
});

for (const theme of ['light', 'dark'] as const) {
  test(`axe finds no WCAG 2.1 A/AA violation on any screen, wizard step or dialog (${theme})`, async ({ page }) => {
    test.setTimeout(300_000);
    const lab = requireUiLab();
    rig = await startProvisioningRig();
    rig.pws('certs', 'import-update', 'lab-update', join(rig.updateDir, 'update_default_resources.c'));
    await page.emulateMedia({ colorScheme: theme });
    await page.goto(rig.host.url);
    mkdirSync('test-results/screenshots', { recursive: true });

    const found: string[] = [];
    const audited: string[] = [];
    const audit = async (name: string) => {
      audited.push(name);
      const lines = describeViolations(await axeViolations(page));
      if (lines) found.push(...lines.split('\n').map((l) => `[${theme}] ${name}: ${l}`));
    };
    const ctx = { rig, deviceCount: lab.devices.length, audit };
    try {
      for (const state of states) {
        await test.step(state.name, async () => {
          await state.enter(page, ctx);
          if (!state.name.includes('wizard')) await audit(state.name);
          if (state.screenshot) await page.screenshot({ path: `test-results/screenshots/a11y-${theme}-${state.name}.png` });
          await state.leave?.(page, ctx);
        });
      }
    } finally {
      // Reported even when a state could not be reached, so one run shows everything axe found so far.
      expect.soft(found, `axe violations:\n${found.join('\n')}`).toEqual([]);
      test.info().annotations.push({ type: 'audited', description: audited.join('; ') });
    }
  });
}
