import { z } from 'zod';

/**
 * One line of the local identity registry file, checked before it is folded into the records: a line that parses
 * as JSON but is not an event (a hand edit, a stray write) must neither poison the counter nor show as a record.
 */
const text = z.string().max(1024);
const DeviceSchema = z.object({
  id: text,
  hostname: text.optional(),
  addresses: z.array(text).max(64),
  hostKeyFingerprint: text.optional(),
});
const CertificateSchema = z.object({ fingerprint: text, enrollmentIdentity: text, serial: text, notAfter: text });

export const RegistryEventSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('reserved'),
    id: text,
    seq: z.number().int().positive().max(Number.MAX_SAFE_INTEGER),
    endpointName: text,
    ca: z.object({ name: text, fingerprint: text }),
    device: DeviceSchema,
    runId: text,
    operator: text,
    station: text,
    reissueOf: text.optional(),
    time: text,
  }),
  z.object({ type: z.literal('issued'), id: text, certificate: CertificateSchema, time: text }),
  z.object({
    type: z.literal('settled'),
    id: text,
    confirmed: z.boolean(),
    reason: z.string().max(4096).optional(),
    hostKeyFingerprint: text.optional(),
    time: text,
  }),
]);

/** One line of the registry file: what happened to one record. Records are the fold of their events. */
export type RegistryEvent = z.infer<typeof RegistryEventSchema>;
