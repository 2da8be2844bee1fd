import { z } from 'zod';
import { LoomError } from '../../core/errors/index.js';
import { firstIssue } from '../../core/zod-issue.js';

/**
 * Platt scaling on the log-odds of the model's probability: p' = σ(a·logit(p) + b). Plain data, so it can be stored
 * in a model artifact as JSON.
 */
export interface PlattCalibrator {
  readonly kind: 'platt';
  readonly a: number;
  readonly b: number;
}

/**
 * Isotonic regression: a non-decreasing map given by knots (x ascending, y non-decreasing), linearly interpolated
 * between knots and held flat outside them (as scikit-learn's IsotonicRegression with out_of_bounds='clip').
 */
export interface IsotonicCalibrator {
  readonly kind: 'isotonic';
  readonly x: readonly number[];
  readonly y: readonly number[];
}

/** A fitted probability calibrator; a `kind`-discriminated union of plain data. */
export type Calibrator = PlattCalibrator | IsotonicCalibrator;

/** Log-odds are taken of probabilities clipped to [1e-12, 1 − 1e-12], so 0 and 1 stay finite. */
const CLIP = 1e-12;

const calibratorZod = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('platt'), a: z.number(), b: z.number() }),
  z.strictObject({ kind: z.literal('isotonic'), x: z.array(z.number()).min(1), y: z.array(z.number()).min(1) }),
]);

