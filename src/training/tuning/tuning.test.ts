import assert from 'node:assert/strict';
import { test } from 'node:test';
import { trainGbdt } from '../../models/gbdt/index.js';
import { AshaPruner } from './asha-pruner.js';
import { enumerateGrid, GridSampler } from './grid-sampler.js';
import { MedianPruner } from './median-pruner.js';
import { RandomSampler, type Sampler } from './sampler.js';
import { SearchSpace, type TrialParams } from './search-space.js';
import { TpeSampler } from './tpe-sampler.js';
import type { TrialRecord } from './trial-record.js';

function minimize(sampler: Sampler, space: SearchSpace, trials: number, f: (p: TrialParams) => number): number {
  const history: TrialRecord[] = [];
  for (let n = 0; n < trials; n++) {
    const params = sampler.sample(space, n, history)!;
    history.push({ number: n, state: 'complete', params, value: f(params), intermediate: new Map() });
  }
  return Math.min(...history.map((t) => t.value!));
}

const bowl = SearchSpace.create({ x: { kind: 'uniform', low: -10, high: 10 }, y: { kind: 'uniform', low: -10, high: 10 } });
const bowlF = (p: TrialParams): number => ((p.x as number) - 2) ** 2 + ((p.y as number) + 1) ** 2;

test('samplers are deterministic for a seed and differ across seeds', () => {
  const h: TrialRecord[] = [];
  for (const make of [(s: number) => new RandomSampler(s), (s: number) => new TpeSampler(s, 'minimize')]) {
    assert.deepEqual(make(7).sample(bowl, 3, h), make(7).sample(bowl, 3, h));
    assert.notDeepEqual(make(7).sample(bowl, 3, h), make(8).sample(bowl, 3, h));
  }
  const tpeA = minimize(new TpeSampler(3, 'minimize'), bowl, 30, bowlF);
  const tpeB = minimize(new TpeSampler(3, 'minimize'), bowl, 30, bowlF);
  assert.equal(tpeA, tpeB);
});

test('TPE beats random search on a 2-D bowl and a 1-D function at equal budget (seeds 1..5, 60 trials)', () => {
  const oneD = SearchSpace.create({ x: { kind: 'log_uniform', low: 1e-4, high: 10 } });
  const oneF = (p: TrialParams): number => Math.abs(Math.log10(p.x as number) + 2.5);
  let tpeWins = 0;
  const tpe: number[] = [];
  const rnd: number[] = [];
  for (let seed = 1; seed <= 5; seed++) {
    const t = minimize(new TpeSampler(seed, 'minimize'), bowl, 60, bowlF);
    const r = minimize(new RandomSampler(seed), bowl, 60, bowlF);
    tpe.push(t);
    rnd.push(r);
    if (t < r) tpeWins++;
    // 1-D: |log10 x + 2.5| on a log scale; TPE gets closer than random search on every seed.
    const t1 = minimize(new TpeSampler(seed, 'minimize'), oneD, 60, oneF);
    const r1 = minimize(new RandomSampler(seed), oneD, 60, oneF);
    assert.ok(t1 < r1, `seed ${seed}: tpe ${t1} random ${r1}`);
  }
  const med = (a: number[]): number => [...a].sort((x, y) => x - y)[2];
  assert.ok(tpeWins >= 4, `TPE won ${tpeWins}/5: tpe ${tpe} random ${rnd}`);
  // The bowl's optimum is 0; TPE's median best is at least 3x closer than random's.
  assert.ok(med(tpe) * 3 < med(rnd), `median best tpe ${med(tpe)} random ${med(rnd)}`);
});

