// `npm pack` (prepack): declarations of the programmatic API into types/, for TypeScript users of
// the package. tsc keeps the `.ts` in relative imports; declarations import `.js`, which resolves
// to the `.d.ts` beside it.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const out = new URL('../types/', import.meta.url).pathname;
rmSync(out, { recursive: true, force: true });
execFileSync(process.execPath, [new URL('../node_modules/typescript/bin/tsc', import.meta.url).pathname, '-p', 'tsconfig.types.json'], {
  stdio: 'inherit',
  cwd: new URL('..', import.meta.url).pathname,
});
for (const entry of readdirSync(out, { recursive: true })) {
  const file = join(out, String(entry));
  if (!file.endsWith('.d.ts')) continue;
  writeFileSync(file, readFileSync(file, 'utf8').replace(/(from\s+['"]\.{1,2}\/[^'"]*?)\.ts(['"])/g, '$1.js$2').replace(/(import\(['"]\.{1,2}\/[^'"]*?)\.ts(['"]\))/g, '$1.js$2'));
}
writeFileSync(join(out, 'index.d.ts'), "export * from './mock/emulator/index.js';\n");
