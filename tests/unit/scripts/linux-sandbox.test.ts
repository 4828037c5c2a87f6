import { describe, it, expect } from 'vitest';
import { sandboxPlan } from '../../../scripts/linux-sandbox.mjs';

const HELPER = '/work/node_modules/electron/dist/chrome-sandbox';
const linuxUser = { platform: 'linux', isRoot: false, usernsRestricted: false, helper: HELPER, helperIsSuidRoot: false };

describe('the sandbox for npm start', () => {
  it('keeps the sandbox, silently, where user namespaces work', () => {
    expect(sandboxPlan(linuxUser)).toEqual({ args: [], line: null });
  });

  it('as root passes --no-sandbox (Electron refuses otherwise) and says how to keep it', () => {
    const plan = sandboxPlan({ ...linuxUser, isRoot: true });
    expect(plan.args).toEqual(['--no-sandbox']);
    expect(plan.line).toMatch(/root.*--no-sandbox.*normal user/);
    expect(plan.line).not.toContain('\n');
  });

  it('under Ubuntu 24.04’s user-namespace restriction passes --no-sandbox and names both fixes', () => {
    const plan = sandboxPlan({ ...linuxUser, usernsRestricted: true });
    expect(plan.args).toEqual(['--no-sandbox']);
    expect(plan.line).toContain(`sudo chown root:root '${HELPER}' && sudo chmod 4755 '${HELPER}'`);
    expect(plan.line).toMatch(/AppArmor.*install the deb/);
    expect(plan.line).not.toContain('\n');
  });

  it('keeps the sandbox under the restriction once chrome-sandbox is SUID root', () => {
    expect(sandboxPlan({ ...linuxUser, usernsRestricted: true, helperIsSuidRoot: true })).toEqual({ args: [], line: null });
  });

  it('leaves macOS and Windows alone', () => {
    expect(sandboxPlan({ ...linuxUser, platform: 'darwin', isRoot: true })).toEqual({ args: [], line: null });
    expect(sandboxPlan({ ...linuxUser, platform: 'win32' })).toEqual({ args: [], line: null });
  });
});
