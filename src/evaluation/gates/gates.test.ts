import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { EvaluationReport, MetricEstimate } from '../evaluation-report.js';
import { evaluateGate, normalQuantile, parseGate } from './index.js';

const HASH_A = 'a'.repeat(64);
const HASH_B = 'b'.repeat(64);

function m(value: number, lo: number | null = null, hi: number | null = null, level = 0.95): MetricEstimate {
  return { value, ci: lo === null || hi === null ? null : [lo, hi], level };
}

function report(hash: string, over: Partial<EvaluationReport> = {}): EvaluationReport {
  return {
    format: 'loom.evaluation/1',
    task: 'binary',
    model: { hash },
    data: { ref: 'churn@abc123', rows: 1000 },
    metrics: { auc: m(0.8, 0.78, 0.82), log_loss: m(0.4, 0.38, 0.42) },
    slices: [],
    fairness: [],
    costs: null,
    created_at: '2026-11-26T00:00:00.000Z',
    ...over,
  };
}

function parseCode(text: string): { code: string; line: number; column: number } {
  try {
    parseGate(text, 'g.gate');
  } catch (err) {
    const e = err as { code: string; details: { line: number; column: number } };
    return { code: e.code, line: e.details.line, column: e.details.column };
  }
  throw new Error('parsed');
}

describe('gate parser', () => {
  test('the issue example parses into four rules with their lines', () => {
    const gate = parseGate(
      ['# champion vs challenger', 'auc >= champion.auc - 0.005 (95% CI)', '', 'no slice worse by > 0.02', '|fairness.demographic_parity_difference| <= 0.1', 'cost not higher  # expected cost'].join('\n'),
    );
    assert.deepEqual(gate.rules.map((r) => [r.line, r.kind]), [[2, 'compare'], [4, 'slice'], [5, 'compare'], [6, 'compare']]);
    const first = gate.rules[0];
    assert.equal(first.kind, 'compare');
    if (first.kind !== 'compare') return;
    assert.deepEqual(first.confidence, { level: 0.95, mode: 'lenient' });
    assert.deepEqual(first.left, { kind: 'ref', side: 'challenger', target: { kind: 'metric', metric: 'auc' }, text: 'auc' });
    assert.equal(first.right.kind, 'binary');
    const cost = gate.rules[3];
    assert.equal(cost.kind === 'compare' && cost.op, '<=');
    assert.equal(cost.text, 'cost not higher');
    const slice = gate.rules[1];
    assert.deepEqual(slice.kind === 'slice' && [slice.by, slice.inclusive, slice.metric], [0.02, false, null]);
  });

  test('metric names with @k, fairness selectors, strict CI and "not worse" directions', () => {
    const gate = parseGate('ndcg@10 >= 0.3\nfairness["age band"].dp_ratio >= 0.8 (90% CI, strict)\nlog_loss not worse\nauc not worse');
    const [ndcg, fair, logloss, auc] = gate.rules;
    assert.deepEqual(ndcg.kind === 'compare' && ndcg.left, { kind: 'ref', side: 'challenger', target: { kind: 'metric', metric: 'ndcg@10' }, text: 'ndcg@10' });
    assert.deepEqual(fair.kind === 'compare' && fair.left.kind === 'ref' && fair.left.target, { kind: 'fairness', sensitive: 'age band', measure: 'demographic_parity_ratio' });
    assert.deepEqual(fair.confidence, { level: 0.9, mode: 'strict' });
    assert.equal(logloss.kind === 'compare' && logloss.op, '<=');
    assert.equal(auc.kind === 'compare' && auc.op, '>=');
  });

  test('errors are LOOM_ERR_GATE_PARSE_ERROR at the right line and column', () => {
    assert.deepEqual(parseCode('auc >= 0.8\nchallanger.auc >= 0.7'), { code: 'LOOM_ERR_GATE_PARSE_ERROR', line: 2, column: 1 });
    assert.deepEqual(parseCode('auc >= champion.auc - 0.005 (95% C)'), { code: 'LOOM_ERR_GATE_PARSE_ERROR', line: 1, column: 34 });
    assert.deepEqual(parseCode('auc => 0.8'), { code: 'LOOM_ERR_GATE_PARSE_ERROR', line: 1, column: 5 });
    assert.deepEqual(parseCode('auc >= 0.8 0.9'), { code: 'LOOM_ERR_GATE_PARSE_ERROR', line: 1, column: 12 });
    assert.deepEqual(parseCode('no slice worse than 0.02'), { code: 'LOOM_ERR_GATE_PARSE_ERROR', line: 1, column: 16 });
    assert.deepEqual(parseCode('  |fairness.dp_dif| <= 0.1'), { code: 'LOOM_ERR_GATE_PARSE_ERROR', line: 1, column: 13 });
    assert.deepEqual(parseCode('|auc - 0.5 <= 0.1'), { code: 'LOOM_ERR_GATE_PARSE_ERROR', line: 1, column: 12 });
    assert.deepEqual(parseCode('widgets not worse'), { code: 'LOOM_ERR_GATE_PARSE_ERROR', line: 1, column: 13 });
    assert.deepEqual(parseCode('auc >= 0.8 (150% CI)'), { code: 'LOOM_ERR_GATE_PARSE_ERROR', line: 1, column: 13 });
    assert.deepEqual(parseCode('auc >= $'), { code: 'LOOM_ERR_GATE_PARSE_ERROR', line: 1, column: 8 });
    assert.deepEqual(parseCode('# only a comment\n\n'), { code: 'LOOM_ERR_GATE_PARSE_ERROR', line: 1, column: 1 });
    assert.deepEqual(parseCode('auc >='), { code: 'LOOM_ERR_GATE_PARSE_ERROR', line: 1, column: 7 });
  });
});