test('grid covers every point once, including conditional branches', () => {
  const space = SearchSpace.create({
    boosting: { kind: 'categorical', choices: ['gbdt', 'goss'] },
    leaves: { kind: 'int', low: 4, high: 8, step: 2 },
    top_rate: { kind: 'conditional', parent: 'boosting', values: ['goss'], param: { kind: 'uniform', low: 0.1, high: 0.3, grid: 3 } },
  });
  const grid = enumerateGrid(space);
  // gbdt × 3 leaves + goss × 3 leaves × 3 top_rate
  assert.equal(grid.length, 3 + 9);
  const sampler = new GridSampler(5);
  const history: TrialRecord[] = [];
  for (let n = 0; n < 12; n++) history.push({ number: n, state: 'complete', params: sampler.sample(space, n, history)!, value: 0, intermediate: new Map() });
  assert.equal(new Set(history.map((t) => JSON.stringify(t.params))).size, 12);
  assert.equal(sampler.sample(space, 12, history), null);
  history[4] = { ...history[4], state: 'interrupted' };
  // the interrupted trial's point comes back once, then the grid is exhausted
  assert.deepEqual(sampler.sample(space, 12, history), history[4].params);
  history.push({ number: 12, state: 'complete', params: history[4].params, value: 0, intermediate: new Map() });
  assert.equal(sampler.sample(space, 13, history), null);
  assert.equal(new Set(history.filter((t) => t.state === 'complete').map((t) => JSON.stringify(t.params))).size, 12);
  assert.ok(grid.some((p) => p.boosting === 'goss' && p.top_rate === 0.2 && p.leaves === 6));
  assert.ok(grid.filter((p) => p.boosting === 'gbdt').every((p) => !('top_rate' in p)));
});

test('conditional params appear only when the parent takes a listed value', () => {
  const space = SearchSpace.create({
    strategy: { kind: 'categorical', choices: ['bagging', 'goss'] },
    fraction: { kind: 'conditional', parent: 'strategy', values: ['bagging'], param: { kind: 'uniform', low: 0.5, high: 1 } },
    num_leaves: { kind: 'int', low: 2, high: 64, log: true },
    num_iterations: 20,
  });
  assert.deepEqual(space.fixed, { num_iterations: 20 });
  for (const sampler of [new RandomSampler(1), new TpeSampler(1, 'maximize', { nStartupTrials: 3 })]) {
    const history: TrialRecord[] = [];
    for (let n = 0; n < 25; n++) {
      const p = sampler.sample(space, n, history)!;
      assert.equal('fraction' in p, p.strategy === 'bagging');
      assert.ok(Number.isInteger(p.num_leaves) && (p.num_leaves as number) >= 2 && (p.num_leaves as number) <= 64);
      history.push({ number: n, state: 'complete', params: p, value: p.strategy === 'goss' ? 1 : 0, intermediate: new Map() });
    }
  }
});

const trial = (number: number, state: TrialRecord['state'], values: number[]): TrialRecord => ({ number, state, params: {}, value: values.at(-1) ?? null, intermediate: new Map(values.map((v, i) => [i + 1, v])) });

test('median pruner: prunes below the median of completed trials at that step, after 5 startup trials', () => {
  const done = [0.5, 0.6, 0.7, 0.8, 0.9].map((v, i) => trial(i, 'complete', [v, v + 0.01]));
  const pruner = new MedianPruner();
  // median at step 1 is 0.7
  assert.equal(pruner.shouldPrune(trial(9, 'running', [0.69]), 1, done, 'maximize'), true);
  assert.equal(pruner.shouldPrune(trial(9, 'running', [0.7]), 1, done, 'maximize'), false);
  // its best so far counts: 0.75 at step 1 keeps it at step 2 (median 0.71)
  assert.equal(pruner.shouldPrune(trial(9, 'running', [0.75, 0.6]), 2, done, 'maximize'), false);
  // minimizing flips it
  assert.equal(pruner.shouldPrune(trial(9, 'running', [0.69]), 1, done, 'minimize'), false);
  // four completed trials: too few
  assert.equal(pruner.shouldPrune(trial(9, 'running', [0.1]), 1, done.slice(0, 4), 'maximize'), false);
  // warm-up steps
  assert.equal(new MedianPruner({ nWarmupSteps: 2 }).shouldPrune(trial(9, 'running', [0.1]), 1, done, 'maximize'), false);
});

