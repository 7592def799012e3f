// `npm start`: install if needed, build the functions and the H5 client, then run the local cloud
// with a durable data dir (.data/localcloud), seeding the demo shop on first start.
import { ensureInstalled, ensureH5Build, buildFunctions, run } from './lib/ensure-install.mjs';

ensureInstalled();
buildFunctions();
ensureH5Build();
run('npx', ['tsx', 'scripts/dev.ts', ...process.argv.slice(2)]);