describe('gate evaluation', () => {
  const gate = parseGate('auc >= champion.auc - 0.005 (95% CI)');

  test('lenient CI: fails only when the challenger\'s whole interval is below the threshold', () => {
    const champion = report(HASH_B, { metrics: { auc: m(0.8, 0.78, 0.82) } });
    // threshold 0.795: upper bound 0.796 reaches it
    const close = evaluateGate(gate, { challenger: report(HASH_A, { metrics: { auc: m(0.77, 0.744, 0.796) } }), champion });
    assert.equal(close.passed, true);
    // upper bound 0.794 < 0.795
    const worse = evaluateGate(gate, { challenger: report(HASH_A, { metrics: { auc: m(0.77, 0.746, 0.794) } }), champion });
    assert.equal(worse.passed, false);
    assert.equal(worse.failed, 1);
    assert.equal(worse.rules[0].line, 1);
    assert.match(worse.rules[0].reason, /0\.794/);
  });

  test('strict CI: passes only when the whole interval keeps the rule; no clause compares point estimates', () => {
    const champion = report(HASH_B, { metrics: { auc: m(0.8, 0.78, 0.82) } });
    const challenger = report(HASH_A, { metrics: { auc: m(0.81, 0.794, 0.826) } });
    assert.equal(evaluateGate(parseGate('auc >= champion.auc - 0.005 (95% CI, strict)'), { challenger, champion }).passed, false);
    assert.equal(evaluateGate(parseGate('auc >= champion.auc - 0.005 (95% CI, strict)'), { challenger: report(HASH_A, { metrics: { auc: m(0.81, 0.796, 0.826) } }), champion }).passed, true);
    assert.equal(evaluateGate(parseGate('auc >= champion.auc + 0.011'), { challenger, champion }).passed, false);
    assert.equal(evaluateGate(parseGate('auc >= champion.auc + 0.009'), { challenger, champion }).passed, true);
  });

  test('an interval at another level is rescaled with normal quantiles', () => {
    // 95% half-width 0.0196 → 90% half-width 0.0196 · 1.644854 / 1.959964 = 0.016449
    const challenger = report(HASH_A, { metrics: { auc: m(0.8, 0.8 - 0.0196, 0.8 + 0.0196, 0.95) } });
    assert.equal(evaluateGate(parseGate('auc >= 0.8164 (90% CI)'), { challenger, champion: null }).passed, true);
    assert.equal(evaluateGate(parseGate('auc >= 0.8166 (90% CI)'), { challenger, champion: null }).passed, false);
  });

  test('a CI rule fails when the report has no interval; a missing metric fails and suggests a name', () => {
    const challenger = report(HASH_A, { metrics: { auc: m(0.9) } });
    const result = evaluateGate(parseGate('auc >= 0.5 (95% CI)\nacu >= 0.5'), { challenger, champion: null });
    assert.deepEqual(result.rules.map((r) => r.status), ['failed', 'failed']);
    assert.match(result.rules[0].reason, /no confidence interval/);
    assert.match(result.rules[1].reason, /did you mean "auc"/);
  });

  test('rules that need the champion are skipped on a first promotion; absolute rules still apply', () => {
    const result = evaluateGate(parseGate('auc >= champion.auc\nno slice worse by > 0.02\nauc >= 0.85'), { challenger: report(HASH_A), champion: null });
    assert.deepEqual(result.rules.map((r) => r.status), ['skipped', 'skipped', 'failed']);
    assert.equal(result.skipped, 2);
    assert.equal(result.passed, false);
  });

  test('no slice worse: direction-aware drops on shared slices, with the failing slice named', () => {
    const slice = (name: string, auc: number, rmse?: number) => ({ name, column: 'region', size: 100, metrics: { auc: m(auc, auc - 0.03, auc + 0.03), ...(rmse === undefined ? {} : { rmse: m(rmse) }) } });
    const champion = report(HASH_B, { slices: [slice('region = north', 0.8), slice('region = south', 0.75), slice('region = east', 0.7)] });
    const challenger = report(HASH_A, { slices: [slice('region = north', 0.79), slice('region = south', 0.72), slice('region = west', 0.5)] });
    const result = evaluateGate(parseGate('no slice worse by > 0.02'), { challenger, champion });
    assert.equal(result.passed, false);
    assert.deepEqual(result.rules[0].checks.filter((c) => !c.passed).map((c) => c.subject), ['region = south']);
    // with the lenient CI the south slice's upper bound 0.75 is not worse at all
    assert.equal(evaluateGate(parseGate('no slice worse by > 0.02 (95% CI)'), { challenger, champion }).passed, true);
    assert.equal(evaluateGate(parseGate('no slice worse by > 0.03'), { challenger, champion }).passed, true);
    assert.equal(evaluateGate(parseGate('no slice worse by >= 0.03'), { challenger, champion }).passed, false);
    const none = evaluateGate(parseGate('no slice worse by > 0.02'), { challenger: report(HASH_A), champion: report(HASH_B) });
    assert.equal(none.passed, false);
    assert.match(none.rules[0].reason, /no slice/);
  });

  test('fairness rules hold for every sensitive column; expected cost compares like matrices only', () => {
    const fairness = (sensitive: string, dpd: number) => ({
      sensitive,
      groups: [],
      demographic_parity_difference: dpd,
      demographic_parity_ratio: 0.9,
      equal_opportunity_difference: 0.01,
      equalized_odds_difference: 0.02,
    });
    const costs = (chosen: number, fp = 1) => ({ matrix: { tn: 0, fp, fn: 5, tp: 0 }, default_threshold: 0.5, default_expected_cost: 1, chosen_threshold: 0.3, chosen_expected_cost: chosen });
    const challenger = report(HASH_A, { fairness: [fairness('sex', -0.05), fairness('race', -0.12)], costs: costs(0.4) });
    const result = evaluateGate(parseGate('|fairness.dp_diff| <= 0.1\ncost not higher'), { challenger, champion: report(HASH_B, { costs: costs(0.41) }) });
    assert.deepEqual(result.rules.map((r) => r.status), ['failed', 'passed']);
    assert.deepEqual(result.rules[0].checks.map((c) => [c.subject, c.passed]), [['sex', true], ['race', false]]);
    assert.match(result.rules[0].reason, /^race: /);
    const otherMatrix = evaluateGate(parseGate('cost not higher'), { challenger, champion: report(HASH_B, { costs: costs(0.5, 2) }) });
    assert.match(otherMatrix.rules[0].reason, /different cost matrices/);
    const noFairness = evaluateGate(parseGate('fairness.dp_ratio >= 0.8'), { challenger: report(HASH_A), champion: null });
    assert.match(noFairness.rules[0].reason, /no fairness/);
  });

  test('reports on different data are LOOM_ERR_GATE_DATA_MISMATCH', () => {
    assert.throws(
      () => evaluateGate(gate, { challenger: report(HASH_A), champion: report(HASH_B, { data: { ref: 'churn@other1', rows: 1000 } }) }),
      (err: { code?: string }) => err.code === 'LOOM_ERR_GATE_DATA_MISMATCH',
    );
  });
});

test('normal quantiles match published values', () => {
  assert.ok(Math.abs(normalQuantile(0.975) - 1.959963984540054) < 1e-8);
  assert.ok(Math.abs(normalQuantile(0.95) - 1.6448536269514722) < 1e-8);
  assert.ok(Math.abs(normalQuantile(0.995) - 2.5758293035489004) < 1e-8);
  assert.ok(Math.abs(normalQuantile(0.001) + 3.090232306167813) < 1e-8);
  assert.equal(normalQuantile(0.5), 0);
});
