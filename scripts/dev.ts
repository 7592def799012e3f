/**
 * The local mall: the local CloudBase (database on disk, functions, timers, pay sandbox) serving the H5 build.
 * Seeds the demo shop when the database has no products. Listens on 127.0.0.1 only.
 *   npx tsx scripts/dev.ts [--port 8787] [--data .data/localcloud] [--reset]
 */
import path from 'node:path';
import fs from 'node:fs';
import { startLocalCloud } from '../localcloud';
import { seedLocal } from './seed/seed-local';

function arg(name: string, fallback?: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : fallback;
}

async function main(): Promise<void> {
  const root = path.resolve(__dirname, '..');
  const dataDir = path.resolve(root, arg('data', '.data/localcloud')!);
  if (process.argv.includes('--reset')) fs.rmSync(dataDir, { recursive: true, force: true });
  fs.mkdirSync(dataDir, { recursive: true });
  const lc = await startLocalCloud({
    dataDir,
    port: Number(arg('port', process.env.PORT ?? '8787')),
    staticDir: path.join(root, 'client', 'dist', 'h5'),
    timers: true,
  });
  if (lc.db.find('products', {}, { limit: 1 }).length === 0) {
    console.log('[seed] empty database: seeding the demo shop…');
    await seedLocal(lc, lc.clock.now());
  }
  console.log(`\n  分销商城 (local) is running at ${lc.url}/\n  data: ${path.relative(root, dataDir)}  ·  Ctrl-C to stop\n`);
  const stop = async (): Promise<void> => {
    await lc.stop();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
