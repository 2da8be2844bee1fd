import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { WindowAggregation } from '../definitions/window-aggregation.js';
import { bucketOf, bucketWidthMs, decodeBuckets, encodeBuckets, foldEvent, pruneBuckets, windowValue, type WindowBucket } from './window-state.js';

const H = 3_600_000;
const agg = (fn: WindowAggregation['fn'], windowMs = H, column: string | null = 'x'): WindowAggregation => ({ name: `${fn}`, fn, column: fn === 'count' ? null : column, windowMs });

test('bucket widths: the largest divisor of the window up to 60 buckets', () => {
  const cases: [number, number][] = [
    [H, 60_000], // 1h → 60 buckets of 1 min
    [7 * 24 * H, 10_080_000], // 7d → 2.8 h
    [30 * 24 * H, 12 * H], // 30d → 12 h
    [90_000, 1500], // 90s → 1.5 s
    [61, 61], // a prime above 60 ms: one bucket
    [7, 1], // 7 ms: 7 buckets of 1 ms
    [118, 2], // 118 = 2·59 → 59 buckets of 2 ms
  ];
  for (const [windowMs, width] of cases) assert.equal(bucketWidthMs(windowMs), width, `window ${windowMs}`);
  // Bucket k holds (k−1)·w < ts ≤ k·w: the end is included, the start excluded.
  assert.deepEqual([bucketOf(60_000, 60_000), bucketOf(60_001, 60_000), bucketOf(1, 60_000), bucketOf(0, 60_000)], [1, 2, 1, 0]);
});

/** Brute force over raw events: the offline definition at t, over (from, t]. */
function brute(a: WindowAggregation, events: readonly [number, number | string | null][], from: number, t: number): number | null {
  const inWindow = events.filter(([ts, v]) => ts > from && ts <= t && (a.column === null || v !== null)).map(([, v]) => v);
  switch (a.fn) {
    case 'count':
      return inWindow.length;
    case 'sum':
      return inWindow.reduce<number>((s, v) => s + (v as number), 0);
    case 'mean':
      return inWindow.length === 0 ? null : inWindow.reduce<number>((s, v) => s + (v as number), 0) / inWindow.length;
    case 'min':
      return inWindow.length === 0 ? null : Math.min(...(inWindow as number[]));
    case 'max':
      return inWindow.length === 0 ? null : Math.max(...(inWindow as number[]));
    case 'distinct':
      return new Set(inWindow).size;
  }
}

test('at bucket boundaries the value is exactly the window (t − w, t]; between them the oldest bucket counts until it has left', () => {
  // Events on a 7-second grid over 3 hours with integer values (sums are exact in doubles), a null every 5th.
  const events: [number, number | null][] = [];
  for (let i = 0; i < 1500; i++) events.push([i * 7_000 + (i % 3), i % 5 === 4 ? null : (i * 37) % 11]);
  for (const fn of ['count', 'sum', 'mean', 'min', 'max', 'distinct'] as const) {
    const a = agg(fn);
    const buckets: WindowBucket[] = [];
    for (const [ts, v] of events) foldEvent(a, buckets, ts, fn === 'distinct' ? (v === null ? null : String(v)) : v);
    const roundTrip = decodeBuckets(a, encodeBuckets(a, buckets));
    const newest = events[events.length - 1][0];
    const pruned = pruneBuckets(a, roundTrip, newest);
    assert.ok(pruned.length <= 61 && pruned.length < buckets.length, `${fn}: pruning keeps at most one window of buckets`);
    const width = bucketWidthMs(a.windowMs);
    const probe = fn === 'distinct' ? events.map(([ts, v]): [number, string | null] => [ts, v === null ? null : String(v)]) : events;
    for (const t of [newest + 1, Math.ceil(newest / width) * width, Math.ceil(newest / width) * width + 30 * width, newest + H - 1, newest + H + width]) {
      const boundary = t % width === 0;
      const from = boundary ? t - a.windowMs : Math.floor(t / width) * width - a.windowMs;
      assert.equal(windowValue(a, pruned, t), brute(a, probe, from, t), `${fn} at ${t} (${boundary ? 'boundary' : 'between boundaries'})`);
    }
    // Once every event has left the window: 0 for count/sum/distinct, null for mean/min/max.
    assert.equal(windowValue(a, pruned, newest + 2 * H), fn === 'count' || fn === 'sum' || fn === 'distinct' ? 0 : null, fn);
  }
});

test('a column-less count counts rows with nulls; a column count skips them', () => {
  const rows = agg('count');
  const col: WindowAggregation = { name: 'c', fn: 'count', column: 'x', windowMs: H };
  const a: WindowBucket[] = [];
  const b: WindowBucket[] = [];
  for (const [ts, v] of [[1000, null], [2000, 'a'], [3000, null]] as const) {
    foldEvent(rows, a, ts, undefined);
    foldEvent(col, b, ts, v);
  }
  assert.deepEqual([windowValue(rows, a, 60_000), windowValue(col, b, 60_000)], [3, 1]);
});
