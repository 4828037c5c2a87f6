import { describe, expect, it } from 'vitest';
import { upArgsOfShape } from '../../../bench/lab-harness';

describe('upArgsOfShape: the lab a bench found is the lab it puts back', () => {
  it('turns the shape line lab.sh writes back into the arguments that made it', () => {
    expect(upArgsOfShape('n=10 non-mbl=[3 4] ipv6-only=[9] key-only=[] ws-avahi=yes')).toEqual([
      'up',
      '10',
      '--non-mbl',
      '3,4',
      '--ipv6-only',
      '9',
      '--ws-avahi',
    ]);
  });

  it('answers only the size for a plain lab, and null for a line that is no shape', () => {
    expect(upArgsOfShape('n=1 non-mbl=[] ipv6-only=[] key-only=[] ws-avahi=no')).toEqual(['up', '1']);
    expect(upArgsOfShape('')).toBeNull();
  });
});
