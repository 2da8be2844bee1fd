import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CONTROL_SLOTS, MAX_HISTOGRAM_THREADS, SLOT, takeItems } from './histogram-control.js';

/** A control block with parts ending at `ends` and every part's counter at zero. */
function controlWithParts(ends: readonly number[]): Int32Array {
  const control = new Int32Array(new SharedArrayBuffer(4 * CONTROL_SLOTS * MAX_HISTOGRAM_THREADS));
  ends.forEach((end, t) => (control[t * CONTROL_SLOTS + SLOT.partEnd] = end));
  return control;
}

test('takeItems: a thread takes its own part first, in order, then what is left of the others', () => {
  const control = controlWithParts([3, 5, 9]);
  const taken: number[] = [];
  takeItems(control, 1, 3, (k) => taken.push(k));
  // Part 1 (3, 4), then part 2 (5 … 8), then part 0 (0 … 2).
  assert.deepEqual(taken, [3, 4, 5, 6, 7, 8, 0, 1, 2]);
  const late: number[] = [];
  takeItems(control, 0, 3, (k) => late.push(k));
  assert.deepEqual(late, [], 'nothing is taken twice');
});

test('takeItems: threads that interleave take every item exactly once', () => {
  const control = controlWithParts([4, 4, 10]);
  const seen = new Int32Array(10);
  // Part 1 is empty. Thread 2 takes one item, then thread 0 runs to the end (its part, then the rest of part 2),
  // then thread 2 finds nothing left.
  let first = true;
  try {
    takeItems(control, 2, 3, (k) => {
      seen[k]++;
      if (first) {
        first = false;
        throw new Error('stop after one item');
      }
    });
  } catch {
    // A thread whose item throws takes no more.
  }
  takeItems(control, 0, 3, (k) => seen[k]++);
  takeItems(control, 2, 3, (k) => seen[k]++);
  assert.deepEqual(Array.from(seen), new Array(10).fill(1));
});
