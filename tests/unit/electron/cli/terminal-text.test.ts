import { describe, it, expect } from 'vitest';
import { terminalSafe } from '../../../../electron/cli/terminal-text';

describe('terminalSafe', () => {
  it('keeps text, tabs, newlines and other scripts as they are', () => {
    expect(terminalSafe('mbed-linux-os-1001\t192.0.2.1\nfe80::1%br0 · Zürich 東京\n')).toBe('mbed-linux-os-1001\t192.0.2.1\nfe80::1%br0 · Zürich 東京\n');
  });

  it('writes what a terminal would act on as \\uXXXX', () => {
    expect(terminalSafe('\u001b]0;owned\u0007\u001b[2J')).toBe('\\u001b]0;owned\\u0007\\u001b[2J');
    expect(terminalSafe('failed\rpassed')).toBe('failed\\u000dpassed');
    expect(terminalSafe('\u009b31m\u007f')).toBe('\\u009b31m\\u007f');
    expect(terminalSafe('board\u202egnp.exe\u2066')).toBe('board\\u202egnp.exe\\u2066');
  });

  it('writes out what shows nothing, so a look-alike name reads differently from the real one', () => {
    expect(terminalSafe('mbed-linux-os-1\u200b')).toBe('mbed-linux-os-1\\u200b');
    expect(terminalSafe('soft\u00adhyphen\ufeff')).toBe('soft\\u00adhyphen\\ufeff');
    expect(terminalSafe('tag\u{e0041}')).toBe('tag\\udb40\\udc41');
  });

  it('keeps --json output valid JSON that reads back as the original text', () => {
    const txt = { name: 'board\u200b', note: 'tag\u{e0041} \u202eevil \u001b[2J' };
    expect(JSON.parse(terminalSafe(JSON.stringify(txt)))).toEqual(txt);
  });
});
