import { z } from 'zod';
import type { Door } from './app';
import { MAX } from './bounds';
import { channel } from './channel';
import type { ProvisioningErrorCode, ProvisioningStage, StageTiming } from './provisioning';

/**
 * The audit trail: one entry per device per provisioning attempt, appended to `<dataDir>/audit.jsonl`.
 * Holds names, addresses and fingerprints only; never a key or a certificate body.
 */
export interface AuditEntry {
  time: string;
  runId: string;
  operator: string;
  door: Door;
  device: { name: string; hostname?: string; addresses: string[] };
  hostKeyFingerprint?: string;
  /** `new host key pinned` when this attempt trusted the device's key on first use. */
  hostKeyNote?: string;
  /** The shared developer certificate; with `identity`, the one whose account settings the identity uses. */
  devCert: { name: string; fingerprint?: string };
  /** The device's own identity (own-identity runs): never its key. */
  identity?: { endpointName: string; enrollmentIdentity: string; ca: { name: string; fingerprint?: string } };
  updateCert: { name: string; fingerprint?: string };
  stages: StageTiming[];
  result: 'passed' | 'failed' | 'cancelled';
  stage: ProvisioningStage;
  error?: { code: ProvisioningErrorCode; message: string };
  durationMs: number;
}

export const HistoryFilterSchema = z
  .object({
    /** Matches the device name, hostname or any address (substring, case-insensitive). */
    device: z.string().max(MAX.address).optional(),
    result: z.enum(['passed', 'failed', 'cancelled']).optional(),
    runId: z.string().max(MAX.name).optional(),
    limit: z.number().int().min(1).max(100_000).optional(),
  })
  .strict();
export type HistoryFilter = z.infer<typeof HistoryFilterSchema>;

export const historyChannels = {
  /** Audit entries, newest first, filtered by device and/or result. */
  list: channel<AuditEntry[], HistoryErrorCode>()('history:list', HistoryFilterSchema),
  /** The (filtered) audit trail as CSV or JSON text for the UI to download. */
  export: channel<{ format: 'csv' | 'json'; text: string; fileName: string }, HistoryErrorCode>()(
    'history:export',
    HistoryFilterSchema.extend({ format: z.enum(['csv', 'json']) }).strict(),
  ),
} as const;

export type HistoryErrorCode = 'audit-unreadable' | 'audit-unwritable';
