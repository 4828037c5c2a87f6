import type { IdentityDevice, IdentityRecord } from '../../shared/contract/identities';
import type { Result } from '../../shared/contract/result';
import type { IdentityStore, ReserveRequest } from '../../electron/services/identities/identity-store';

/** Board `n` of the lab as the registry sees it. */
export const identityDevice = (n: number, extra: Partial<IdentityDevice> = {}): IdentityDevice => ({
  id: `mbed-linux-os-${n}`,
  hostname: `mbed-linux-os-${n}`,
  addresses: [`169.254.20.${n}`],
  ...extra,
});

/** The certificate signed for board `n`. */
export const identityCert = (n: number) => ({
  fingerprint: n.toString(16).padStart(64, '0'),
  enrollmentIdentity: `A-${'00:'.repeat(31)}${n.toString(16).padStart(2, '0')}`,
  serial: `0${n}`,
  notAfter: '2046-01-01T00:00:00.000Z',
});

export function value<T>(r: Result<T>): T {
  if (!r.ok) throw new Error(`${r.code}: ${r.message}`);
  return r.value;
}

/**
 * Reserve requests and whole provisionings for a registry test: the same for every store, with the test's
 * endpoint template and times.
 */
export function registryFixtures(o: { template: string; reservedAt: (n: number) => Date; issuedAt: Date; settledAt: Date }) {
  const request = (n: number, patch: Partial<ReserveRequest> = {}): ReserveRequest => ({
    template: o.template,
    values: { hostname: `mbed-linux-os-${n}`, uuid: `uuid-${n}` },
    device: identityDevice(n),
    ca: { name: 'lab-ca', fingerprint: 'ca'.repeat(32) },
    runId: 'run-1',
    operator: 'tester',
    station: 'bench-1',
    reissue: 'none',
    time: o.reservedAt(n),
    ...patch,
  });

  /** Reserve, issue and settle one identity, as a run does. */
  async function provisionOne(store: IdentityStore, n: number, patch: Partial<ReserveRequest> = {}, confirmed = true): Promise<IdentityRecord> {
    const r = value(await store.reserve(request(n, patch)));
    value(await store.recordIssued(r.id, identityCert(n), o.issuedAt));
    return value(
      await store.settle(r.id, {
        confirmed,
        ...(confirmed ? {} : { reason: 'status check failed' }),
        hostKeyFingerprint: `SHA256:host${n}`,
        time: o.settledAt,
      }),
    );
  }

  return { request, provisionOne };
}
