/**
 * Child process for the crash test: opens a file-backed Database, serves it on /admin and prints
 * `READY <url>` on stdout. The parent kills it with SIGKILL right after a write returns.
 */
import { Database } from '../../../localcloud/db';
import { startDbServer } from './db-server';

async function main(): Promise<void> {
  const file = process.argv[2];
  const db = new Database({ file, now: () => Date.now(), collections: ['orders'] });
  const srv = await startDbServer(db);
  process.stdout.write(`READY ${srv.url}\n`);
}

void main();
