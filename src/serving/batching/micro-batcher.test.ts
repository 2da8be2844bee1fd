import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Frame } from '../../core/frame/frame.js';
import type { LoadedModel } from '../../training/index.js';
import type { ServedModel } from '../served-model.js';
import { MicroBatcher } from './micro-batcher.js';
import type { RowScorer } from './row-scorer.js';

/** A model that returns 2·x and records the size of every call (to see how requests were combined). */
function doubling(calls: number[]): ServedModel {
  const model = {
    predict(frame: Frame) {
      calls.push(frame.length);
      const x = frame.column('x');
      return Float64Array.from(x.type === 'float' ? x.values : [], (v) => 2 * v);
    },
  } as unknown as LoadedModel;
  return { name: 'm', version: '1', alias: null, modelHash: 'h', flavor: 'test', signature: { columns: [{ name: 'x', type: 'float', nullable: false, tags: [] }] }, outputNames: ['y'], model };
}

const cols = (xs: number[]) => new Map([['x', xs]]);

test('concurrent requests are combined up to maxBatchSize, never past it; each gets its own rows back', async () => {
  const calls: number[] = [];
  const served = doubling(calls);
  const batcher = new MicroBatcher({ maxBatchSize: 4, maxWaitMs: 50 });
  const results = await Promise.all([
    batcher.score(served, cols([1]), 1, null),
    batcher.score(served, cols([2, 3]), 2, null),
    batcher.score(served, cols([4, 5]), 2, null),
    batcher.score(served, cols([6, 7, 8, 9, 10]), 5, null),
    batcher.score(served, cols([11, 99, 12]), 3, [0, 2]),
  ]);
  assert.deepEqual(results.map((r) => [...r]), [[2], [4, 6], [8, 10], [12, 14, 16, 18, 20], [22, 24]]);
  // [1] + [2,3] = 3 rows; [4,5] would make 5 > 4, so the first batch is cut; [4,5] + [11,12] = 4 fills the next.
  // The 5-row request is larger than the limit and scored alone.
  assert.deepEqual(calls, [3, 5, 4]);
});

test('a lone request waits at most maxWaitMs; with batching off every request is its own call', async () => {
  const calls: number[] = [];
  const served = doubling(calls);
  const started = performance.now();
  assert.deepEqual([...(await new MicroBatcher({ maxBatchSize: 100, maxWaitMs: 30 }).score(served, cols([1, 2]), 2, null))], [2, 4]);
  assert.ok(performance.now() - started >= 25);
  const off = new MicroBatcher();
  await Promise.all([off.score(served, cols([1]), 1, null), off.score(served, cols([2]), 1, null)]);
  assert.deepEqual(calls, [2, 1, 1]);
});

test('a full queue is 503 LOOM_ERR_SERVING_OVERLOADED; bad options are coded errors', async () => {
  const served = doubling([]);
  const batcher = new MicroBatcher({ maxBatchSize: 10, maxWaitMs: 20, maxQueue: 3 });
  const first = batcher.score(served, cols([1, 2]), 2, null);
  await assert.rejects(batcher.score(served, cols([3, 4]), 2, null), (err: any) => err.code === 'LOOM_ERR_SERVING_OVERLOADED' && err.statusCode === 503);
  assert.deepEqual([...(await first)], [2, 4]);
  for (const options of [{ maxBatchSize: 0 }, { maxWaitMs: -1 }, { maxQueue: 1.5 }]) assert.throws(() => new MicroBatcher(options), { code: 'LOOM_ERR_SERVING_INVALID_OPTION' });
});

test('with maxWaitMs 0 a batch is the requests queued in one event-loop turn: no timer, later turns are new batches', async () => {
  const calls: number[] = [];
  const served = doubling(calls);
  const batcher = new MicroBatcher({ maxBatchSize: 8 });
  assert.equal(batcher.enabled, true);
  const first = [batcher.score(served, cols([1]), 1, null), batcher.score(served, cols([2, 3]), 2, null), batcher.score(served, cols([4]), 1, null)];
  // Queued from a later turn (after the first batch was cut).
  const later = new Promise<Float64Array>((resolve) => setImmediate(() => setImmediate(() => resolve(batcher.score(served, cols([5]), 1, null)))));
  assert.deepEqual((await Promise.all([...first, later])).map((r) => [...r]), [[2], [4, 6], [8], [10]]);
  assert.deepEqual(calls, [4, 1]);
  // Nine rows in one turn: the first batch is cut when the next request would pass 8.
  calls.length = 0;
  await Promise.all(Array.from({ length: 3 }, (_, i) => batcher.score(served, cols([i, i, i]), 3, null)));
  assert.deepEqual(calls, [6, 3]);
});

test('a batch whose scoring throws rejects every request in it, whether cut when full or at the end of the turn', async () => {
  const served = doubling([]);
  let calls = 0;
  const scorer = {
    width: 1,
    outputs: 1,
    features: (record: unknown, into: Float64Array, offset: number) => ((into[offset] = record as number), true),
    scoreRows: () => {
      calls++;
      throw new Error('scoring blew up');
    },
  } as unknown as RowScorer;
  const batcher = new MicroBatcher({ maxBatchSize: 3 });
  // Three rows fill the batch (cut inside the third call); two more are cut at the end of the turn.
  const results = await Promise.allSettled([1, 2, 3, 4, 5].map((x) => batcher.scoreRecords(served, scorer, [x])));
  assert.deepEqual(results.map((r) => r.status === 'rejected' && (r.reason as Error).message), Array(5).fill('scoring blew up'));
  assert.equal(calls, 2);
});

test('maxQueue refuses rows only when others wait: a request to an empty queue is always taken', async () => {
  const calls: number[] = [];
  const served = doubling(calls);
  const batcher = new MicroBatcher({ maxBatchSize: 10, maxQueue: 2 });
  const big = batcher.score(served, cols([1, 2, 3]), 3, null);
  await assert.rejects(batcher.score(served, cols([4]), 1, null), { code: 'LOOM_ERR_SERVING_OVERLOADED' });
  assert.deepEqual([...(await big)], [2, 4, 6]);
  assert.deepEqual([...(await batcher.score(served, cols([4]), 1, null))], [8]);
});
