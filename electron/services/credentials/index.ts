export { createCredentialsService, type CredentialsService, type CredentialsDeps } from './credentials-service';
export { registerCredentialsRoutes } from './credentials-routes';
export { updateCertificateFiles, developerCertificateFiles, developerCertificateFilesFromSymbols, UPDATE_SYMBOLS, type BinFile } from './import-c-file';
