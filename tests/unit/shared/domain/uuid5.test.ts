import { createHash, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { sha1 } from '../../../../shared/domain/sha1';
import { classIdFromModel, isUuid, NAMESPACE_DNS, normalizeUuid, uuid5, uuidToBytes, vendorIdFromDomain } from '../../../../shared/domain/uuid5';

describe('sha1', () => {
  it('matches node:crypto for lengths around the block boundaries', () => {
    for (const len of [0, 1, 3, 55, 56, 57, 63, 64, 65, 119, 120, 128, 1000]) {
      const data = randomBytes(len);
      expect(Buffer.from(sha1(data)).toString('hex'), `length ${len}`).toBe(createHash('sha1').update(data).digest('hex'));
    }
  });
});

describe('uuid5', () => {
  it('gives the known manifest-tool IDs', () => {
    const vendor = vendorIdFromDomain('arm.com');
    expect(vendor).toBe('fa6b4a53-d5ad-5fdf-be9d-e663e4d41ffe');
    expect(classIdFromModel(vendor, 'dev-device')).toBe('4d131344-feab-5a2e-84a2-0dccdd905f35');
  });

  it("matches Python's uuid.uuid5 documentation example and encodes names as UTF-8", () => {
    expect(uuid5(NAMESPACE_DNS, 'python.org')).toBe('886313e1-3b8a-5372-9b90-0c9aee199e5d');
    // uuid.uuid5(uuid.NAMESPACE_DNS, 'bücher.de') in Python 3
    expect(uuid5(NAMESPACE_DNS, 'bücher.de')).toBe(uuid5(NAMESPACE_DNS, 'b\u00fccher.de'));
    expect(uuid5(NAMESPACE_DNS, 'bücher.de')).not.toBe(uuid5(NAMESPACE_DNS, 'bucher.de'));
  });

  it('parses and normalises UUIDs', () => {
    expect(isUuid('FA6B4A53D5AD5FDFBE9DE663E4D41FFE')).toBe(true);
    expect(isUuid('fa6b4a53-d5ad-5fdf-be9d-e663e4d41ff')).toBe(false);
    expect(normalizeUuid('FA6B4A53D5AD5FDFBE9DE663E4D41FFE')).toBe('fa6b4a53-d5ad-5fdf-be9d-e663e4d41ffe');
    expect(Array.from(uuidToBytes('4d131344-feab-5a2e-84a2-0dccdd905f35')).slice(8, 11)).toEqual([0x84, 0xa2, 0x0d]);
  });
});
