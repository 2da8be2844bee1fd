import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BatchedWriter, type BatchOutcome } from './batched-writer.js';

interface Settled {
  readonly from: number;
  readonly to: number;
  readonly status: BatchOutcome['status'];
}

function recorder(options: { maxBatch?: number; maxQueue?: number; flushIntervalMs?: number } = {}) {
  const batches: number[][] = [];
  const settled: Settled[] = [];
  const writer = new BatchedWriter<number>({
    write: async (batch) => {
      batches.push(batch);
    },
    onSettled: (from, to, outcome) => settled.push({ from, to, status: outcome.status }),
    flushIntervalMs: options.flushIntervalMs ?? 60_000,
    maxBatch: options.maxBatch ?? 3,
    maxQueue: options.maxQueue ?? 100,
  });
  return { writer, batches, settled };
}

test('push only queues; flush writes in order, in batches of at most maxBatch, and reports each batch', async () => {
  const { writer, batches, settled } = recorder({ maxBatch: 3 });
  assert.equal(writer.push([0, 1]), 2);
  await Promise.resolve();
  assert.deepEqual(batches, [], 'nothing is written before the interval or a full batch');
  assert.equal(writer.queuedCount, 2);
  writer.push([2, 3, 4, 5, 6]);
  await writer.flush();
  assert.deepEqual(batches, [[0, 1, 2], [3, 4, 5], [6]]);
  assert.deepEqual(settled, [
    { from: 0, to: 3, status: 'written' },
    { from: 3, to: 6, status: 'written' },
    { from: 6, to: 7, status: 'written' },
  ]);
  assert.equal(writer.pushedCount, 7);
  assert.equal(writer.queuedCount, 0);
});

test('a full batch is written without waiting for the interval; a partial one after flushIntervalMs', async () => {
  const full = recorder({ maxBatch: 2 });
  full.writer.push([1, 2]);
  await new Promise((resolve) => setImmediate(resolve));
  assert.deepEqual(full.batches, [[1, 2]]);
  const timed = recorder({ maxBatch: 10, flushIntervalMs: 5 });
  timed.writer.push([7]);
  await new Promise((resolve) => setTimeout(resolve, 40));
  assert.deepEqual(timed.batches, [[7]]);
});

test('items beyond maxQueue are dropped and reported at once, each with its own sequence number', async () => {
  const { writer, batches, settled } = recorder({ maxQueue: 2, maxBatch: 10 });
  assert.equal(writer.push([10, 11, 12, 13]), 2);
  assert.deepEqual(settled, [{ from: 2, to: 4, status: 'dropped' }]);
  assert.equal(writer.pushedCount, 4);
  await writer.flush();
  writer.push([14]);
  assert.equal(writer.push([15, 16]), 1, 'only one slot is left');
  await writer.flush();
  assert.deepEqual(batches, [[10, 11], [14, 15]]);
  assert.deepEqual(settled.slice(1), [
    { from: 0, to: 2, status: 'written' },
    { from: 6, to: 7, status: 'dropped' },
    { from: 4, to: 6, status: 'written' },
  ]);
  const full = recorder({ maxQueue: 1, maxBatch: 10 });
  full.writer.push([1, 2]);
  full.writer.push([3]);
  await full.writer.flush();
  assert.deepEqual(full.settled, [
    { from: 1, to: 2, status: 'dropped' },
    { from: 2, to: 3, status: 'dropped' },
    { from: 0, to: 1, status: 'written' },
  ]);
  full.writer.push([4]);
  await full.writer.flush();
  assert.deepEqual(full.settled.at(-1), { from: 3, to: 4, status: 'written' }, 'numbering goes on after the drops');
});

test('a failed write is reported with its error, and later batches are still written', async () => {
  const errors: unknown[] = [];
  const batches: number[][] = [];
  const writer = new BatchedWriter<number>({
    write: async (batch) => {
      if (batch[0] === 0) throw new Error('disk full');
      batches.push(batch);
    },
    onSettled: (_from, _to, outcome) => errors.push(outcome.status === 'failed' ? (outcome.error as Error).message : outcome.status),
    flushIntervalMs: 60_000,
    maxBatch: 2,
    maxQueue: 100,
  });
  writer.push([0, 1, 2]);
  await writer.flush();
  assert.deepEqual(errors, ['disk full', 'written']);
  assert.deepEqual(batches, [[2]]);
  writer.push([3]);
  await writer.flush();
  assert.deepEqual(batches, [[2], [3]], 'a failure does not stop the queue');
});

test('group commit writes what arrived during a write in the next write, without waiting for the interval', async () => {
  const started: number[][] = [];
  let release: () => void = () => {};
  const writer = new BatchedWriter<number>({
    write: (batch) => {
      started.push(batch);
      return started.length === 1 ? new Promise<void>((resolve) => (release = resolve)) : Promise.resolve();
    },
    flushIntervalMs: 60_000,
    maxBatch: 100,
    maxQueue: 100,
    groupCommit: true,
  });
  writer.push([1]);
  await new Promise((resolve) => setTimeout(resolve, 5));
  assert.deepEqual(started, [[1]], 'the first write starts on the next turn');
  writer.push([2]);
  writer.push([3]);
  await new Promise((resolve) => setTimeout(resolve, 5));
  assert.deepEqual(started, [[1]], 'nothing starts while a write is in flight');
  release();
  await writer.flush();
  assert.deepEqual(started, [[1], [2, 3]]);
});
