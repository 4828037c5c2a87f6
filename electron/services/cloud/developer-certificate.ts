/**
 * Checks a developer certificate answer from Device Management: the PEM certificate and private key
 * must be the very ones inside `security_file_content` (compat-formats §2.3), and the credentials must be able
 * to bootstrap a board (`credentialsProblem`, which the portal's C file is checked with too). Plain Node (node:crypto).
 */
import { X509Certificate, createPrivateKey, type KeyObject } from 'node:crypto';
import {
  DEV_CREDENTIALS_SYMBOLS,
  parseCSymbols,
  requireSymbols,
  symbolText,
  type CSymbolMap,
  type DeveloperCredentialsInput,
} from '../../../shared/domain/credentials-c-file';

export type CheckedDeveloperCredentials = Pick<
  DeveloperCredentialsInput,
  'endpointName' | 'accountId' | 'serverUri' | 'deviceCertDer' | 'serverRootCaDer' | 'devicePrivateKeyDer'
> & {
  /** Every symbol of the C file, for the team store (`<SYMBOL>.bin`). */
  symbols: CSymbolMap;
};

export type DeveloperCertificateCheckError = {
  ok: false;
  code: 'invalid-response';
  message: string;
  /** Which check failed. */
  reason: 'c-file' | 'pem' | 'certificate-mismatch' | 'key-mismatch' | CredentialsProblem['reason'];
};

/** Why developer credentials could not bootstrap a board, whoever made them (the cloud, or the portal's C file). */
export interface CredentialsProblem {
  reason: 'pem' | 'key-not-for-certificate' | 'endpoint-name' | 'account-mismatch';
  symbol: string;
  /** What is wrong, without what to do: that depends on where the credentials came from. */
  detail: string;
}

const CERTIFICATE = 'MBED_CLOUD_DEV_BOOTSTRAP_DEVICE_CERTIFICATE';
const PRIVATE_KEY = 'MBED_CLOUD_DEV_BOOTSTRAP_DEVICE_PRIVATE_KEY';

/**
 * What would make a board given these credentials fail to bootstrap: a certificate or key that does not parse, a
 * key that is not the certificate's, a certificate whose CN is not the endpoint name, or a bootstrap URI for
 * another account. The symbols must be there (`requireSymbols`).
 */
export function credentialsProblem(sym: CSymbolMap): CredentialsProblem | undefined {
  let cert: X509Certificate;
  try {
    cert = new X509Certificate(sym.get(CERTIFICATE)!.value);
  } catch {
    return { reason: 'pem', symbol: CERTIFICATE, detail: `${CERTIFICATE} is not a DER X.509 certificate` };
  }
  let key: KeyObject;
  try {
    key = createPrivateKey({ key: Buffer.from(sym.get(PRIVATE_KEY)!.value), format: 'der', type: 'pkcs8' });
  } catch {
    return { reason: 'pem', symbol: PRIVATE_KEY, detail: `${PRIVATE_KEY} is not a DER (PKCS#8) private key` };
  }
  if (!cert.checkPrivateKey(key)) return { reason: 'key-not-for-certificate', symbol: PRIVATE_KEY, detail: `${PRIVATE_KEY} does not belong to ${CERTIFICATE}` };
  const endpointName = symbolText(sym.get('MBED_CLOUD_DEV_BOOTSTRAP_ENDPOINT_NAME')!);
  const cn = /(?:^|\n)CN=([^\n]*)/.exec(cert.subject)?.[1];
  if (cn !== endpointName)
    return {
      reason: 'endpoint-name',
      symbol: CERTIFICATE,
      detail: `the certificate's CN (${cn ?? 'none'}) is not MBED_CLOUD_DEV_BOOTSTRAP_ENDPOINT_NAME (${endpointName})`,
    };
  const account = symbolText(sym.get('MBED_CLOUD_DEV_ACCOUNT_ID')!);
  const uriAccount = /[?&]aid=([^&]*)/.exec(symbolText(sym.get('MBED_CLOUD_DEV_BOOTSTRAP_SERVER_URI')!))?.[1];
  if (uriAccount !== undefined && uriAccount !== account)
    return {
      reason: 'account-mismatch',
      symbol: 'MBED_CLOUD_DEV_BOOTSTRAP_SERVER_URI',
      detail: `MBED_CLOUD_DEV_BOOTSTRAP_SERVER_URI is for account ${uriAccount}, but MBED_CLOUD_DEV_ACCOUNT_ID is ${account}`,
    };
  return undefined;
}

