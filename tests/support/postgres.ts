import { execFile } from 'node:child_process';
import { chmod, chown, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

/**
 * A throwaway PostgreSQL cluster for tests and benchmarks: Debian's own server binaries, `initdb` in a fresh
 * temporary folder and `pg_ctl` on a Unix socket in that folder plus 127.0.0.1 on a free port. Only the
 * cluster made here is ever started, stopped or removed; a server already on the machine is never touched.
 * The server refuses to run as root, so as root it runs as the `postgres` user (`runuser`).
 */
const run = promisify(execFile);

export interface ThrowawayCluster {
  readonly socketDir: string;
  readonly port: number;
  /** A URL for a database of this cluster over the Unix socket (no TLS, no password). */
  socketUrl(database: string, user?: string): string;
  /** A URL over TCP on 127.0.0.1 (TLS when the cluster was started with it). */
  tcpUrl(database: string, user?: string, query?: string): string;
  /** The CA that signed the server certificate (TLS clusters only). */
  readonly caFile?: string;
  createDatabase(name: string): Promise<string>;
  /** Runs SQL as the superuser in a database, through psql on the socket. */
  psql(database: string, sql: string): Promise<string>;
  stop(): Promise<void>;
  start(): Promise<void>;
  destroy(): Promise<void>;
}

async function binDir(): Promise<string> {
  const root = '/usr/lib/postgresql';
  const versions = await readdir(root).catch(() => [] as string[]);
  const newest = versions.filter((v) => /^\d+$/.test(v)).sort((a, b) => Number(b) - Number(a))[0];
  if (!newest) throw new Error(`PostgreSQL's server is not installed (${root} is empty): apt-get install postgresql (.ci/run does)`);
  return join(root, newest, 'bin');
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

/** A CA and a server certificate for 127.0.0.1, made with openssl. */
async function makeServerCertificate(dir: string): Promise<{ ca: string; cert: string; key: string }> {
  const ca = join(dir, 'ca.pem');
  const caKey = join(dir, 'ca.key');
  const cert = join(dir, 'server.crt');
  const key = join(dir, 'server.key');
  const csr = join(dir, 'server.csr');
  const ext = join(dir, 'server.ext');
  await run('openssl', [
    'req',
    '-x509',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:P-256',
    '-nodes',
    '-keyout',
    caKey,
    '-out',
    ca,
    '-days',
    '2',
    '-subj',
    '/CN=pws test CA',
  ]);
  await run('openssl', ['req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', key, '-out', csr, '-subj', '/CN=127.0.0.1']);
  await writeFile(ext, 'subjectAltName=IP:127.0.0.1\n');
  await run('openssl', ['x509', '-req', '-in', csr, '-CA', ca, '-CAkey', caKey, '-CAcreateserial', '-out', cert, '-days', '2', '-extfile', ext]);
  return { ca, cert, key };
}

export async function startThrowawayCluster(options: { tls?: boolean } = {}): Promise<ThrowawayCluster> {
  const bin = await binDir();
  const asRoot = userInfo().uid === 0;
  const owner = asRoot ? Number((await run('id', ['-u', 'postgres'])).stdout.trim()) : userInfo().uid;
  const ownerGid = asRoot ? Number((await run('id', ['-g', 'postgres'])).stdout.trim()) : userInfo().gid;
  const pgRun = (cmd: string, args: string[]) => (asRoot ? run('runuser', ['-u', 'postgres', '--', join(bin, cmd), ...args]) : run(join(bin, cmd), args));

  const root = await mkdtemp(join(tmpdir(), 'pws-pg-'));
  await chmod(root, 0o755);
  await chown(root, owner, ownerGid);
  const dataDir = join(root, 'data');
  const socketDir = root;
  const log = join(root, 'server.log');
  await pgRun('initdb', ['-D', dataDir, '-A', 'trust', '-U', 'postgres', '--no-sync', '-E', 'UTF8']);
  const port = await freePort();
  const settings = [
    '-p',
    String(port),
    '-k',
    socketDir,
    '-c',
    'listen_addresses=127.0.0.1',
    '-c',
    'fsync=off',
    '-c',
    'synchronous_commit=off',
    '-c',
    'full_page_writes=off',
  ];
  let caFile: string | undefined;
  if (options.tls) {
    const certs = await makeServerCertificate(root);
    for (const f of [certs.cert, certs.key]) await chown(f, owner, ownerGid);
    await chmod(certs.key, 0o600);
    caFile = certs.ca;
    settings.push('-c', 'ssl=on', '-c', `ssl_cert_file=${certs.cert}`, '-c', `ssl_key_file=${certs.key}`);
    // Over TCP only TLS, and the `secret` role must give its password; the socket stays trusted for set-up.
    await writeFile(
      join(dataDir, 'pg_hba.conf'),
      [
        'local all all trust',
        'hostssl all secret 127.0.0.1/32 scram-sha-256',
        'hostssl all all 127.0.0.1/32 trust',
        'hostnossl all all 127.0.0.1/32 reject',
        '',
      ].join('\n'),
    );
  }
  const start = async () => {
    await pgRun('pg_ctl', ['-D', dataDir, '-o', settings.map((s) => (s.includes(' ') ? `'${s}'` : s)).join(' '), '-l', log, '-w', '-t', '60', 'start']);
  };
  const stop = async () => {
    await pgRun('pg_ctl', ['-D', dataDir, '-m', 'fast', '-w', 'stop']);
  };
  await start();
  const psql = async (database: string, sql: string) =>
    (await pgRun('psql', ['-h', socketDir, '-p', String(port), '-U', 'postgres', '-d', database, '-v', 'ON_ERROR_STOP=1', '-qAt', '-c', sql])).stdout;
  const socketUrl = (database: string, user = 'postgres') => `postgres://${user}@/${database}?host=${encodeURIComponent(socketDir)}&port=${port}`;
  let running = true;
  return {
    socketDir,
    port,
    caFile,
    socketUrl,
    tcpUrl: (database, user = 'postgres', query = '') => `postgres://${user}@127.0.0.1:${port}/${database}${query ? `?${query}` : ''}`,
    async createDatabase(name) {
      await psql('postgres', `CREATE DATABASE "${name}"`);
      return socketUrl(name);
    },
    psql,
    async stop() {
      await stop();
      running = false;
    },
    async start() {
      await start();
      running = true;
    },
    async destroy() {
      if (running) await stop().catch(() => undefined);
      running = false;
      await rm(root, { recursive: true, force: true });
    },
  };
}
