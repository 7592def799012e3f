/**
 * Shared fast-check settings for the unit suite: ≥ 10,000 runs per property and a logged seed, so any
 * counterexample can be replayed with FC_SEED=<seed>.
 */
import fc from 'fast-check';

export const FC_SEED = Number(process.env.FC_SEED ?? Date.now());
export const NUM_RUNS = Number(process.env.FC_RUNS ?? 10000);

let logged = false;
/** Parameters for fc.assert; logs the seed once per test file. */
export function fcParams(): { seed: number; numRuns: number } {
  if (!logged) {
    logged = true;
    // eslint-disable-next-line no-console
    console.log(`fast-check seed ${FC_SEED} (replay with FC_SEED=${FC_SEED}), numRuns ${NUM_RUNS}`);
  }
  return { seed: FC_SEED, numRuns: NUM_RUNS };
}

export { fc };
