/**
 * manifest-tool's vendor-domain rule (compat-formats §1.1): at least two dot-separated labels, none empty.
 * Deliberately no stricter than the old tool, so every domain it accepted still gives the same vendor ID.
 */
export function isValidVendorDomain(domain: string): boolean {
  const labels = domain.split('.');
  return labels.length >= 2 && labels.every((l) => l.length > 0);
}

/** The old tool's own wording. */
export const invalidDomainMessage = (domain: string): string => `"${domain}" is not a valid domain name.`;
