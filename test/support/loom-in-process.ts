import { runCli } from '../../src/cli/main.js';
import type { CliRun } from './loom-cli.js';

let queue: Promise<unknown> = Promise.resolve();

/**
 * Returns a function that runs `loom <args>` inside the test process (runCli, the entry point `bin/loom.js` calls),
 * with LOOM_HOME = `home` and the working directory `cwd` (default `home`), progress bars off, capturing stdout, stderr and the exit code. It
 * checks the same output as `loomCli` without a child's ~1 s tsx start-up, so use it for the many coded-error and
 * listing checks; keep at least one `loomCli` spawn per command, which checks the real process (exit code, no stray
 * output after exit).
 *
 * Calls are serialized (they swap process-wide state: env, cwd, the string writes of stdout/stderr, exitCode).
 */
export function loomInProcess(home: string, cwd: string = home): (args: readonly string[], env?: Record<string, string>) => Promise<CliRun> {
  return (args, env = {}) => {
    const run = queue.then(() => runInProcess(home, cwd, args, env));
    queue = run.catch(() => undefined);
    return run;
  };
}

async function runInProcess(home: string, cwd: string, args: readonly string[], env: Record<string, string>): Promise<CliRun> {
  const overrides: Record<string, string> = { LOOM_HOME: home, LOOM_NO_PROGRESS: '1', LOOM_DEBUG: '', ...env };
  const savedEnv = new Map(Object.keys(overrides).map((k) => [k, process.env[k]]));
  const savedCwd = process.cwd();
  const savedExitCode = process.exitCode;
  const writeOut = process.stdout.write;
  const writeErr = process.stderr.write;
  let stdout = '';
  let stderr = '';
  // The CLI writes strings only (cli-output.ts, commander). A file's test runner reports to its parent through the
  // same stdout, as binary chunks: those pass through untouched, or the run's results would be corrupted.
  const capture = (stream: NodeJS.WriteStream, original: typeof process.stdout.write, append: (s: string) => void) =>
    ((chunk: string | Uint8Array, ...rest: unknown[]) => {
      if (typeof chunk !== 'string') return (original as (...args: unknown[]) => boolean).call(stream, chunk, ...rest);
      append(chunk);
      const done = rest.find((r) => typeof r === 'function') as (() => void) | undefined;
      done?.();
      return true;
    }) as typeof process.stdout.write;
  Object.assign(process.env, overrides);
  process.chdir(cwd);
  process.exitCode = undefined;
  process.stdout.write = capture(process.stdout, writeOut, (s) => (stdout += s));
  process.stderr.write = capture(process.stderr, writeErr, (s) => (stderr += s));
  try {
    await runCli(['node', 'loom', ...args]);
  } catch (err) {
    // runCli reports LoomErrors itself; anything else is what an uncaught error would print, with exit code 1.
    stderr += `${(err as Error)?.stack ?? String(err)}\n`;
    process.exitCode ??= 1;
  } finally {
    process.stdout.write = writeOut;
    process.stderr.write = writeErr;
    process.chdir(savedCwd);
    for (const [k, v] of savedEnv) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
  const code = Number(process.exitCode ?? 0);
  process.exitCode = savedExitCode;
  return { code, stdout, stderr, json: () => JSON.parse(stdout) };
}
