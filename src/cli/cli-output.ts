import { asLoomError } from '../core/errors/index.js';

/** Options every command receives from the root program. */
export interface GlobalOptions {
  readonly json?: boolean;
}

/**
 * Prints a command's result: the JSON value on stdout with `--json`, otherwise the human text. Progress and logs go
 * to stderr, so stdout stays parseable.
 */
export function emit(options: GlobalOptions, value: unknown, human: () => string): void {
  process.stdout.write(options.json ? `${JSON.stringify(value, null, 2)}\n` : `${human()}\n`);
}

/** Exit code for a LoomError (bad input, missing thing, unreachable service). */
export const EXIT_ERROR = 2;

/**
 * Prints a failure as `error LOOM_ERR_…: message` (or the API error body with `--json`) and sets the exit code.
 * Never a stack trace, unless LOOM_DEBUG=1.
 */
export function reportError(err: unknown, json: boolean): void {
  const loom = asLoomError(err);
  if (json) process.stdout.write(`${JSON.stringify({ error: loom.toJSON() }, null, 2)}\n`);
  else process.stderr.write(`error ${loom.code}: ${loom.message}\n`);
  if (process.env.LOOM_DEBUG === '1') process.stderr.write(`${(err as Error)?.stack ?? String(err)}\n`);
  process.exitCode = EXIT_ERROR;
}

/** Formats rows as an aligned text table. */
export function table(headers: readonly string[], rows: readonly (readonly unknown[])[]): string {
  const cells = [headers, ...rows.map((r) => r.map((c) => (c === null || c === undefined ? '' : String(c))))];
  const widths = headers.map((_, j) => Math.max(...cells.map((r) => r[j]?.length ?? 0)));
  return cells.map((r) => r.map((c, j) => c.padEnd(widths[j])).join('  ').trimEnd()).join('\n');
}
