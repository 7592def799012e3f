/**
 * core/distribution stays pure like the rest of the core: imports only core modules, no clock, no randomness.
 */
import { readdirSync, readFileSync } from 'fs';
import { join } from 'path';

const DIR = join(__dirname, '../../core/distribution');
const files = readdirSync(DIR).filter((f) => f.endsWith('.ts'));
const code = (f: string) =>
  readFileSync(join(DIR, f), 'utf8')
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/(^|[^:])\/\/.*$/gm, '$1');

describe('core/distribution purity', () => {
  it('has the modules', () => {
    expect(files).toEqual(
      expect.arrayContaining(['settings.ts', 'codes.ts', 'binding.ts', 'commission.ts', 'ledger.ts', 'settlement.ts', 'withdrawal.ts', 'levels.ts', 'compliance.ts', 'index.ts']),
    );
  });
  it.each(files)('%s imports only core modules', (f) => {
    const specs = [...code(f).matchAll(/(?:from\s+|require\(\s*|import\(\s*)['"]([^'"]+)['"]/g)].map((m) => m[1]);
    for (const s of specs) expect(/^\.\/[\w-]+$|^\.\.\/(errors|money|time)$/.test(s)).toBe(true);
  });
  it.each(files)('%s reads no clock and no randomness, no BigInt literals', (f) => {
    const c = code(f);
    expect(c).not.toMatch(/Date\.now\s*\(|new Date\(|Math\.random\s*\(|performance\.now|process\.|console\./);
    expect(c.replace(/'[^']*'|`[^`]*`/g, '')).not.toMatch(/\b\d+n\b/);
  });
  it('is exported from the core index', () => {
    expect(readFileSync(join(__dirname, '../../core/index.ts'), 'utf8')).toMatch(/export \* from '\.\/distribution'/);
  });
});
