import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isLoomError } from '../../core/errors/index.js';
import { BINARY_METRICS } from '../metrics/binary-metrics.js';
import type { MetricSample } from '../metrics/metric-sample.js';
import { fairnessReport } from './fairness-report.js';
import { disparities, groupRates } from './group-rates.js';

const close = (a: number, b: number, tol = 1e-12): void => assert.ok(Math.abs(a - b) <= tol, `${a} vs ${b}`);
const boot = { resamples: 200, seed: 7, level: 0.95 };

// Hand-computed case. Scores 0.9 mean ŷ = 1 and 0.1 mean ŷ = 0 at threshold 0.5.
// Group A: y = 1 1 0 0 0, ŷ = 1 0 1 0 0 → selection 2/5, TPR 1/2, FPR 1/3.
// Group B: y = 1 1 1 0 0, ŷ = 1 1 1 1 0 → selection 4/5, TPR 3/3, FPR 1/2.
// Fairlearn: demographic_parity_difference = 0.8 − 0.4 = 0.4, ratio = 0.4/0.8 = 0.5;
// equal_opportunity_difference = 1 − 0.5 = 0.5; FPR difference = 1/2 − 1/3 = 1/6;
// equalized_odds_difference (agg='worst_case') = max(0.5, 1/6) = 0.5; equalized_odds_ratio = min(0.5/1, (1/3)/(1/2)) = 0.5.
const y = [1, 1, 0, 0, 0, 1, 1, 1, 0, 0];
const yhat = [1, 0, 1, 0, 0, 1, 1, 1, 1, 0];
const groups = Int32Array.from([0, 0, 0, 0, 0, 1, 1, 1, 1, 1]);
const sample: MetricSample = { y: Float64Array.from(y), p: Float64Array.from(yhat, (v) => (v ? 0.9 : 0.1)), k: 1, threshold: 0.5, query: null };

test('group rates and disparities match Fairlearn on a hand-computed case', () => {
  const rates = groupRates(sample.y, sample.p, groups, 2, 0.5);
  close(rates[0].selection_rate, 0.4);
  close(rates[0].true_positive_rate, 0.5);
  close(rates[0].false_positive_rate, 1 / 3);
  close(rates[1].selection_rate, 0.8);
  close(rates[1].true_positive_rate, 1);
  close(rates[1].false_positive_rate, 0.5);
  const d = disparities(rates);
  close(d.demographic_parity_difference, 0.4);
  close(d.demographic_parity_ratio, 0.5);
  close(d.equal_opportunity_difference, 0.5);
  close(d.false_positive_rate_difference, 1 / 6);
  close(d.equalized_odds_difference, 0.5);
  close(d.equalized_odds_ratio, 0.5);
});

test('equalized odds takes the FPR gap when it is the larger one', () => {
  // A: y = 1 0 0 0, ŷ = 1 1 1 0 → TPR 1, FPR 2/3. B: y = 1 0 0 0, ŷ = 1 0 0 0 → TPR 1, FPR 0.
  const rates = groupRates(Float64Array.from([1, 0, 0, 0, 1, 0, 0, 0]), Float64Array.from([1, 1, 1, 0, 1, 0, 0, 0]), Int32Array.from([0, 0, 0, 0, 1, 1, 1, 1]), 2, 0.5);
  const d = disparities(rates);
  close(d.equal_opportunity_difference, 0);
  close(d.equalized_odds_difference, 2 / 3);
  close(d.equalized_odds_ratio, 0); // FPR ratio 0 / (2/3)
});

test('a group without positives has TPR 0 (scikit-learn normalized confusion matrix, as Fairlearn uses)', () => {
  const rates = groupRates(Float64Array.from([0, 0, 1, 0]), Float64Array.from([1, 0, 1, 0]), Int32Array.from([0, 0, 1, 1]), 2, 0.5);
  assert.equal(rates[0].true_positive_rate, 0);
  close(rates[0].false_positive_rate, 0.5);
  close(disparities(rates).equal_opportunity_difference, 1);
});

test('fairnessReport: the figures, per-group metrics and calibration, and seeded intervals that bracket the value', () => {
  const report = fairnessReport(sample, { column: 'group', codes: groups, names: ['A', 'B'] }, BINARY_METRICS, boot, 1);
  close(report.demographic_parity_difference, 0.4);
  close(report.equalized_odds_difference, 0.5);
  assert.deepEqual(report.groups.map((g) => [g.group, g.size]), [['A', 5], ['B', 5]]);
  close(report.groups[0].metrics.accuracy.value, 3 / 5);
  close(report.groups[1].base_rate!, 3 / 5);
  close(report.groups[1].mean_score!, (4 * 0.9 + 0.1) / 5);
  const ci = report.intervals!.demographic_parity_difference!;
  assert.ok(ci[0] <= 0.4 && 0.4 <= ci[1], `${ci}`);
  assert.deepEqual(fairnessReport(sample, { column: 'group', codes: groups, names: ['A', 'B'] }, BINARY_METRICS, boot, 1).intervals, report.intervals);
});

