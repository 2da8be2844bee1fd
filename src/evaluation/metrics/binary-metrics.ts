import { AucMetric } from '../../models/gbdt/metric/auc-metric.js';
import { BinaryLoglossMetric } from '../../models/gbdt/metric/binary-logloss-metric.js';
import { L2Metric } from '../../models/gbdt/metric/l2-metric.js';
import type { ConfusionCounts } from '../evaluation-report.js';
import type { EvalMetric } from './eval-metric.js';
import type { MetricSample } from './metric-sample.js';

/** Decisions at `threshold` (ŷ = 1 when p ≥ threshold) against 0/1 labels. */
export function confusionCounts(y: Float64Array, p: Float64Array, threshold: number): ConfusionCounts {
  let tn = 0;
  let fp = 0;
  let fn = 0;
  let tp = 0;
  for (let i = 0; i < y.length; i++) {
    const predicted = p[i] >= threshold;
    if (y[i] > 0) predicted ? tp++ : fn++;
    else predicted ? fp++ : tn++;
  }
  return { tn, fp, fn, tp };
}

/**
 * Average precision (the area under the precision–recall curve as a step sum, scikit-learn's
 * `average_precision_score`): Σ over distinct score thresholds, descending, of (Rₜ − Rₜ₋₁)·Pₜ. Tied scores form one
 * threshold. NaN without positives. Sorts positive and negative scores apart with native numeric sorts.
 */
export function averagePrecision(y: Float64Array, p: Float64Array): number {
  let np = 0;
  for (let i = 0; i < y.length; i++) if (y[i] > 0) np++;
  if (np === 0) return Number.NaN;
  const ps = new Float64Array(np);
  const ns = new Float64Array(y.length - np);
  for (let i = 0, a = 0, b = 0; i < y.length; i++) {
    if (y[i] > 0) ps[a++] = p[i];
    else ns[b++] = p[i];
  }
  ps.sort();
  ns.sort();
  let i = ps.length - 1;
  let j = ns.length - 1;
  let tp = 0;
  let fp = 0;
  let ap = 0;
  while (i >= 0) {
    const s = Math.max(ps[i], j >= 0 ? ns[j] : -Infinity);
    let dtp = 0;
    while (i >= 0 && ps[i] === s) (i--, dtp++);
    while (j >= 0 && ns[j] === s) (j--, fp++);
    tp += dtp;
    ap += (dtp / ps.length) * (tp / (tp + fp));
  }
  return ap;
}

/**
 * AUC of a sample whose scores are ascending, in one sweep over tie groups: each positive counts the negatives below
 * it plus half the tied ones (the same Mann–Whitney statistic AucMetric computes by sorting).
 */
export function aucOfSorted(y: Float64Array, p: Float64Array): number {
  let below = 0;
  let sum = 0;
  let pos = 0;
  for (let i = 0; i < y.length; ) {
    const s = p[i];
    let gp = 0;
    let gn = 0;
    while (i < y.length && p[i] === s) (y[i] > 0 ? gp++ : gn++, i++);
    sum += gp * (below + 0.5 * gn);
    below += gn;
    pos += gp;
  }
  return pos === 0 || below === 0 ? Number.NaN : sum / (pos * below);
}

/** Average precision of a sample whose scores are ascending (see averagePrecision). */
export function averagePrecisionOfSorted(y: Float64Array, p: Float64Array): number {
  let positives = 0;
  for (let i = 0; i < y.length; i++) if (y[i] > 0) positives++;
  if (positives === 0) return Number.NaN;
  let tp = 0;
  let seen = 0;
  let ap = 0;
  for (let i = y.length - 1; i >= 0; ) {
    const s = p[i];
    let dtp = 0;
    while (i >= 0 && p[i] === s) (y[i] > 0 ? dtp++ : 0, seen++, i--);
    tp += dtp;
    ap += (dtp / positives) * (tp / seen);
  }
  return ap;
}

const auc = new AucMetric();
const logloss = new BinaryLoglossMetric();
const l2 = new L2Metric();

function hasBothClasses(y: Float64Array): boolean {
  let pos = 0;
  for (let i = 0; i < y.length; i++) if (y[i] > 0) pos++;
  return pos > 0 && pos < y.length;
}

function ratio(a: number, b: number): number {
  // scikit-learn's zero_division default: an empty denominator scores 0.
  return b === 0 ? 0 : a / b;
}

// The four threshold metrics read the same counts; a bootstrap computes them on each resample, so count once.
const countsOf = new WeakMap<MetricSample, ConfusionCounts>();

function atThreshold(s: MetricSample, f: (c: ConfusionCounts) => number): number {
  if (s.y.length === 0) return Number.NaN;
  let counts = countsOf.get(s);
  if (counts === undefined) {
    counts = confusionCounts(s.y, s.p, s.threshold);
    countsOf.set(s, counts);
  }
  return f(counts);
}

/** Binary classification metrics. Threshold metrics decide ŷ = 1 when p ≥ sample.threshold. */
export const BINARY_METRICS: readonly EvalMetric[] = [
  {
    name: 'auc',
    tasks: ['binary'],
    higherIsBetter: true,
    description: 'area under the ROC curve (ties count half); undefined with one class',
    compute: (s) => (s.sorted ? aucOfSorted(s.y, s.p) : hasBothClasses(s.y) ? auc.evaluate(s.p, s.y, null) : Number.NaN),
  },
  { name: 'pr_auc', tasks: ['binary'], higherIsBetter: true, description: 'average precision (step-wise area under the precision–recall curve)', compute: (s) => (s.sorted ? averagePrecisionOfSorted(s.y, s.p) : averagePrecision(s.y, s.p)) },
  { name: 'log_loss', tasks: ['binary'], higherIsBetter: false, description: 'mean −log p(true class), p floored at 1e-15', compute: (s) => (s.y.length === 0 ? Number.NaN : logloss.evaluate(s.p, s.y, null)) },
  { name: 'brier', tasks: ['binary'], higherIsBetter: false, description: 'mean squared error of the probability', compute: (s) => (s.y.length === 0 ? Number.NaN : l2.evaluate(s.p, s.y, null)) },
  { name: 'accuracy', tasks: ['binary'], higherIsBetter: true, description: 'share of correct decisions at the threshold', compute: (s) => atThreshold(s, (c) => (c.tp + c.tn) / (c.tp + c.tn + c.fp + c.fn)) },
  { name: 'precision', tasks: ['binary'], higherIsBetter: true, description: 'TP / (TP + FP) at the threshold (0 when nothing is predicted positive)', compute: (s) => atThreshold(s, (c) => ratio(c.tp, c.tp + c.fp)) },
  { name: 'recall', tasks: ['binary'], higherIsBetter: true, description: 'TP / (TP + FN) at the threshold (the true positive rate)', compute: (s) => atThreshold(s, (c) => ratio(c.tp, c.tp + c.fn)) },
  { name: 'f1', tasks: ['binary'], higherIsBetter: true, description: 'harmonic mean of precision and recall at the threshold', compute: (s) => atThreshold(s, (c) => ratio(2 * c.tp, 2 * c.tp + c.fp + c.fn)) },
];
