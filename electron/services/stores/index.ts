/**
 * The mbl-cli stores (compat-formats §2): `~/.mbl-stores.json`, the User Store (0700) and the Team Store
 * (0750), each with its `config.json`, and the Team Store's certificate folders `<team>/<name>/<SYMBOL>.bin`.
 *
 * For provisioning (read-only):
 *
 *   const paths = await resolveStorePaths(home);            // Result<{ storesFile, user, team }>
 *   const cert = await readCertificateBins(paths.value.team, 'my-dev-cert');
 *   // Result<{ name, kind: 'developer' | 'update', files: [{ name: 'MBED_CLOUD_DEV_ACCOUNT_ID.bin', data: Buffer }, ...],
 *   //          fingerprint?, notAfter?, legacy, warnings, problem? }>   problem: not provisionable as it is
 *   // failure codes: 'certificate-missing' (no such folder: the message says how to create/import it),
 *   //                'certificate-invalid' (no certificate .bin inside), 'store-unreadable'.
 *
 * `files` are sorted by name and ready to copy flat into /scratch/provisioning-certs. A store written by
 * mbl-cli 2.0 reads too: its ASCII `MBED_CLOUD_DEV_MEMORY_TOTAL_KB.bin` comes back as 4 bytes
 * little-endian, and `legacy: true` with a warning says its strings may have been altered by mbl-cli.
 * `resolveStorePaths` creates `~/.mbl-stores.json` with mbl-cli's defaults on first use.
 */
export { resolveStorePaths, defaultStorePaths, ensureStoreFolder, STORES_FILE, USER_STORE_MODE, TEAM_STORE_MODE } from './store-paths';
export { readCertificateBins, listTeamCertificates, kindOfFiles, LEGACY_WARNING, type CertificateBins, type CertificateKind } from './team-certificates';
export { readStoreConfig, CONFIG_FILE, type StoreConfig } from './store-config';
export { createStoresService, type StoresService } from './stores-service';