test('ASHA: rungs at r·η^k keep the top 1/η of trials that reached them', () => {
  const pruner = new AshaPruner({ minResource: 1, reductionFactor: 2 });
  const others = [trial(0, 'complete', [0.9, 0.9, 0.9, 0.9]), trial(1, 'running', [0.8, 0.85]), trial(2, 'pruned', [0.6])];
  // rung 0 (step 1): 4 competitors [0.9, 0.8, 0.6, own] keep 2: 0.85 is second → kept; 0.7 is third → pruned
  assert.equal(pruner.shouldPrune(trial(5, 'running', [0.85]), 1, others, 'maximize'), false);
  assert.equal(pruner.shouldPrune(trial(5, 'running', [0.7]), 1, others, 'maximize'), true);
  // rung 1 (step 2): competitors at step 2 are 0.9, 0.85 and own; keep 1
  assert.equal(pruner.shouldPrune(trial(5, 'running', [0.95, 0.88]), 2, others, 'maximize'), true);
  assert.equal(pruner.shouldPrune(trial(5, 'running', [0.95, 0.91]), 2, others, 'maximize'), false);
  // step 3 is no rung: no decision even with a bad score
  assert.equal(pruner.shouldPrune(trial(5, 'running', [0.95, 0.91, 0.1]), 3, others, 'maximize'), false);
  // the first trial at a rung is kept (fewer than η competitors)
  assert.equal(pruner.shouldPrune(trial(5, 'running', [0.1]), 1, [], 'maximize'), false);
  // auto min resource: no completed trial yet → no pruning
  assert.equal(new AshaPruner().shouldPrune(trial(5, 'running', [0.0]), 1, [trial(1, 'running', [0.9])], 'maximize'), false);
});

test('bad spaces get coded errors naming the field', () => {
  const code = (json: unknown): string => {
    try {
      SearchSpace.create(json);
    } catch (err) {
      return `${(err as { code: string }).code} ${JSON.stringify((err as { details?: unknown }).details)}`;
    }
    return 'none';
  };
  assert.equal(code({ lr: { kind: 'uniform', low: 1, high: 0.5 } }), 'LOOM_ERR_TUNING_EMPTY_RANGE {"field":"lr"}');
  assert.equal(code({ lr: { kind: 'log_uniform', low: 0, high: 1 } }), 'LOOM_ERR_TUNING_EMPTY_RANGE {"field":"lr"}');
  assert.equal(code({ c: { kind: 'categorical', choices: [] } }), 'LOOM_ERR_TUNING_EMPTY_RANGE {"field":"c"}');
  assert.equal(code({ lr: { kind: 'normal', low: 0, high: 1 } }), 'LOOM_ERR_TUNING_INVALID_SPACE {"field":"lr"}');
  assert.equal(code({ f: { kind: 'conditional', parent: 'nope', values: [1], param: { kind: 'uniform', low: 0, high: 1 } } }), 'LOOM_ERR_TUNING_INVALID_SPACE {"field":"f.parent"}');
  assert.equal(code({ n: 5 }), 'LOOM_ERR_TUNING_INVALID_SPACE {"field":"space"}');
});

test("trainGbdt stops when onIteration returns 'stop'", () => {
  const x = Float64Array.from({ length: 200 }, (_, i) => i);
  const y = Float64Array.from({ length: 200 }, (_, i) => (i < 100 ? 0 : 1));
  const seen: number[] = [];
  const model = trainGbdt({ columns: [x], label: y }, { objective: 'regression', num_iterations: 50, min_data_in_leaf: 1 }, { onIteration: (e) => (seen.push(e.iteration), e.iteration === 7 ? 'stop' : undefined) });
  assert.deepEqual(seen, [1, 2, 3, 4, 5, 6, 7]);
  assert.equal(model.numIterations, 7);
});