/** Decodes the first PEM block with the given label (or any label when omitted). */
export function pemToDer(pem: string, label?: string): Uint8Array | undefined {
  const l = label ? label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&') : '[A-Z0-9 ]+';
  const m = new RegExp(`-----BEGIN (${l})-----([\\s\\S]*?)-----END \\1-----`).exec(pem);
  if (!m) return undefined;
  const b64 = m[2]!.replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(b64)) return undefined;
  return new Uint8Array(Buffer.from(b64, 'base64'));
}

const same = (a: Uint8Array, b: Uint8Array) => a.length === b.length && Buffer.from(a).equals(Buffer.from(b));

export function checkDeveloperCertificate(resp: {
  developer_certificate: string;
  developer_private_key?: string | undefined;
  security_file_content: string;
}): { ok: true; value: CheckedDeveloperCredentials } | DeveloperCertificateCheckError {
  const bad = (reason: DeveloperCertificateCheckError['reason'], message: string): DeveloperCertificateCheckError => ({
    ok: false,
    code: 'invalid-response',
    reason,
    message,
  });

  const parsed = parseCSymbols(resp.security_file_content, { file: 'security_file_content' });
  if (!parsed.ok) return bad('c-file', `the developer certificate's C file could not be read (${parsed.message}): create the certificate again`);
  const req = requireSymbols(parsed.value, DEV_CREDENTIALS_SYMBOLS, { file: 'security_file_content' });
  if (!req.ok) return bad('c-file', `${req.message}: create the certificate again`);
  const sym = parsed.value;
  const bytes = (n: string) => sym.get(n)!.value;

  const certDer = pemToDer(resp.developer_certificate, 'CERTIFICATE');
  if (!certDer) return bad('pem', 'the developer certificate PEM could not be read: create the certificate again');
  if (!same(certDer, bytes('MBED_CLOUD_DEV_BOOTSTRAP_DEVICE_CERTIFICATE')))
    return bad('certificate-mismatch', 'the developer certificate PEM differs from the one in the C file: do not use it; create the certificate again');

  if (resp.developer_private_key !== undefined) {
    const keyDer = pemToDer(resp.developer_private_key, 'PRIVATE KEY');
    if (!keyDer) return bad('pem', 'the developer private key PEM could not be read (expected PKCS#8 "PRIVATE KEY"): create the certificate again');
    if (!same(keyDer, bytes('MBED_CLOUD_DEV_BOOTSTRAP_DEVICE_PRIVATE_KEY')))
      return bad('key-mismatch', 'the developer private key PEM differs from the one in the C file: do not use it; create the certificate again');
  }

  const problem = credentialsProblem(sym);
  if (problem) return bad(problem.reason, `${problem.detail}: create the certificate again`);
  const endpointName = symbolText(sym.get('MBED_CLOUD_DEV_BOOTSTRAP_ENDPOINT_NAME')!);

  return {
    ok: true,
    value: {
      endpointName,
      accountId: symbolText(sym.get('MBED_CLOUD_DEV_ACCOUNT_ID')!),
      serverUri: symbolText(sym.get('MBED_CLOUD_DEV_BOOTSTRAP_SERVER_URI')!),
      deviceCertDer: certDer,
      serverRootCaDer: bytes('MBED_CLOUD_DEV_BOOTSTRAP_SERVER_ROOT_CA_CERTIFICATE'),
      devicePrivateKeyDer: bytes('MBED_CLOUD_DEV_BOOTSTRAP_DEVICE_PRIVATE_KEY'),
      symbols: sym,
    },
  };
}
