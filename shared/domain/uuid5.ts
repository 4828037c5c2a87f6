import { sha1 } from './sha1';

/** RFC 4122 Appendix C: the namespace for domain names. */
export const NAMESPACE_DNS = '6ba7b810-9dad-11d1-80b4-00c04fd430c8';

const UUID_PATTERN = /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i;

/** Accepts the canonical form, with or without hyphens, any case (as Python's uuid.UUID does, minus braces/urn). */
export function isUuid(text: string): boolean {
  return UUID_PATTERN.test(text.trim());
}

export function uuidToBytes(uuid: string): Uint8Array {
  const hex = uuid.trim().replace(/-/g, '').toLowerCase();
  if (!/^[0-9a-f]{32}$/.test(hex)) throw new Error(`"${uuid}" is not a UUID`);
  const bytes = new Uint8Array(16);
  for (let i = 0; i < 16; i++) bytes[i] = parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return bytes;
}

export function bytesToUuid(bytes: Uint8Array): string {
  const hex = Array.from(bytes.subarray(0, 16), (b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** The canonical lower-case hyphenated form. */
export function normalizeUuid(uuid: string): string {
  return bytesToUuid(uuidToBytes(uuid));
}

/** Name-based UUID, version 5 (SHA-1), as Python's `uuid.uuid5(namespace, name)`; the name is UTF-8 encoded. */
export function uuid5(namespace: string, name: string): string {
  const ns = uuidToBytes(namespace);
  const nameBytes = new TextEncoder().encode(name);
  const input = new Uint8Array(ns.length + nameBytes.length);
  input.set(ns);
  input.set(nameBytes, ns.length);
  const hash = sha1(input).subarray(0, 16);
  hash[6] = (hash[6]! & 0x0f) | 0x50;
  hash[8] = (hash[8]! & 0x3f) | 0x80;
  return bytesToUuid(hash);
}

/** manifest-tool's IDs: vendor = uuid5(DNS, domain); class = uuid5(vendor, model). */
export const vendorIdFromDomain = (domain: string): string => uuid5(NAMESPACE_DNS, domain);
export const classIdFromModel = (vendorId: string, model: string): string => uuid5(vendorId, model);
