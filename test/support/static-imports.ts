import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

/** What a module loads before any of its code runs: the project files and the packages of its static imports. */
export interface StaticImports {
  /** Absolute paths of the project's .ts files, the entry included. */
  readonly files: ReadonlySet<string>;
  /** Package specifiers (node: built-ins included). */
  readonly packages: ReadonlySet<string>;
}

/** `import …` and `export … from` statements; `import type` and `export type` load nothing and are skipped. */
const STATIC_IMPORT = /^(import|export)\s+(?!type\s)[^;'"]*?\bfrom\s+'([^']+)'|^import\s+'([^']+)'/gm;

/**
 * Follows the static imports of `entry` (a .ts file) through the project's sources: what Node loads, and so what
 * tsx compiles, before the entry runs. Dynamic `import()` is not followed, which is the point: it runs when the code
 * that holds it does. The `.js` specifiers of the sources resolve to their `.ts` files, as tsx resolves them.
 */
export function staticImports(entry: string): StaticImports {
  const files = new Set<string>();
  const packages = new Set<string>();
  const visit = (file: string): void => {
    if (files.has(file)) return;
    files.add(file);
    for (const m of readFileSync(file, 'utf8').matchAll(STATIC_IMPORT)) {
      const specifier = m[2] ?? m[3];
      if (!specifier.startsWith('.')) {
        packages.add(specifier);
        continue;
      }
      const target = resolve(dirname(file), specifier).replace(/\.js$/, '.ts');
      if (!existsSync(target)) throw new Error(`${file} imports ${specifier}, which is not a .ts file of the project`);
      visit(target);
    }
  };
  visit(resolve(entry));
  return { files, packages };
}