test('a sensitive column with one group is a coded error', () => {
  assert.throws(
    () => fairnessReport(sample, { column: 'sex', codes: new Int32Array(10), names: ['Male'] }, BINARY_METRICS, boot, 1),
    (e: unknown) => isLoomError(e) && e.code === 'LOOM_ERR_EVAL_SENSITIVE_ONE_GROUP' && e.details?.field === 'sex',
  );
});

// Minimum group size. A: 40 rows, 20 positives, 10 of them and 5 of the negatives selected → selection 15/40, TPR 1/2,
// FPR 1/4. B: 40 rows, 20 positives, 16 and 2 selected → selection 18/40, TPR 4/5, FPR 1/10. C: 3 rows, y = 1 1 0,
// ŷ = 0 0 1 → selection 1/3, TPR 0, FPR 1.
function threeGroups(): { sample: MetricSample; codes: Int32Array } {
  const y: number[] = [];
  const yhat: number[] = [];
  const codes: number[] = [];
  const add = (g: number, pos: number, posSel: number, neg: number, negSel: number): void => {
    for (let i = 0; i < pos; i++) (y.push(1), yhat.push(i < posSel ? 1 : 0), codes.push(g));
    for (let i = 0; i < neg; i++) (y.push(0), yhat.push(i < negSel ? 1 : 0), codes.push(g));
  };
  add(0, 20, 10, 20, 5);
  add(1, 20, 16, 20, 2);
  add(2, 2, 0, 1, 1);
  return { sample: { y: Float64Array.from(y), p: Float64Array.from(yhat, (v) => (v ? 0.9 : 0.1)), k: 1, threshold: 0.5, query: null }, codes: Int32Array.from(codes) };
}

test('groups below the minimum size are listed and flagged, and left out of the gaps and their intervals', () => {
  const { sample: s3, codes } = threeGroups();
  const report = fairnessReport(s3, { column: 'band', codes, names: ['A', 'B', 'C'] }, BINARY_METRICS, boot);
  assert.equal(report.min_group_size, 30);
  assert.deepEqual(report.excluded_groups, ['C']);
  assert.deepEqual(report.groups.map((g) => [g.group, g.size, g.below_min_group_size]), [['A', 40, false], ['B', 40, false], ['C', 3, true]]);
  close(report.groups[2].true_positive_rate!, 0);
  // Over A and B only: 18/40 − 15/40, (15/40)/(18/40), 4/5 − 1/2, max(0.3, 1/4 − 1/10).
  close(report.demographic_parity_difference, 0.075);
  close(report.demographic_parity_ratio, 15 / 18);
  close(report.equal_opportunity_difference, 0.3);
  close(report.equalized_odds_difference, 0.3);
  const ci = report.intervals!.equal_opportunity_difference!;
  assert.ok(ci[1] < 0.8, `the interval ${ci} never takes C's TPR of 0 into the gap`);
  // With the minimum at 1, C is compared too: 0.45 − 1/3, 4/5 − 0, max(0.8, 1 − 1/10).
  const all = fairnessReport(s3, { column: 'band', codes, names: ['A', 'B', 'C'] }, BINARY_METRICS, boot, 1);
  assert.deepEqual(all.excluded_groups, []);
  close(all.demographic_parity_difference, 0.45 - 1 / 3);
  close(all.equal_opportunity_difference, 0.8);
  close(all.equalized_odds_difference, 0.9);
});

test('fewer than two groups of the minimum size is a coded error naming the column', () => {
  const { sample: s3, codes } = threeGroups();
  const tooSmall = (e: unknown): boolean => isLoomError(e) && e.code === 'LOOM_ERR_EVAL_SENSITIVE_GROUPS_TOO_SMALL' && e.details?.field === 'band';
  // A and B have 40 rows each, so a minimum of 41 leaves no group to compare.
  assert.throws(() => fairnessReport(s3, { column: 'band', codes, names: ['A', 'B', 'C'] }, BINARY_METRICS, boot, 41), tooSmall);
  // One large group and one small one: there is no gap to measure.
  const twoCodes = Int32Array.from(codes, (c) => (c === 2 ? 1 : 0));
  const twoRows = Int32Array.from({ length: codes.length }, (_, i) => i).filter((i) => codes[i] !== 1);
  const sub = { ...s3, y: Float64Array.from(twoRows, (i) => s3.y[i]), p: Float64Array.from(twoRows, (i) => s3.p[i]) };
  assert.throws(() => fairnessReport(sub, { column: 'band', codes: Int32Array.from(twoRows, (i) => twoCodes[i]), names: ['A', 'C'] }, BINARY_METRICS, boot), tooSmall);
  assert.equal(fairnessReport(s3, { column: 'band', codes, names: ['A', 'B', 'C'] }, BINARY_METRICS, boot, 40).excluded_groups!.length, 1, '40 rows meet a minimum of 40');
});
