import { execFileSync } from 'node:child_process';
import { currentGitSha } from '../models/artifact/index.js';
import type { GitState } from './run-record.js';

/**
 * The commit of the git work tree containing `cwd` and whether it has uncommitted changes to tracked files.
 * The SHA is read from `.git` directly; the dirty flag needs the `git` binary and is null when git is missing,
 * slow (over 5 s) or `cwd` is not in a repository.
 */
export function gitState(cwd: string = process.cwd()): GitState {
  const sha = currentGitSha(cwd);
  if (sha === null) return { sha: null, dirty: null };
  try {
    const out = execFileSync('git', ['status', '--porcelain', '--untracked-files=no'], { cwd, encoding: 'utf8', timeout: 5000, stdio: ['ignore', 'pipe', 'ignore'] });
    return { sha, dirty: out.trim() !== '' };
  } catch {
    return { sha, dirty: null };
  }
}
