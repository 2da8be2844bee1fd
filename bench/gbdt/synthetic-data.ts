// The seeded HIGGS-shaped synthetic data set of ../shared/notes/lightgbm-anchor.md, bit for bit: 1,000,000 rows × 28
// standard-normal features (rounded to 6 decimals), label 1 iff a weighted sum with one interaction and unrounded
// noise is positive. Rows 0…799,999 are the training part and 800,000…999,999 the holdout. Every operation is plain
// IEEE double, so the rows equal those of the anchor's Node script.
//
// Run on its own to write the CSVs and check them: node --import tsx/esm bench/gbdt/synthetic-data.ts <folder>
import { createHash } from 'node:crypto';
import { closeSync, openSync, writeSync } from 'node:fs';
import { join } from 'node:path';

/** Features per row. */
export const SYNTHETIC_FEATURES = 28;
/** Rows in the whole data set. */
export const SYNTHETIC_ROWS = 1_000_000;
/** Rows 0 … SYNTHETIC_TRAIN_ROWS − 1 are the training part; the rest is the holdout. */
export const SYNTHETIC_TRAIN_ROWS = 800_000;

/** The anchor's check values: how the CSV lines of rows 0 and 800,000 begin, and the positive counts. */
export const SYNTHETIC_CHECK = {
  row0: '0,-1.284838,0.432780,-0.945353,-1.712804,',
  row800000: '0,-0.583647,0.851477,-0.606583,',
  trainPositives: 397_568,
  allPositives: 497_317,
  /** SHA-256 of synth_train.csv / synth_test.csv as the anchor abbreviates them (first 8 … last 6 or 7 hex digits). */
  trainSha256: ['72e1b64e', '7bfd27'],
  holdoutSha256: ['96a7b8f2', '854aa4f'],
} as const;

/** mulberry32 from 32-bit state `seed`: each call returns a double in [0, 1). */
export function mulberry32(seed: number): () => number {
  let a = seed | 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * The row stream. Normals come from Box–Muller in pairs off one mulberry32(42) stream (r·cos θ first, then r·sin θ;
 * a pair may straddle two rows); each row takes 28 feature normals, rounded to 1e-6 before use, then one unrounded
 * noise normal e. Label: s = Σ_j w_j·x_j (j order) + 0.5·x_0·x_1 + e with w_j = ((j mod 5) − 2)·0.25; 1 iff s > 0.
 */
export class SyntheticHiggs {
  readonly #next = mulberry32(42);
  #spare = 0;
  #hasSpare = false;

  /** Writes the next row's 28 features into `out[0 .. 28)` (caller-owned) and returns its label, 0 or 1. */
  nextRow(out: Float64Array): number {
    let s = 0;
    for (let j = 0; j < SYNTHETIC_FEATURES; j++) {
      const x = Math.round(this.#normal() * 1e6) / 1e6;
      out[j] = x;
      s += ((j % 5) - 2) * 0.25 * x;
    }
    s += 0.5 * out[0] * out[1];
    s += this.#normal();
    return s > 0 ? 1 : 0;
  }

  #normal(): number {
    if (this.#hasSpare) {
      this.#hasSpare = false;
      return this.#spare;
    }
    const u1 = this.#next();
    const u2 = this.#next();
    const r = Math.sqrt(-2 * Math.log(1 - u1));
    const theta = 2 * Math.PI * u2;
    this.#spare = r * Math.sin(theta);
    this.#hasSpare = true;
    return r * Math.cos(theta);
  }
}

/** A row as the anchor's CSV writes it: label, then the features with toFixed(6). */
export function syntheticCsvLine(label: number, features: Float64Array): string {
  let line = String(label);
  for (let j = 0; j < SYNTHETIC_FEATURES; j++) line += ',' + features[j].toFixed(6);
  return line;
}

/** Header of both CSVs: the label first (column 0), then f0 … f27. */
export const SYNTHETIC_HEADER = ['label', ...Array.from({ length: SYNTHETIC_FEATURES }, (_, j) => `f${j}`)].join(',');

export interface SyntheticFiles {
  readonly trainPath: string;
  readonly holdoutPath: string;
  readonly trainPositives: number;
  readonly allPositives: number;
}

/**
 * Writes `synth_train.csv` (rows 0…799,999) and `synth_test.csv` (the holdout) into `dir`, then checks them against
 * the anchor's check values (first lines, positive counts, SHA-256 of both files). @throws Error when a check value differs (the generator would not be the anchor's).
 */
export function writeSyntheticCsv(dir: string): SyntheticFiles {
  const trainPath = join(dir, 'synth_train.csv');
  const holdoutPath = join(dir, 'synth_test.csv');
  const gen = new SyntheticHiggs();
  const x = new Float64Array(SYNTHETIC_FEATURES);
  let trainPositives = 0;
  let allPositives = 0;
  const firstLines: string[] = [];
  const digests: string[] = [];
  for (const [path, from, to] of [[trainPath, 0, SYNTHETIC_TRAIN_ROWS], [holdoutPath, SYNTHETIC_TRAIN_ROWS, SYNTHETIC_ROWS]] as const) {
    const fd = openSync(path, 'w');
    const hash = createHash('sha256');
    try {
      let chunk = SYNTHETIC_HEADER + '\n';
      for (let i = from; i < to; i++) {
        const label = gen.nextRow(x);
        allPositives += label;
        if (i < SYNTHETIC_TRAIN_ROWS) trainPositives += label;
        const line = syntheticCsvLine(label, x);
        if (i === from) firstLines.push(line);
        chunk += line + '\n';
        if (chunk.length > 1 << 22) {
          writeSync(fd, chunk);
          hash.update(chunk);
          chunk = '';
        }
      }
      writeSync(fd, chunk);
      hash.update(chunk);
      digests.push(hash.digest('hex'));
    } finally {
      closeSync(fd);
    }
  }
  const problems: string[] = [];
  if (!firstLines[0].startsWith(SYNTHETIC_CHECK.row0)) problems.push(`row 0 begins ${firstLines[0].slice(0, 40)}`);
  if (!firstLines[1].startsWith(SYNTHETIC_CHECK.row800000)) problems.push(`row 800,000 begins ${firstLines[1].slice(0, 40)}`);
  if (trainPositives !== SYNTHETIC_CHECK.trainPositives) problems.push(`${trainPositives} training positives`);
  if (allPositives !== SYNTHETIC_CHECK.allPositives) problems.push(`${allPositives} positives in all`);
  for (const [k, [head, tail]] of [SYNTHETIC_CHECK.trainSha256, SYNTHETIC_CHECK.holdoutSha256].entries()) {
    if (!digests[k].startsWith(head) || !digests[k].endsWith(tail)) problems.push(`SHA-256 of ${k === 0 ? 'synth_train' : 'synth_test'}.csv is ${digests[k]}`);
  }
  if (problems.length > 0) throw new Error(`synthetic data differs from the anchor's: ${problems.join('; ')}`);
  return { trainPath, holdoutPath, trainPositives, allPositives };
}

if (import.meta.filename === process.argv[1]) {
  const dir = process.argv[2];
  if (dir === undefined) throw new Error('usage: synthetic-data.ts <folder>');
  const files = writeSyntheticCsv(dir);
  console.log(`wrote ${files.trainPath} and ${files.holdoutPath}: ${files.trainPositives} training / ${files.allPositives} total positives; check values and SHA-256 match the anchor`);
}
