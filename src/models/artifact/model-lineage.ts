import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

/**
 * The commit checked out in the git work tree containing `cwd`, read from `.git` without running git; null outside a
 * repository, or when HEAD cannot be resolved (for example in a linked worktree, whose `.git` is a file).
 */
export function currentGitSha(cwd: string = process.cwd()): string | null {
  let dir = resolve(cwd);
  let head = readOrNull(join(dir, '.git', 'HEAD'));
  while (head === null && dirname(dir) !== dir) {
    dir = dirname(dir);
    head = readOrNull(join(dir, '.git', 'HEAD'));
  }
  if (head === null) return null;
  if (/^[0-9a-f]{40,64}$/.test(head)) return head;
  const ref = /^ref: (\S+)$/.exec(head)?.[1];
  if (ref === undefined) return null;
  const loose = readOrNull(join(dir, '.git', ref));
  if (loose !== null) return /^[0-9a-f]{40,64}$/.test(loose) ? loose : null;
  const packed = readOrNull(join(dir, '.git', 'packed-refs')) ?? '';
  for (const line of packed.split('\n')) {
    const [sha, name] = line.split(' ');
    if (name === ref && /^[0-9a-f]{40,64}$/.test(sha)) return sha;
  }
  return null;
}

/** The version of the loom-ml package that is running, read from its package.json. */
export function loomVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

function readOrNull(path: string): string | null {
  try {
    return readFileSync(path, 'utf8').trim();
  } catch {
    return null;
  }
}
