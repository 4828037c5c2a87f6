/**
 * One contender for the multi-process lock test (file-lock.test.ts), run as its own process:
 *   node --import tsx file-lock-contender.ts <lock> <journal>
 * On each message from the parent it takes the lock and records `enter`/`leave` with its pid in the shared journal
 * inside the critical section, then answers. Asked to `die-holding`, it takes the lock and exits while holding it,
 * leaving a stale lock of whatever shape the lock code makes.
 */
import { appendFile } from 'node:fs/promises';
import { withFileLock } from '../../../../../electron/services/identities/file-lock';

const [lockPath, journal] = process.argv.slice(2) as [string, string];
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

process.on('message', (order: 'contend' | 'die-holding') => {
  void withFileLock(lockPath, async () => {
    if (order === 'die-holding') process.exit(0);
    await appendFile(journal, `enter ${process.pid}\n`);
    await pause(3);
    await appendFile(journal, `leave ${process.pid}\n`);
  }).then(
    () => process.send!('done'),
    (err: Error) => process.send!(`failed: ${err.message}`),
  );
});
process.send!('ready');
