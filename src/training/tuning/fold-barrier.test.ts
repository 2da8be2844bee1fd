import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FoldBarrier } from './fold-barrier.js';
import type { TrialOutcome } from './trial-executor.js';

function barrier(verdicts: boolean[]): { b: FoldBarrier; reports: [number, number][]; releases: [number, boolean][]; outcome: () => TrialOutcome | Error | null } {
  const reports: [number, number][] = [];
  const releases: [number, boolean][] = [];
  let outcome: TrialOutcome | Error | null = null;
  const b = new FoldBarrier(7, 3, (step, value) => (reports.push([step, value]), verdicts.shift() ?? false), (o) => (outcome = o), (e) => (outcome = e as Error), (fold, stop) => releases.push([fold, stop]));
  return { b, reports, releases, outcome: () => outcome };
}

test('folds in lockstep: one report per step with the mean across folds; a fold stopped early counts with its last score', () => {
  const { b, reports, releases, outcome } = barrier([false, true]);
  b.arrive(0, 1, 0.6);
  b.arrive(1, 1, 0.3);
  assert.deepEqual(reports, [], 'waits for the third fold');
  b.arrive(2, 1, 0.9);
  assert.deepEqual(reports, [[1, 0.6]]);
  assert.deepEqual(releases, [[0, false], [1, false], [2, false]]);
  b.finish(2, { value: 0.9, pruned: false, steps: 1 });
  b.arrive(0, 2, 0.5);
  b.arrive(1, 2, 0.1);
  // (0.5 + 0.1 + 0.9) / 3, with fold 2's last score; the pruner says stop.
  assert.equal(reports.length, 2);
  assert.equal(reports[1][0], 2);
  assert.ok(Math.abs(reports[1][1] - 0.5) < 1e-15);
  assert.deepEqual(releases.slice(3), [[0, true], [1, true]]);
  b.finish(0, { value: 0.5, pruned: true, steps: 2 });
  assert.equal(outcome(), null, 'settles only when every fold is done');
  b.finish(1, { value: 0.1, pruned: true, steps: 2 });
  assert.deepEqual(outcome(), { value: reports[1][1], pruned: true });
});

test('complete: the mean of the folds final scores; a fold error stops the others, then rejects the trial', () => {
  const ok = barrier([]);
  for (const [fold, v] of [[0, 0.2], [1, 0.4], [2, 0.9]] as const) ok.b.finish(fold, { value: v, pruned: false, steps: 3 });
  const done = ok.outcome() as { value: number; pruned: boolean };
  assert.equal(done.pruned, false);
  assert.ok(Math.abs(done.value - 0.5) < 1e-15);

  const bad = barrier([]);
  bad.b.arrive(0, 1, 0.5);
  bad.b.fail(1, new Error('boom'));
  assert.deepEqual(bad.releases, [[0, true]]);
  bad.b.arrive(2, 1, 0.7);
  assert.deepEqual(bad.releases, [[0, true], [2, true]]);
  assert.deepEqual(bad.reports, [], 'the pruner is not asked once the trial failed');
  bad.b.finish(0, { value: 0.5, pruned: true, steps: 1 });
  assert.equal(bad.outcome(), null, 'rejects only when every fold has stopped, so their workers are free');
  bad.b.finish(2, { value: 0.7, pruned: true, steps: 1 });
  assert.equal((bad.outcome() as Error).message, 'boom');
});
