import { describe, it, expect } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const NSH = 'build/installer.nsh';
const script = readFileSync(NSH, 'utf8');
const macro = (name: string) => script.match(new RegExp(`!macro ${name}\\n([\\s\\S]*?)!macroend`))?.[1] ?? '';

describe('the Windows installer’s firewall rule for discovery', () => {
  it('lets this program, and nothing else, receive mDNS (UDP 5353) from the local subnet', () => {
    const add = macro('customInstall').match(/netsh advfirewall firewall add rule [^\n]*/)?.[0] ?? '';
    expect(add).toMatch(/ dir=in /);
    expect(add).toMatch(/ action=allow /);
    expect(add).toMatch(/ protocol=UDP /);
    expect(add).toMatch(/ localport=5353 /);
    expect(add).toMatch(/ remoteip=localsubnet /);
    expect(add).toContain('program="$INSTDIR\\${APP_EXECUTABLE_FILENAME}"');
  });

  it('replaces the rule on reinstall, says so if it can’t be added, and removes it on uninstall', () => {
    const install = macro('customInstall');
    expect(install.indexOf('delete rule')).toBeLessThan(install.indexOf('add rule'));
    expect(install).toMatch(/DetailPrint "Could not add the Windows Firewall rule[^"]*UDP port 5353/);
    expect(macro('customUnInstall')).toMatch(/netsh advfirewall firewall delete rule name="\$\{PWS_FIREWALL_RULE\}"/);
  });

  // Debian's NSIS (apt: nsis) compiles the include the way electron-builder's installer script uses it.
  it('compiles with makensis, warnings as errors', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pws-nsis-'));
    writeFileSync(
      join(dir, 'check.nsi'),
      [
        'Unicode true',
        '!include LogicLib.nsh',
        '!define PRODUCT_NAME "Provisioning Workstation"',
        '!define APP_EXECUTABLE_FILENAME "Provisioning Workstation.exe"',
        `!include "${resolve(NSH)}"`,
        'Name "${PRODUCT_NAME}"',
        `OutFile "${join(dir, 'pws-firewall-check.exe')}"`,
        'RequestExecutionLevel admin',
        'Section "Install"',
        '  WriteUninstaller "$INSTDIR\\uninstall.exe"',
        '  !insertmacro customInstall',
        'SectionEnd',
        'Section "Uninstall"',
        '  !insertmacro customUnInstall',
        'SectionEnd',
        '',
      ].join('\n'),
    );
    try {
      execFileSync('makensis', ['-V2', '-WX', join(dir, 'check.nsi')], { stdio: 'pipe' });
    } catch (error) {
      const e = error as { code?: string; stdout?: Buffer; stderr?: Buffer };
      throw new Error(e.code === 'ENOENT' ? 'makensis is not installed: apt-get install nsis (bash .ci/run installs it)' : `${e.stdout}${e.stderr}`, {
        cause: error,
      });
    }
  });
});
