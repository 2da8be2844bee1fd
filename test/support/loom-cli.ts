import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { join, resolve } from 'node:path';

/** The repository root. */
export const ROOT = resolve(import.meta.dirname, '../..');
/** The shared public datasets (see ../shared/datasets/README.md). */
export const DATASETS = resolve(ROOT, '../shared/datasets');

/** One finished `loom` process. */
export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
  json(): any;
}

/**
 * Returns a function that runs `loom <args>` as a child process with LOOM_HOME = `home` (and cwd = `home`), the way
 * a user runs it, with progress bars off.
 */
export function loomCli(home: string): (args: readonly string[], env?: Record<string, string>) => Promise<CliRun> {
  return (args, env = {}) =>
    new Promise((done) => {
      execFile(
        process.execPath,
        ['--import', import.meta.resolve('tsx'), join(ROOT, 'src/cli/main.ts'), ...args],
        { cwd: home, env: { ...process.env, LOOM_HOME: home, LOOM_NO_PROGRESS: '1', LOOM_DEBUG: '', ...env }, maxBuffer: 64 << 20 },
        (err, stdout, stderr) => {
          const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
          done({ code, stdout, stderr, json: () => JSON.parse(stdout) });
        },
      );
    });
}

/** Asserts a `--json` run failed with `code` and printed no stack trace. */
export function assertCodedFailure(run: CliRun, code: string): void {
  assert.notEqual(run.code, 0, `expected a non-zero exit, got 0: ${run.stdout}`);
  assert.equal(run.json().error.code, code, run.stdout);
  assert.doesNotMatch(run.stdout + run.stderr, /\n\s+at .+:\d+:\d+/, 'no stack trace');
}
