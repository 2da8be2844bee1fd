import type { BaseDistribution, TrialValue } from './search-space.js';

/** A numeric distribution in the space its samplers work in: log for log scales; ints widened by half a step. */
export interface ParamScale {
  readonly low: number;
  readonly high: number;
  /** Internal value → the param value (rounded to the int grid and clamped for ints). */
  readonly decode: (x: number) => number;
  readonly encode: (v: number) => number;
  /** Ints: the half-width of a value's cell in internal units at `x` (probability mass is taken over the cell). */
  readonly cell: ((v: number) => readonly [number, number]) | null;
}

/** The internal scale of a numeric distribution. */
export function paramScale(d: Exclude<BaseDistribution, { kind: 'categorical' }>): ParamScale {
  if (d.kind === 'uniform') return { low: d.low, high: d.high, decode: (x) => Math.min(d.high, Math.max(d.low, x)), encode: (v) => v, cell: null };
  if (d.kind === 'log_uniform') {
    return { low: Math.log(d.low), high: Math.log(d.high), decode: (x) => Math.min(d.high, Math.max(d.low, Math.exp(x))), encode: Math.log, cell: null };
  }
  const step = d.step ?? 1;
  const top = d.low + Math.floor((d.high - d.low) / step) * step;
  const snap = (v: number): number => Math.min(top, Math.max(d.low, d.low + Math.round((v - d.low) / step) * step));
  if (d.log === true) {
    return { low: Math.log(d.low - 0.5), high: Math.log(top + 0.5), decode: (x) => snap(Math.exp(x)), encode: Math.log, cell: (v) => [Math.log(v - 0.5), Math.log(v + 0.5)] };
  }
  return { low: d.low - step / 2, high: top + step / 2, decode: snap, encode: (v) => v, cell: (v) => [v - step / 2, v + step / 2] };
}

/** The values a grid walks for one distribution: every int or category, or `grid` points (default 5) of a float range. */
export function gridValues(d: BaseDistribution): TrialValue[] {
  if (d.kind === 'categorical') return [...d.choices];
  if (d.kind === 'int') {
    const step = d.step ?? 1;
    const out: number[] = [];
    for (let v = d.low; v <= d.high; v += step) out.push(v);
    return out;
  }
  const n = d.grid ?? 5;
  const s = paramScale(d);
  return Array.from({ length: n }, (_, i) => s.decode(s.low + ((s.high - s.low) * i) / (n - 1)));
}
