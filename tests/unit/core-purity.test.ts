/**
 * The core stays pure (docs/contracts.md): no SDK or Node imports, nothing outside core/ except zod,
 * no clock or randomness reads — time and ids are parameters.
 */
import { readdirSync, readFileSync } from 'fs';
import { join } from 'path';

const CORE = join(__dirname, '../../core');
const files = readdirSync(CORE).filter((f) => f.endsWith('.ts'));
// strip comments so documentation may mention what the code must not do
const code = (f: string) =>
  readFileSync(join(CORE, f), 'utf8')
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/(^|[^:])\/\/.*$/gm, '$1');

describe('core purity', () => {
  it('has modules to check', () => {
    expect(files).toEqual(expect.arrayContaining(['money.ts', 'pricing.ts', 'order-state.ts', 'after-sale.ts', 'errors.ts', 'time.ts', 'index.ts']));
  });

  it.each(files)('%s imports only core modules (or zod)', (f) => {
    const specs = [...code(f).matchAll(/(?:from\s+|require\(\s*|import\(\s*)['"]([^'"]+)['"]/g)].map((m) => m[1]);
    for (const s of specs) expect(s === 'zod' || s.startsWith('./')).toBe(true);
  });

  it.each(files)('%s reads no clock and no randomness', (f) => {
    const c = code(f);
    expect(c).not.toMatch(/Date\.now\s*\(/);
    expect(c).not.toMatch(/new Date\(\s*\)/);
    expect(c).not.toMatch(/Math\.random\s*\(/);
    expect(c).not.toMatch(/performance\.now|process\.|console\./);
  });

  it.each(files)('%s has no BigInt literals (mini-program engines without BigInt must still load the core)', (f) => {
    expect(code(f).replace(/'[^']*'|`[^`]*`/g, '')).not.toMatch(/\b\d+n\b/);
  });
});
