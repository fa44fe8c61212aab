/**
 * Work done once per checkout, not once per process: the project's own `node_modules/.cache` holds
 * what a process would otherwise rebuild at start (compiled validators, the parsed OpenAPI document),
 * under a name keyed by everything it was built from. Never a shared temp folder, where another user
 * could plant what this process would load.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const CACHE_DIR = fileURLToPath(new URL('../node_modules/.cache/cloudbase-auth-contract/', import.meta.url));

/** A short hash of what an entry was built from. */
export function cacheKey(...inputs: unknown[]): string {
  return createHash('sha256').update(JSON.stringify(inputs)).digest('hex').slice(0, 16);
}

/**
 * The cached text named `name`, built (and stored) when it is not there. When the cache cannot be
 * written, the built text is used all the same.
 */
export function cachedText(name: string, build: () => string): string {
  const file = join(CACHE_DIR, name);
  try {
    return readFileSync(file, 'utf8');
  } catch {
    const text = build();
    try {
      mkdirSync(CACHE_DIR, { recursive: true });
      const partial = `${file}.${process.pid}`;
      writeFileSync(partial, text);
      renameSync(partial, file); // atomic: processes starting together never read half a file
    } catch {
      // read-only checkout: no cache, same result
    }
    return text;
  }
}
