import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { Workspace } from '../../storage/workspace.js';
import { getRun } from '../../tracking/index.js';
import { runStudy } from './run-study.js';
import { inProcessExecutor } from './trial-executor.js';

const home = mkdtempSync(join(tmpdir(), 'loom-study-'));
const ws = Workspace.open({ env: { LOOM_HOME: home } });
after(async () => {
  await ws.close();
  rmSync(home, { recursive: true, force: true });
});

const space = { x: { kind: 'uniform', low: -5, high: 5 }, fixed: 3 };
const bowl = inProcessExecutor((params, report) => {
  const x = params.x as number;
  for (let step = 1; step <= 4; step++) if (report(step, -((x - 1) ** 2) - 1 / step)) return { value: -((x - 1) ** 2) - 1 / step, pruned: true };
  return { value: -((x - 1) ** 2), pruned: false };
});

test('a study persists trials, tracks them under a parent run, and tops up to --trials on a rerun', async () => {
  const first = await runStudy(ws, { study: 's', space, direction: 'maximize', trials: 12, metric: 'score', seed: 3, pruner: 'median' }, bowl);
  assert.equal(first.trials.length, 12);
  assert.equal(first.resumed, false);
  assert.ok(first.trials.some((t) => t.state === 'pruned'), 'the median pruner stopped a trial');
  const best = first.trials.filter((t) => t.state === 'complete').reduce((a, b) => (b.value! > a.value! ? b : a));
  assert.equal(first.bestValue, best.value);
  assert.deepEqual(first.bestParams, { fixed: 3, ...best.params });
  const run = await getRun(ws, best.runId!);
  assert.equal(run.tags['loom.parent_run_id'], first.parentRunId);
  assert.equal(run.params.fixed, '3');
  const again = await runStudy(ws, { study: 's', space, direction: 'maximize', trials: 15, metric: 'score', seed: 3, pruner: 'median' }, bowl);
  assert.equal(again.resumed, true);
  assert.equal(again.ranThisSession, 3);
  assert.deepEqual(again.trials.slice(0, 12), first.trials);
  assert.deepEqual(again.trials.map((t) => t.number), Array.from({ length: 15 }, (_, i) => i));
});

test('coded errors: bad trials, a changed space on resume, every trial failing', async () => {
  const code = async (p: Promise<unknown>): Promise<string> => p.then(() => 'none', (e: { code: string }) => e.code);
  assert.equal(await code(runStudy(ws, { study: 't', space, direction: 'maximize', trials: 0, metric: 'score' }, bowl)), 'LOOM_ERR_TUNING_INVALID_OPTION');
  assert.equal(await code(runStudy(ws, { study: 't', space, direction: 'maximize', trials: 2, metric: 'score', sampler: 'cmaes' as 'tpe' }, bowl)), 'LOOM_ERR_TUNING_INVALID_OPTION');
  assert.equal(await code(runStudy(ws, { study: 's', space: { ...space, fixed: 4 }, direction: 'maximize', trials: 2, metric: 'score', seed: 3, pruner: 'median' }, bowl)), 'LOOM_ERR_TUNING_SPACE_MISMATCH');
  const broken = inProcessExecutor(() => {
    throw new Error('boom');
  });
  assert.equal(await code(runStudy(ws, { study: 'b', space, direction: 'maximize', trials: 2, metric: 'score' }, broken)), 'LOOM_ERR_TUNING_TRIAL_FAILED');
});

test('a timeout stops the running trial mid-way: recorded interrupted, its run killed, best so far kept; a resume runs it again', async () => {
  let calls = 0;
  // Trials 0–2 finish at once; trial 3 reports forever (1 ms per step), so only the timeout can stop it.
  const endless = inProcessExecutor((params, report) => {
    const x = params.x as number;
    if (++calls <= 3) return { value: -((x - 1) ** 2), pruned: false };
    for (let step = 1; step < 1e7; step++) {
      const until = Date.now() + 1;
      while (Date.now() < until);
      if (report(step, -((x - 1) ** 2))) return { value: -((x - 1) ** 2), pruned: true };
    }
    return { value: -((x - 1) ** 2), pruned: false };
  });
  const request = { study: 'timeout', space, direction: 'maximize' as const, trials: 6, metric: 'score', seed: 5, pruner: 'none' as const };
  const first = await runStudy(ws, { ...request, timeoutSeconds: 2 }, endless);
  assert.equal(first.timedOut, true);
  assert.deepEqual(first.trials.map((t) => t.state), ['complete', 'complete', 'complete', 'interrupted']);
  const cut = first.trials[3];
  assert.equal(cut.value, null);
  assert.match(cut.message!, /^timeout: /);
  const best = first.trials.slice(0, 3).reduce((a, b) => (b.value! > a.value! ? b : a));
  assert.equal(first.bestValue, best.value);
  const run = await getRun(ws, cut.runId!);
  assert.equal(run.status, 'killed');
  assert.equal(run.tags['loom.trial_state'], 'interrupted');

  const resumed = await runStudy(ws, request, bowl);
  assert.equal(resumed.timedOut, false);
  assert.equal(resumed.ranThisSession, 3, 'trial 3 again, then trials 4 and 5');
  assert.deepEqual(resumed.trials.map((t) => [t.number, t.state]), [0, 1, 2, 3, 4, 5].map((n) => [n, 'complete']));
  assert.deepEqual(resumed.trials[3].params, cut.params);
  assert.notEqual(resumed.trials[3].runId, cut.runId);
  assert.equal((await getRun(ws, resumed.trials[3].runId!)).tags['loom.retry_of_run_id'], cut.runId);
  assert.deepEqual(resumed.trials.slice(0, 3), first.trials.slice(0, 3));
});
