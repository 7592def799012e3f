/**
 * Start the local cloud from the command line:
 *   npx tsx localcloud/cli.ts --data .data/localcloud --port 8787 --static client/dist/h5 --timers [--dev-clock]
 *     [--functions cloudfunctions] [--collections database/collections.json] [--env local-env] [--memory] [--quiet]
 * Prints the address and the SDK env vars; Ctrl-C (SIGINT/SIGTERM) stops cleanly.
 */
import { startLocalCloud, type LocalCloudOptions } from './index';

function parseArgs(argv: string[]): LocalCloudOptions & { quiet?: boolean } {
  const o: LocalCloudOptions & { quiet?: boolean } = { dataDir: '.data/localcloud', port: 8787 };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const val = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`missing value for ${a}`);
      return v;
    };
    switch (a) {
      case '--data':
        o.dataDir = val();
        break;
      case '--memory':
        o.dataDir = null;
        break;
      case '--port':
        o.port = Number(val());
        break;
      case '--static':
        o.staticDir = val();
        break;
      case '--functions':
        o.functionsDir = val();
        break;
      case '--collections':
        o.collectionsFile = val();
        break;
      case '--env':
        o.envId = val();
        break;
      case '--timers':
        o.timers = true;
        break;
      case '--dev-clock':
        o.devClock = true;
        break;
      case '--timeout-ms':
        o.functionTimeoutMs = Number(val());
        break;
      case '--quiet':
        o.quiet = true;
        break;
      case '-h':
      case '--help':
        console.log('usage: tsx localcloud/cli.ts [--data DIR | --memory] [--port N] [--static DIR] [--timers] [--dev-clock] [--functions DIR] [--collections FILE] [--env ID] [--timeout-ms N] [--quiet]');
        process.exit(0);
        break;
      default:
        throw new Error(`unknown option ${a}`);
    }
  }
  return o;
}

async function main() {
  const { quiet, ...opts } = parseArgs(process.argv.slice(2));
  const lc = await startLocalCloud({ ...opts, log: quiet ? () => {} : (m) => console.error(`[localcloud] ${m}`) });
  console.log(`localcloud ${lc.envId} listening on ${lc.url}`);
  console.log(`  data: ${opts.dataDir ?? '(memory)'}  functions: ${lc.functions().join(', ') || '(none)'}  timers: ${opts.timers ? 'on' : 'off'}`);
  if (opts.staticDir) console.log(`  H5: ${lc.url}/`);
  console.log(`  SDK env: ${Object.entries(lc.sdkEnv()).map(([k, v]) => `${k}='${v}'`).join(' ')}`);
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    console.log('\nlocalcloud stopping…');
    await lc.stop();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
