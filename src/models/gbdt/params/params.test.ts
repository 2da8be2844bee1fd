import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { GBDT_PARAMS } from './gbdt-param-table.js';
import { renderGbdtParamDocs } from './render-param-docs.js';
import { resolveGbdtParams } from './resolve-params.js';
import { suggestName } from './suggest-name.js';

function codeOf(fn: () => unknown): { code: string; field: unknown } {
  try {
    fn();
  } catch (err) {
    const e = err as { code: string; details?: { field?: unknown }; statusCode: number };
    assert.equal(e.statusCode, 400);
    return { code: e.code, field: e.details?.field };
  }
  assert.fail('expected an error');
}

test('defaults equal LightGBM v4 defaults', () => {
  const p = resolveGbdtParams();
  assert.equal(p.objective, 'regression');
  assert.equal(p.num_iterations, 100);
  assert.equal(p.learning_rate, 0.1);
  assert.equal(p.num_leaves, 31);
  assert.equal(p.max_bin, 255);
  assert.equal(p.min_data_in_leaf, 20);
  assert.equal(p.min_sum_hessian_in_leaf, 1e-3);
  assert.equal(p.max_cat_to_onehot, 4);
  assert.equal(p.cat_smooth, 10);
  assert.equal(p.cat_l2, 10);
  assert.equal(p.bagging_seed, 3);
  assert.equal(p.seed, null);
  assert.deepEqual(p.metric, []);
});

test('aliases resolve to names, strings are parsed, enum value aliases map', () => {
  const p = resolveGbdtParams({ eta: '0.05', n_estimators: 7, max_leaves: '63', objective: 'mse', reg_lambda: 2, is_unbalance: 'false', metric: 'binary,auc' });
  assert.equal(p.learning_rate, 0.05);
  assert.equal(p.num_iterations, 7);
  assert.equal(p.num_leaves, 63);
  assert.equal(p.objective, 'regression');
  assert.equal(p.lambda_l2, 2);
  assert.equal(p.is_unbalance, false);
  assert.deepEqual(p.metric, ['binary_logloss', 'auc']);
  assert.deepEqual(resolveGbdtParams({ monotone_constraints: '1,-1,0' }).monotone_constraints, [1, -1, 0]);
  assert.deepEqual(resolveGbdtParams({ categorical_feature: [0, 'sex'] }).categorical_feature, ['0', 'sex']);
});

test('unknown parameters are rejected with a 400 naming the parameter and suggesting a close name', () => {
  assert.deepEqual(codeOf(() => resolveGbdtParams({ num_leafs: 10 })), { code: 'LOOM_ERR_GBDT_PARAM_UNKNOWN', field: 'num_leafs' });
  try {
    resolveGbdtParams({ learnin_rate: 0.1 });
  } catch (err) {
    assert.match((err as Error).message, /"learning_rate"/);
  }
  assert.equal(suggestName('num_leafs', ['num_leaves', 'max_bin']), 'num_leaves');
  assert.equal(suggestName('zzzzzz', ['num_leaves', 'max_bin']), null);
});

test('invalid values are rejected with a 400 naming the parameter', () => {
  const cases: Array<[Record<string, unknown>, string]> = [
    [{ learning_rate: 0 }, 'learning_rate'],
    [{ learning_rate: 'fast' }, 'learning_rate'],
    [{ num_leaves: 1 }, 'num_leaves'],
    [{ num_leaves: 2.5 }, 'num_leaves'],
    [{ bagging_fraction: 1.5 }, 'bagging_fraction'],
    [{ objective: 'ranking' }, 'objective'],
    [{ use_missing: 'maybe' }, 'use_missing'],
    [{ metric: 'accuracy' }, 'metric'],
    [{ monotone_constraints: [1, 2] }, 'monotone_constraints'],
    [{ objective: 'multiclass' }, 'num_class'],
    [{ objective: 'binary', num_class: 3 }, 'num_class'],
    [{ objective: 'quantile', alpha: 1.5 }, 'alpha'],
    [{ is_unbalance: true, scale_pos_weight: 2 }, 'is_unbalance'],
    [{ data_sample_strategy: 'goss', bagging_freq: 1, bagging_fraction: 0.5 }, 'data_sample_strategy'],
    [{ eta: 0.1, learning_rate: 0.2 }, 'learning_rate'],
    [{ seed: 'x' }, 'seed'],
  ];
  for (const [input, field] of cases) assert.deepEqual(codeOf(() => resolveGbdtParams(input)), { code: 'LOOM_ERR_GBDT_PARAM_INVALID', field }, JSON.stringify(input));
});

test('seed derives the other seeds deterministically unless they are given', () => {
  const a = resolveGbdtParams({ seed: 42 });
  const b = resolveGbdtParams({ seed: 42 });
  const c = resolveGbdtParams({ seed: 43 });
  assert.deepEqual([a.bagging_seed, a.feature_fraction_seed, a.data_random_seed], [b.bagging_seed, b.feature_fraction_seed, b.data_random_seed]);
  assert.notDeepEqual([a.bagging_seed, a.feature_fraction_seed], [c.bagging_seed, c.feature_fraction_seed]);
  assert.equal(resolveGbdtParams({ seed: 42, bagging_seed: 7 }).bagging_seed, 7);
  assert.equal(resolveGbdtParams({ seed: 'None' }).seed, null);
});

test('every parameter is defined once, with no name or alias shared', () => {
  const seen = new Set<string>();
  for (const spec of GBDT_PARAMS) {
    for (const key of [spec.name, ...spec.aliases]) {
      assert.ok(!seen.has(key), key);
      seen.add(key);
    }
    assert.ok(spec.description.length > 10, spec.name);
  }
});

test('docs/gbdt-params.md is generated from the table and up to date', () => {
  const onDisk = readFileSync(new URL('../../../../docs/gbdt-params.md', import.meta.url), 'utf8');
  assert.equal(onDisk, renderGbdtParamDocs(), 'run `node --import tsx/esm scripts/gen-gbdt-param-docs.ts`');
  assert.match(onDisk, /^<!-- Generated /);
  for (const spec of GBDT_PARAMS) assert.ok(onDisk.includes(`| \`${spec.name}\` |`), spec.name);
});
