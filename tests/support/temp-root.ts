import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * The global setup of vitest and of Playwright: every temporary folder the tests make goes under one folder of the
 * run's, removed when the run ends (a unit run used to leave about 250 in /tmp). The workers inherit TMPDIR.
 * Readable like /tmp itself: the test PostgreSQL server runs as its own user and must reach its cluster folder.
 */
export default function setup(): () => void {
  const root = mkdtempSync(join(tmpdir(), 'pws-tests-'));
  chmodSync(root, 0o755);
  process.env.TMPDIR = root;
  return () => rmSync(root, { recursive: true, force: true });
}
