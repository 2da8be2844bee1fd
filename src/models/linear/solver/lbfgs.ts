import { dot, wolfeLineSearch, type ObjectiveFunction } from './wolfe-line-search.js';

/** Settings of minimizeLbfgs. */
export interface LbfgsOptions {
  /** Correction pairs kept. */
  readonly memory: number;
  /** Most iterations (line searches). */
  readonly maxIter: number;
  /** Stop when max |∇f| ≤ tol × max(1, max |∇f(x₀)|). */
  readonly tol: number;
}

/** How minimizeLbfgs ended: the gradient test passed, the iteration budget ran out, or no further decrease was possible. */
export type LbfgsStatus = 'converged' | 'max_iter' | 'stalled';

/** Result of minimizeLbfgs; the minimiser is left in the `x` passed in. */
export interface LbfgsResult {
  readonly status: LbfgsStatus;
  readonly iterations: number;
  readonly value: number;
  /** max |∇f| at the returned point. */
  readonly gradientNorm: number;
}

/**
 * Minimises a smooth function with limited-memory BFGS: the two-loop recursion for the search direction (initial
 * Hessian scaled by sᵀy / yᵀy) and a strong-Wolfe line search. Correction pairs with sᵀy ≤ 0 are skipped; a search
 * that fails resets the memory once and retries along the gradient. `x` (caller-owned) holds the start and receives
 * the minimiser. Allocates O(memory × x.length) once, nothing per iteration.
 */
export function minimizeLbfgs(f: ObjectiveFunction, x: Float64Array, options: LbfgsOptions): LbfgsResult {
  const n = x.length;
  const m = options.memory;
  const S = new Float64Array(m * n);
  const Y = new Float64Array(m * n);
  const rho = new Float64Array(m);
  const alpha = new Float64Array(m);
  let g = new Float64Array(n);
  let gNew = new Float64Array(n);
  const xNew = new Float64Array(n);
  const d = new Float64Array(n);
  let value = f(x, g);
  const threshold = options.tol * Math.max(1, maxAbs(g));
  let stored = 0;
  let head = 0;
  let iterations = 0;
  let status: LbfgsStatus = 'max_iter';
  if (maxAbs(g) <= threshold) status = 'converged';
  while (status === 'max_iter' && iterations < options.maxIter) {
    direction(g, S, Y, rho, alpha, stored, head, m, d);
    const first = stored === 0;
    const search = wolfeLineSearch(f, x, value, g, d, first ? Math.min(1, 1 / Math.sqrt(dot(g, g))) : 1, xNew, gNew);
    iterations++;
    if (!search.ok) {
      if (first) {
        status = 'stalled';
        break;
      }
      stored = 0;
      continue;
    }
    // New correction pair s = xNew − x, y = gNew − g; kept only when the curvature sᵀy is safely positive.
    let sy = 0;
    let yy = 0;
    for (let t = 0; t < n; t++) {
      const y = gNew[t] - g[t];
      sy += (xNew[t] - x[t]) * y;
      yy += y * y;
    }
    if (sy > 1e-12 * yy && sy > 0) {
      const slot = head * n;
      for (let t = 0; t < n; t++) {
        S[slot + t] = xNew[t] - x[t];
        Y[slot + t] = gNew[t] - g[t];
      }
      rho[head] = 1 / sy;
      head = (head + 1) % m;
      stored = Math.min(stored + 1, m);
    }
    value = search.value;
    x.set(xNew);
    [g, gNew] = [gNew, g];
    if (maxAbs(g) <= threshold) status = 'converged';
  }
  return { status, iterations, value, gradientNorm: maxAbs(g) };
}

/** d = −H·g by the two-loop recursion over the `stored` most recent pairs (newest at head − 1). */
function direction(g: Float64Array, S: Float64Array, Y: Float64Array, rho: Float64Array, alpha: Float64Array, stored: number, head: number, m: number, d: Float64Array): void {
  const n = g.length;
  for (let t = 0; t < n; t++) d[t] = -g[t];
  if (stored === 0) return;
  const slots = (back: number): number => (head - 1 - back + m) % m;
  for (let b = 0; b < stored; b++) {
    const s = slots(b);
    let a = 0;
    for (let t = 0; t < n; t++) a += S[s * n + t] * d[t];
    a *= rho[s];
    alpha[s] = a;
    for (let t = 0; t < n; t++) d[t] -= a * Y[s * n + t];
  }
  const newest = slots(0);
  let yy = 0;
  for (let t = 0; t < n; t++) yy += Y[newest * n + t] * Y[newest * n + t];
  const gamma = 1 / (rho[newest] * yy);
  for (let t = 0; t < n; t++) d[t] *= gamma;
  for (let b = stored - 1; b >= 0; b--) {
    const s = slots(b);
    let beta = 0;
    for (let t = 0; t < n; t++) beta += Y[s * n + t] * d[t];
    beta *= rho[s];
    const c = alpha[s] - beta;
    for (let t = 0; t < n; t++) d[t] += c * S[s * n + t];
  }
}

function maxAbs(v: Float64Array): number {
  let max = 0;
  for (let t = 0; t < v.length; t++) if (Math.abs(v[t]) > max) max = Math.abs(v[t]);
  return max;
}
