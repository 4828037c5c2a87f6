import type { IdentityErrorCode } from '../../../shared/contract/identities';
import type { Failure } from '../../../shared/contract/result';
import type { IdentityStore } from '../identities/identity-store';

/**
 * The identity registry the services hold: each call goes to the store in use at that moment (the local file,
 * or the shared database once one is configured), so changing the setting needs no restart.
 */
export function createSelectedIdentityStore(current: () => Promise<IdentityStore>, initialLocation: string): IdentityStore {
  let last: IdentityStore | undefined;
  const use = async () => (last = await current());
  return {
    get location() {
      return last?.location ?? initialLocation;
    },
    reserve: async (request) => (await use()).reserve(request),
    recordIssued: async (id, certificate, time) => (await use()).recordIssued(id, certificate, time),
    settle: async (id, outcome) => (await use()).settle(id, outcome),
    list: async (filter) => (await use()).list(filter),
    liveIdentityOf: async (device) => (await use()).liveIdentityOf(device),
    close: async () => last?.close(),
  };
}

/** The registry when the configured database can't even be opened (a malformed URL): every call says why. */
export function unavailableIdentityStore(location: string, failure: Failure): IdentityStore {
  const refuse = async () => ({ ...failure, code: 'registry-unwritable' as IdentityErrorCode });
  return { location, reserve: refuse, recordIssued: refuse, settle: refuse, list: refuse, liveIdentityOf: refuse, close: async () => undefined };
}
