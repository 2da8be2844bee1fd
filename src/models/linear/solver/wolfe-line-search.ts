/** The objective as L-BFGS sees it: writes the gradient at `x` into `grad` and returns the value. */
export type ObjectiveFunction = (x: Float64Array, grad: Float64Array) => number;

/** Outcome of a line search. `xNew`/`gNew` (caller-owned) hold the point at `step` when `ok`. */
export interface LineSearchResult {
  readonly ok: boolean;
  readonly step: number;
  readonly value: number;
}

const C1 = 1e-4;
const C2 = 0.9;
/** Hager–Zhang's δ for the approximate Wolfe test. */
const DELTA = 0.1;
/** Relative slack on φ within which the approximate Wolfe test may replace sufficient decrease. */
const VALUE_NOISE = 1e-10;
const MAX_EVALUATIONS = 30;
const MAX_STEP = 1e10;

/**
 * Finds a step along the descent direction `d` from `x` that satisfies the strong Wolfe conditions
 * (φ(a) ≤ φ(0) + c1·a·φ'(0) and |φ'(a)| ≤ c2·|φ'(0)|, c1 = 1e-4, c2 = 0.9), by bracketing and zooming with safeguarded
 * cubic interpolation (Nocedal & Wright, Algorithms 3.5 and 3.6). Near the minimum, where differences of φ drown in
 * rounding, Hager and Zhang's approximate Wolfe test (φ(a) ≤ φ(0) + 1e-10·(1 + |φ(0)|) and (2δ − 1)φ'(0) ≥ φ'(a) ≥
 * c2·φ'(0), δ = 0.1) is accepted too, so the gradient keeps shrinking. If the curvature condition cannot be met within
 * the evaluation budget, a step with sufficient decrease is still accepted. On return with `ok`, `xNew` and `gNew` hold
 * the point and gradient at the step. `ok` is false when no decrease was found (the minimum is reached to working
 * precision, or `d` is not a descent direction).
 */
export function wolfeLineSearch(f: ObjectiveFunction, x: Float64Array, fx: number, g: Float64Array, d: Float64Array, step0: number, xNew: Float64Array, gNew: Float64Array): LineSearchResult {
  const dphi0 = dot(g, d);
  if (!(dphi0 < 0)) return { ok: false, step: 0, value: fx };
  const phi = (a: number): number => {
    for (let t = 0; t < x.length; t++) xNew[t] = x[t] + a * d[t];
    return f(xNew, gNew);
  };
  let evaluations = 0;
  let bestArmijo = 0;
  let bestValue = fx;
  let aPrev = 0;
  let fPrev = fx;
  let dPrev = dphi0;
  let a = step0;
  let lo = 0;
  let hi = 0;
  let fLo = fx;
  let fHi = fx;
  let dLo = dphi0;
  let dHi = dphi0;
  let bracketed = false;
  while (evaluations < MAX_EVALUATIONS) {
    const fa = phi(a);
    const da = dot(gNew, d);
    evaluations++;
    if (fa <= fx + VALUE_NOISE * (1 + Math.abs(fx)) && da >= C2 * dphi0 && da <= (2 * DELTA - 1) * dphi0) return { ok: true, step: a, value: fa };
    const armijo = fa <= fx + C1 * a * dphi0 && Number.isFinite(fa);
    if (armijo && fa < bestValue) {
      bestArmijo = a;
      bestValue = fa;
    }
    if (!bracketed) {
      if (!armijo || (evaluations > 1 && fa >= fPrev)) {
        [lo, fLo, dLo, hi, fHi, dHi] = [aPrev, fPrev, dPrev, a, fa, da];
        bracketed = true;
      } else if (Math.abs(da) <= -C2 * dphi0) {
        return { ok: true, step: a, value: fa };
      } else if (da >= 0) {
        [lo, fLo, dLo, hi, fHi, dHi] = [a, fa, da, aPrev, fPrev, dPrev];
        bracketed = true;
      } else {
        [aPrev, fPrev, dPrev] = [a, fa, da];
        a = Math.min(2 * a, MAX_STEP);
        continue;
      }
    } else if (!armijo || fa >= fLo) {
      [hi, fHi, dHi] = [a, fa, da];
    } else {
      if (Math.abs(da) <= -C2 * dphi0) return { ok: true, step: a, value: fa };
      if (da * (hi - lo) >= 0) [hi, fHi, dHi] = [lo, fLo, dLo];
      [lo, fLo, dLo] = [a, fa, da];
    }
    if (Math.abs(hi - lo) <= 1e-16 * Math.max(1, Math.abs(lo))) break;
    a = interpolate(lo, fLo, dLo, hi, fHi, dHi);
  }
  if (bestArmijo > 0) {
    const value = phi(bestArmijo);
    return { ok: true, step: bestArmijo, value };
  }
  return { ok: false, step: 0, value: fx };
}

/** Minimiser of the cubic through (a, fa, da) and (b, fb, db), kept at least 10% of the interval away from its ends. */
function interpolate(a: number, fa: number, da: number, b: number, fb: number, db: number): number {
  const lower = Math.min(a, b);
  const width = Math.abs(b - a);
  const d1 = da + db - (3 * (fa - fb)) / (a - b);
  const disc = d1 * d1 - da * db;
  let t = Number.NaN;
  if (disc >= 0 && Number.isFinite(fb)) {
    const d2 = Math.sign(b - a) * Math.sqrt(disc);
    t = b - ((b - a) * (db + d2 - d1)) / (db - da + 2 * d2);
  }
  if (!Number.isFinite(t)) t = lower + width / 2;
  return Math.min(Math.max(t, lower + 0.1 * width), lower + 0.9 * width);
}

/** Σ a_t b_t. */
export function dot(a: Float64Array, b: Float64Array): number {
  let sum = 0;
  for (let t = 0; t < a.length; t++) sum += a[t] * b[t];
  return sum;
}
