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
