import { z } from 'zod';
import type { Door } from './app';
import { MAX } from './bounds';
import { channel } from './channel';
import type { DatabaseErrorCode } from './database';
import type { ProvisioningErrorCode, ProvisioningStage, StageTiming } from './provisioning';

/**
 * The audit trail: one entry per device per provisioning attempt, appended to `<dataDir>/audit.jsonl`, or to
 * the shared database when one is configured. Holds names, addresses and fingerprints only; never a key or a
 * certificate body.
 */
export interface AuditEntry {
  /** Unique per entry (a UUID): a database stores it at most once, however often it is sent. Older lines have none. */
  id?: string;
  time: string;
  /** The workstation that wrote it (its station name, by default its host name). Older lines have none. */
  station?: string;
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
    /** The station name, whole (case-insensitive). */
    station: z.string().max(64).optional(),
    /** Entries at or after this time (an ISO date or date-time). */
    since: z.iso.datetime({ offset: true, local: true }).max(40).or(z.iso.date().max(10)).optional(),
    limit: z.number().int().min(1).max(100_000).optional(),
  })
  .strict();
export type HistoryFilter = z.infer<typeof HistoryFilterSchema>;

/** Where history is kept, and how many entries wait in the local journal for an unreachable database. */
export interface HistorySyncStatus {
  store: 'local' | 'database';
  /** The audit file, or the database URL without its password. */
  location: string;
  waitingToSync: number;
}

export const historyChannels = {
  /** Audit entries, newest first, filtered by device and/or result. */
  list: channel<AuditEntry[], HistoryErrorCode>()('history:list', HistoryFilterSchema),
  /** The (filtered) audit trail as CSV or JSON text for the UI to download. */
  export: channel<{ format: 'csv' | 'json'; text: string; fileName: string }, HistoryErrorCode>()(
    'history:export',
    HistoryFilterSchema.extend({ format: z.enum(['csv', 'json']) }).strict(),
  ),
  /** Which store is in use; entries waiting to sync are sent first when it answers. */
  syncStatus: channel<HistorySyncStatus, HistoryErrorCode>()('history:sync-status', z.object({}).strict()),
} as const;

/** The local file's, and the shared database's when history lives there. */
export type HistoryErrorCode = 'audit-unreadable' | 'audit-unwritable' | DatabaseErrorCode;
