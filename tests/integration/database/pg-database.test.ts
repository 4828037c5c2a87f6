import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPgDatabase } from '../../../electron/services/database/pg-database';
import type { Logger } from '../../../electron/services/log';
import { startThrowawayCluster, type ThrowawayCluster } from '../../support/postgres';

let cluster: ThrowawayCluster;
beforeAll(async () => {
  cluster = await startThrowawayCluster();
}, 120_000);
afterAll(() => cluster?.destroy());

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('the PostgreSQL connection pool', () => {
  it('a connection the server drops during a transaction fails that transaction, is logged, and the process goes on', async () => {
    const url = await cluster.createDatabase('dropped_mid_transaction');
    const logged: string[] = [];
    const log: Logger = { info: (m) => logged.push(m), warn: (m) => logged.push(m), error: (m) => logged.push(m) };
    const opened = openPgDatabase({ url, applicationName: 'pws-test' }, log);
    if (!opened.ok) throw new Error(opened.message);
    const db = opened.value;
    try {
      const dropped = db.transaction(async (tx) => {
        await tx.query('SELECT pg_terminate_backend(pg_backend_pid())').catch(() => undefined);
        await pause(300); // the socket's end arrives while the connection is still checked out
        return tx.query('SELECT 1');
      });
      await expect(dropped).rejects.toThrow();
      expect(logged.join('\n')).toMatch(/dropped a connection in use/);
      // the pool hands out a fresh connection afterwards
      expect((await db.query<{ one: number }>('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
    } finally {
      await db.close();
    }
  });
});
