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
  const report = fairnessReport(sample, { column: 'group', codes: groups, names: ['A', 'B'] }, BINARY_METRICS, boot);
  close(report.demographic_parity_difference, 0.4);
  close(report.equalized_odds_difference, 0.5);
  assert.deepEqual(report.groups.map((g) => [g.group, g.size]), [['A', 5], ['B', 5]]);
  close(report.groups[0].metrics.accuracy.value, 3 / 5);
  close(report.groups[1].base_rate!, 3 / 5);
  close(report.groups[1].mean_score!, (4 * 0.9 + 0.1) / 5);
  const ci = report.intervals!.demographic_parity_difference!;
  assert.ok(ci[0] <= 0.4 && 0.4 <= ci[1], `${ci}`);
  assert.deepEqual(fairnessReport(sample, { column: 'group', codes: groups, names: ['A', 'B'] }, BINARY_METRICS, boot).intervals, report.intervals);
});

test('a sensitive column with one group is a coded error', () => {
  assert.throws(
    () => fairnessReport(sample, { column: 'sex', codes: new Int32Array(10), names: ['Male'] }, BINARY_METRICS, boot),
    (e: unknown) => isLoomError(e) && e.code === 'LOOM_ERR_EVAL_SENSITIVE_ONE_GROUP' && e.details?.field === 'sex',
  );
});
