import { describe, expect, it } from 'vitest';
import {
  endpointNameProblem,
  expandEndpointTemplate,
  parseEndpointTemplate,
  templateIsUniquePerDevice,
  templateProblemForSeveral,
} from '../../../../shared/domain/endpoint-name';

describe('endpoint-name templates', () => {
  it('accepts {hostname}, {seq} and {uuid} with FCU-safe text around them', () => {
    expect(parseEndpointTemplate('{hostname}')).toEqual({ ok: true, placeholders: ['hostname'] });
    expect(parseEndpointTemplate('lab-{seq}')).toEqual({ ok: true, placeholders: ['seq'] });
    expect(parseEndpointTemplate("Line 2 (A): {hostname}/{seq}+{uuid}=x'y?,z.")).toEqual({ ok: true, placeholders: ['hostname', 'seq', 'uuid'] });
  });

  it('refuses an unknown placeholder, an unmatched brace, a character FCU does not recommend, and an empty template, each saying which', () => {
    expect(parseEndpointTemplate('lab-{serial}')).toEqual({
      ok: false,
      message: expect.stringMatching(/uses \{serial\}: only \{hostname\}, \{seq\} and \{uuid\} exist/),
    });
    expect(parseEndpointTemplate('lab-{seq')).toEqual({ ok: false, message: expect.stringMatching(/unmatched "\{" or "\}"/) });
    expect(parseEndpointTemplate('lab}{seq}')).toEqual({ ok: false, message: expect.stringMatching(/unmatched/) });
    expect(parseEndpointTemplate('lab_{seq}')).toEqual({ ok: false, message: expect.stringMatching(/contains "_"/) });
    expect(parseEndpointTemplate('  ')).toEqual({ ok: false, message: expect.stringMatching(/empty/) });
  });

  it('knows which templates make every device different on their own', () => {
    expect(templateIsUniquePerDevice(['hostname'])).toBe(false);
    expect(templateIsUniquePerDevice([])).toBe(false);
    expect(templateIsUniquePerDevice(['seq'])).toBe(true);
    expect(templateIsUniquePerDevice(['hostname', 'uuid'])).toBe(true);
  });

  it('refuses, for a run of several devices, only a template with no placeholder, saying which placeholders to add', () => {
    expect(templateProblemForSeveral('lab-board')).toMatch(
      /^the endpoint-name template "lab-board" has no placeholder, so every device would get the same endpoint name .* add \{seq\} or \{uuid\} .* or \{hostname\}/,
    );
    for (const fine of ['{hostname}', 'lab-{seq}', '{uuid}', 'lab_{seq}']) expect(templateProblemForSeveral(fine)).toBeUndefined();
  });

  it('expands with the device values and checks the result', () => {
    expect(expandEndpointTemplate('{hostname}', { hostname: 'mbed-linux-os-7', seq: 3, uuid: 'u' })).toEqual({ ok: true, name: 'mbed-linux-os-7' });
    expect(expandEndpointTemplate('lab-{seq}-{seq}', { seq: 12, uuid: 'u' })).toEqual({ ok: true, name: 'lab-12-12' });
    expect(expandEndpointTemplate('{uuid}', { seq: 1, uuid: '0f4e7c1a-0000-4000-8000-000000000001' })).toEqual({
      ok: true,
      name: '0f4e7c1a-0000-4000-8000-000000000001',
    });
  });

  it('refuses {hostname} without a host name, and a host name that makes an invalid name', () => {
    expect(expandEndpointTemplate('{hostname}', { seq: 1, uuid: 'u' })).toEqual({
      ok: false,
      message: expect.stringMatching(/needs the device's host name.*use \{seq\} or \{uuid\}/),
    });
    expect(expandEndpointTemplate('{hostname}', { hostname: 'box_1', seq: 1, uuid: 'u' })).toEqual({
      ok: false,
      message: expect.stringMatching(/"box_1".*contains "_"/),
    });
    expect(expandEndpointTemplate('x{hostname}', { hostname: 'a'.repeat(64), seq: 1, uuid: 'u' })).toEqual({
      ok: false,
      message: expect.stringMatching(/65 characters long; at most 64/),
    });
  });

  it('endpointNameProblem: empty, padded, too long, bad characters; fine otherwise', () => {
    expect(endpointNameProblem('')).toMatch(/empty/);
    expect(endpointNameProblem(' a')).toMatch(/space/);
    expect(endpointNameProblem('a'.repeat(65))).toMatch(/65 characters/);
    expect(endpointNameProblem('ä')).toMatch(/contains "ä"/);
    expect(endpointNameProblem('a'.repeat(64))).toBeUndefined();
  });
});
