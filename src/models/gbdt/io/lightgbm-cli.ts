import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';

/**
 * Where LightGBM's CLI is: `LIGHTGBM_BIN` when it names an existing file, else null. LightGBM is not a dependency;
 * tests that compare with it skip without it.
 *
 * @internal Used by the LightGBM comparison tests and bench/gbdt/lightgbm-io-check.ts.
 */
export function lightGbmBinary(): string | null {
  const bin = process.env.LIGHTGBM_BIN;
  return bin !== undefined && bin !== '' && existsSync(bin) ? bin : null;
}

/**
 * The `skip` option for a test that needs LightGBM's CLI: false when it is available, else the reason.
 *
 * @internal
 */
export function lightGbmSkip(): string | false {
  const bin = process.env.LIGHTGBM_BIN;
  if (bin === undefined || bin === '') return 'LIGHTGBM_BIN is not set (LightGBM CLI needed to compare with it)';
  return existsSync(bin) ? false : `LIGHTGBM_BIN=${bin} does not exist`;
}

/**
 * Runs the CLI with `key=value` arguments (verbosity -1, one thread unless given) and returns its output.
 *
 * @internal
 */
export function runLightGbm(bin: string, args: Readonly<Record<string, string | number>>): string {
  const argv = Object.entries({ verbosity: -1, num_threads: 1, ...args }).map(([k, v]) => `${k}=${v}`);
  return execFileSync(bin, argv, { encoding: 'utf8', maxBuffer: 1 << 26 });
}

/**
 * Writes a CSV LightGBM's CLI reads with `header=true label_column=0`: a header, then per row the label and the
 * feature values (NaN as `nan`, numbers in their shortest exact form).
 *
 * @internal
 */
export function writeLightGbmCsv(path: string, names: readonly string[], label: ArrayLike<number>, columns: readonly ArrayLike<number>[]): void {
  const lines = [['label', ...names].join(',')];
  for (let i = 0; i < label.length; i++) {
    const cells = [cell(label[i])];
    for (const column of columns) cells.push(cell(column[i]));
    lines.push(cells.join(','));
  }
  writeFileSync(path, lines.join('\n') + '\n');
}

/**
 * Reads a CLI prediction file (one row per line, tab-separated outputs) as one flat array.
 *
 * @internal
 */
export function readLightGbmPredictions(path: string): Float64Array {
  const text = readFileSync(path, 'utf8').trim();
  return Float64Array.from(text.split('\n').flatMap((line) => line.split('\t')), Number);
}

function cell(value: number): string {
  return Number.isNaN(value) ? 'nan' : String(value);
}
