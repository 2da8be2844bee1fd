import type { FeatureValue } from '../definitions/on-demand-view.js';
import type { WindowAggregation } from '../definitions/window-aggregation.js';

/** Most buckets a window is cut into: the bucket width is `window / N` for the largest N ≤ 60 that divides it. */
export const MAX_BUCKETS_PER_WINDOW = 60;

/**
 * One time bucket of a window aggregate's online state. Bucket `k` holds the entity's events with
 * `(k − 1)·width < event_ts ≤ k·width` (epoch ms), matching the window's excluded start and included end.
 * Only the fields its function needs are set: `n` (count; mean's non-null count), `s` (sum), `m` (min or max),
 * `d` (distinct values as text).
 */
export interface WindowBucket {
  readonly k: number;
  n: number;
  s: number;
  m: number | null;
  d: Set<string> | null;
}

/**
 * The width in ms of a window's buckets: `windowMs / N` with N the largest divisor of `windowMs` not above 60
 * (`1h` → 1 min, `7d` → 2.8 h, `30d` → 12 h). Every window is then a whole number of buckets, so at bucket
 * boundaries the online value covers exactly the offline window.
 */
export function bucketWidthMs(windowMs: number): number {
  for (let n = MAX_BUCKETS_PER_WINDOW; n > 1; n--) if (windowMs % n === 0) return windowMs / n;
  return windowMs;
}

/** The bucket an event time (epoch ms) falls in: `ceil(ts / width)`. */
export function bucketOf(ts: number, width: number): number {
  return Math.ceil(ts / width);
}

/** @internal A bucket list's JSON (what the online store holds per aggregate): `[[k, …fields], …]` by k. */
export function encodeBuckets(a: WindowAggregation, buckets: readonly WindowBucket[]): string {
  const rows = [...buckets].sort((x, y) => x.k - y.k).map((b) => {
    switch (a.fn) {
      case 'count':
        return [b.k, b.n];
      case 'sum':
        return [b.k, b.s];
      case 'mean':
        return [b.k, b.s, b.n];
      case 'min':
      case 'max':
        return [b.k, b.m];
      case 'distinct':
        return [b.k, [...(b.d ?? [])].sort()];
    }
  });
  return JSON.stringify(rows);
}

/** @internal The inverse of encodeBuckets; missing text is an empty state. */
export function decodeBuckets(a: WindowAggregation, text: string | null | undefined): WindowBucket[] {
  if (text === null || text === undefined) return [];
  const rows = JSON.parse(text) as unknown[][];
  if (!Array.isArray(rows)) return [];
  return rows.map((r) => {
    const b: WindowBucket = { k: r[0] as number, n: 0, s: 0, m: null, d: null };
    if (a.fn === 'count') b.n = r[1] as number;
    else if (a.fn === 'sum') b.s = r[1] as number;
    else if (a.fn === 'mean') [b.s, b.n] = [r[1] as number, r[2] as number];
    else if (a.fn === 'min' || a.fn === 'max') b.m = r[1] as number | null;
    else b.d = new Set(r[1] as string[]);
    return b;
  });
}

/**
 * @internal Folds one event's value into a bucket list (in place, by bucket). `value` is the aggregated column's value
 * (undefined for a column-less count): a number for sum/mean/min/max, a text for distinct, null when missing. Nulls
 * are counted only by a column-less count, as offline.
 */
export function foldEvent(a: WindowAggregation, buckets: WindowBucket[], ts: number, value: number | string | null | undefined): void {
  const skip = a.column !== null && (value === null || value === undefined);
  if (skip) return;
  const k = bucketOf(ts, bucketWidthMs(a.windowMs));
  let b = buckets.find((x) => x.k === k);
  if (b === undefined) {
    b = { k, n: 0, s: 0, m: null, d: a.fn === 'distinct' ? new Set() : null };
    buckets.push(b);
  }
  switch (a.fn) {
    case 'count':
      b.n++;
      break;
    case 'sum':
      b.s += value as number;
      break;
    case 'mean':
      b.s += value as number;
      b.n++;
      break;
    case 'min':
      b.m = b.m === null ? (value as number) : Math.min(b.m, value as number);
      break;
    case 'max':
      b.m = b.m === null ? (value as number) : Math.max(b.m, value as number);
      break;
    case 'distinct':
      (b.d ??= new Set()).add(value as string);
      break;
  }
}

/**
 * @internal Drops the buckets that no read at or after `newestTs` can include: those with `k·width ≤ newestTs − window`.
 * Batch materialization keeps exactly the same buckets, so a streamed and a batch state of one event prefix are equal.
 */
export function pruneBuckets(a: WindowAggregation, buckets: readonly WindowBucket[], newestTs: number): WindowBucket[] {
  const width = bucketWidthMs(a.windowMs);
  const horizon = Math.floor((newestTs - a.windowMs) / width);
  return buckets.filter((b) => b.k > horizon);
}

/**
 * The aggregate's value at `now` (epoch ms) from its buckets: over the buckets with `k·width > now − window` (expired
 * buckets dropped) and `(k − 1)·width < now` (buckets wholly after now left out). At a bucket boundary that is exactly
 * the offline window `now − window < event_ts ≤ now`; between boundaries the oldest bucket still counts until it has
 * wholly left the window, so the window reaches back up to one bucket width further. Empty: count, sum and distinct
 * are 0; mean, min and max null (as offline).
 */
export function windowValue(a: WindowAggregation, buckets: readonly WindowBucket[], now: number): FeatureValue {
  const width = bucketWidthMs(a.windowMs);
  const lo = Math.floor((now - a.windowMs) / width);
  const hi = bucketOf(now, width);
  let n = 0;
  let s = 0;
  let m: number | null = null;
  const d = new Set<string>();
  for (const b of buckets) {
    if (b.k <= lo || b.k > hi) continue;
    n += b.n;
    s += b.s;
    if (b.m !== null) m = m === null ? b.m : a.fn === 'min' ? Math.min(m, b.m) : Math.max(m, b.m);
    if (b.d !== null) for (const v of b.d) d.add(v);
  }
  switch (a.fn) {
    case 'count':
      return n;
    case 'sum':
      return s;
    case 'mean':
      return n === 0 ? null : s / n;
    case 'min':
    case 'max':
      return m;
    case 'distinct':
      return d.size;
  }
}
