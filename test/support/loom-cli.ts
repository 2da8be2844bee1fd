import assert from 'node:assert/strict';
import { execFile, spawn, type ChildProcess } from 'node:child_process';
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
        ['--import', import.meta.resolve('tsx/esm'), join(ROOT, 'src/cli/main.ts'), ...args],
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

/** A running `loom serve` child process and the JSON line it printed when it started listening. */
export interface ServeProcess {
  readonly child: ChildProcess;
  /** The parsed first stdout line (`{url, models, …}`). */
  readonly info: any;
  /** Resolves with the exit code once the process has exited. */
  readonly exited: Promise<number | null>;
  /** What the process wrote to stderr so far. */
  stderr(): string;
}

/**
 * Spawns `loom serve <args>` (add `--json` so it prints its JSON line) with LOOM_HOME = `home`, as a user runs it,
 * and waits until it prints that line. Rejects with its stderr when it exits before. The caller stops it
 * (`child.kill('SIGTERM')`, then `await exited`).
 */
export async function startServe(home: string, args: readonly string[]): Promise<ServeProcess> {
  const child = spawn(process.execPath, ['--import', import.meta.resolve('tsx/esm'), join(ROOT, 'src/cli/main.ts'), 'serve', ...args], {
    cwd: home,
    env: { ...process.env, LOOM_HOME: home, LOOM_NO_PROGRESS: '1' },
  });
  let stdout = '';
  let stderr = '';
  child.stderr!.on('data', (d) => (stderr += d));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const line = await new Promise<string>((resolve, reject) => {
    child.stdout!.on('data', (d) => {
      stdout += d;
      if (stdout.includes('\n')) resolve(stdout.split('\n')[0]);
    });
    child.on('exit', () => reject(new Error(`serve exited early: ${stderr}`)));
  });
  return { child, info: JSON.parse(line), exited, stderr: () => stderr };
}
