import type { ApiRegion } from './credentials-store';

/** `US (api.us-east-1…)` for a preset, `On-premises: URL` for anything else. */
export function regionLabel(regions: readonly ApiRegion[], apiUrl: string): string {
  const preset = regions.find((r) => r.url === apiUrl.replace(/\/+$/, ''));
  return preset ? `${preset.label} (${preset.url})` : `On-premises: ${apiUrl}`;
}
