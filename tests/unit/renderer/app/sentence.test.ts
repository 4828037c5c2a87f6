import { describe, it, expect } from 'vitest';
import { sentence } from '../../../../renderer/app/sentence';

describe('sentence', () => {
  it('starts a message with a capital, but never changes a file name, path or symbol it starts with', () => {
    expect(sentence('vendor ID "x" is not a valid UUID')).toBe('Vendor ID "x" is not a valid UUID');
    expect(sentence('cannot read the private key /k.pem: check its path')).toBe('Cannot read the private key /k.pem: check its path');
    expect(sentence('days: enter a number')).toBe('Days: enter a number');
    expect(sentence('mbed_cloud_dev_credentials.c has no MBED_CLOUD_DEV_ACCOUNT_ID')).toBe('mbed_cloud_dev_credentials.c has no MBED_CLOUD_DEV_ACCOUNT_ID');
    expect(sentence('update_default_resources.c: arm_uc_class_id has 3 bytes')).toBe('update_default_resources.c: arm_uc_class_id has 3 bytes');
    expect(sentence('/tmp/k.pem is encrypted')).toBe('/tmp/k.pem is encrypted');
    expect(sentence('key.pem is not the private key of cert.der')).toBe('key.pem is not the private key of cert.der');
    expect(sentence('')).toBeUndefined();
    expect(sentence(null)).toBeUndefined();
  });
});