/** Companion of Calibrator: fitting, applying and parsing. */
export const Calibrator = {
  /**
   * Fits Platt scaling by Newton's method on the log loss, with Platt's smoothed targets (N₊+1)/(N₊+2) for positives
   * and 1/(N₋+2) for negatives, which keeps a and b finite on separable data.
   * @throws LOOM_ERR_EVAL_EMPTY_DATA without rows
   */
  fitPlatt(y: Float64Array, p: Float64Array): PlattCalibrator {
    const n = y.length;
    if (n === 0) throw new LoomError('EVAL_EMPTY_DATA', { problem: 'a calibrator needs labelled rows' }, { details: { field: 'rows' } });
    let pos = 0;
    for (let i = 0; i < n; i++) if (y[i] > 0) pos++;
    const hi = (pos + 1) / (pos + 2);
    const lo = 1 / (n - pos + 2);
    const f = Float64Array.from(p, logit);
    const t = Float64Array.from(y, (v) => (v > 0 ? hi : lo));
    let a = 1;
    let b = 0;
    let loss = plattLoss(f, t, a, b);
    for (let iter = 0; iter < 100; iter++) {
      let ga = 0, gb = 0, haa = 1e-12, hab = 0, hbb = 1e-12;
      for (let i = 0; i < n; i++) {
        const q = sigmoid(a * f[i] + b);
        const d = q - t[i];
        const w = q * (1 - q);
        ga += d * f[i];
        gb += d;
        haa += w * f[i] * f[i];
        hab += w * f[i];
        hbb += w;
      }
      const det = haa * hbb - hab * hab;
      const da = (hbb * ga - hab * gb) / det;
      const db = (haa * gb - hab * ga) / det;
      let step = 1;
      let next = plattLoss(f, t, a - da, b - db);
      while (next > loss && step > 1e-10) {
        step /= 2;
        next = plattLoss(f, t, a - step * da, b - step * db);
      }
      if (next > loss) break;
      a -= step * da;
      b -= step * db;
      const done = loss - next < 1e-12 * Math.max(1, Math.abs(loss));
      loss = next;
      if (done) break;
    }
    return Object.freeze({ kind: 'platt', a, b });
  },

  /**
   * Fits isotonic regression by pool-adjacent-violators on (p, y), after merging tied scores into one weighted point.
   * Keeps each block's first and last score as knots.
   * @throws LOOM_ERR_EVAL_EMPTY_DATA without rows
   */
  fitIsotonic(y: Float64Array, p: Float64Array): IsotonicCalibrator {
    const n = y.length;
    if (n === 0) throw new LoomError('EVAL_EMPTY_DATA', { problem: 'a calibrator needs labelled rows' }, { details: { field: 'rows' } });
    const order = Int32Array.from({ length: n }, (_, i) => i).sort((i, j) => p[i] - p[j]);
    // Blocks: [x first, x last, weighted mean, weight].
    const xs: number[] = [];
    const xe: number[] = [];
    const mean: number[] = [];
    const weight: number[] = [];
    for (let k = 0; k < n; ) {
      const x = p[order[k]];
      let sum = 0;
      let w = 0;
      while (k < n && p[order[k]] === x) (sum += y[order[k]] > 0 ? 1 : 0, w++, k++);
      xs.push(x);
      xe.push(x);
      mean.push(sum / w);
      weight.push(w);
      while (mean.length > 1 && mean[mean.length - 2] > mean[mean.length - 1]) {
        const w2 = weight.pop()!;
        const m2 = mean.pop()!;
        const e2 = xe.pop()!;
        xs.pop();
        const w1 = weight[weight.length - 1];
        mean[mean.length - 1] = (mean[mean.length - 1] * w1 + m2 * w2) / (w1 + w2);
        weight[weight.length - 1] = w1 + w2;
        xe[xe.length - 1] = e2;
      }
    }
    const kx: number[] = [];
    const ky: number[] = [];
    for (let b = 0; b < mean.length; b++) {
      kx.push(xs[b]);
      ky.push(mean[b]);
      if (xe[b] !== xs[b]) (kx.push(xe[b]), ky.push(mean[b]));
    }
    return Object.freeze({ kind: 'isotonic', x: Object.freeze(kx), y: Object.freeze(ky) });
  },

  /** Calibrated probabilities of `p`, a new array of the same length. */
  apply(calibrator: Calibrator, p: Float64Array): Float64Array {
    const out = new Float64Array(p.length);
    if (calibrator.kind === 'platt') {
      for (let i = 0; i < p.length; i++) out[i] = sigmoid(calibrator.a * logit(p[i]) + calibrator.b);
      return out;
    }
    const { x, y } = calibrator;
    for (let i = 0; i < p.length; i++) out[i] = interpolate(x, y, p[i]);
    return out;
  },

  /**
   * Validates a calibrator read from JSON (a model artifact, a file) and freezes it.
   * @throws LOOM_ERR_EVAL_INVALID_OPTION naming the field
   */
  parse(value: unknown): Calibrator {
    const parsed = calibratorZod.safeParse(value);
    if (!parsed.success) {
      const { field, problem } = firstIssue(parsed.error, 'kind');
      throw new LoomError('EVAL_INVALID_OPTION', { field: `calibrator.${field}`, problem }, { details: { field: `calibrator.${field}` } });
    }
    const c = parsed.data;
    if (c.kind === 'isotonic') {
      const bad = c.x.length !== c.y.length ? 'x and y differ in length' : c.x.some((v, i) => i > 0 && v < c.x[i - 1]) ? 'x must be ascending' : c.y.some((v, i) => i > 0 && v < c.y[i - 1]) ? 'y must be non-decreasing' : null;
      if (bad !== null) throw new LoomError('EVAL_INVALID_OPTION', { field: 'calibrator', problem: bad }, { details: { field: 'calibrator' } });
      return Object.freeze({ kind: 'isotonic', x: Object.freeze([...c.x]), y: Object.freeze([...c.y]) });
    }
    return Object.freeze({ ...c });
  },

  /** True when `value` is a valid calibrator. */
  is(value: unknown): value is Calibrator {
    return calibratorZod.safeParse(value).success;
  },
};

function interpolate(x: readonly number[], y: readonly number[], v: number): number {
  if (!(v > x[0])) return y[0];
  const last = x.length - 1;
  if (v >= x[last]) return y[last];
  let lo = 0;
  let hi = last;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (x[mid] <= v) lo = mid;
    else hi = mid;
  }
  const span = x[hi] - x[lo];
  return span === 0 ? y[hi] : y[lo] + ((v - x[lo]) / span) * (y[hi] - y[lo]);
}

function logit(p: number): number {
  const q = Math.min(1 - CLIP, Math.max(CLIP, p));
  return Math.log(q / (1 - q));
}

function sigmoid(z: number): number {
  return z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
}

function plattLoss(f: Float64Array, t: Float64Array, a: number, b: number): number {
  let sum = 0;
  for (let i = 0; i < f.length; i++) {
    const z = a * f[i] + b;
    // −[t log σ(z) + (1 − t) log(1 − σ(z))] = log(1 + e^z) − t·z, computed stably.
    sum += (z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z))) - t[i] * z;
  }
  return sum;
}
