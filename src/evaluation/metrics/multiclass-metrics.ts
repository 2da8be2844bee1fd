import { MultiLoglossMetric } from '../../models/gbdt/metric/multi-logloss-metric.js';
import type { EvalMetric } from './eval-metric.js';
import type { MetricSample } from './metric-sample.js';

/** The arg-max class of each row of a class-major sample (ties to the lower class index). */
export function argmaxClasses(s: MetricSample): Int32Array {
  const n = s.y.length;
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    let best = 0;
    for (let c = 1; c < s.k; c++) if (s.p[c * n + i] > s.p[best * n + i]) best = c;
    out[i] = best;
  }
  return out;
}

const logloss = new MultiLoglossMetric();

/** Multiclass metrics; the decision is the arg-max class. */
export const MULTICLASS_METRICS: readonly EvalMetric[] = [
  { name: 'log_loss', tasks: ['multiclass'], higherIsBetter: false, description: 'mean −log p(true class), p floored at 1e-15', compute: (s) => (s.y.length === 0 ? Number.NaN : logloss.evaluate(s.p, s.y, null)) },
  {
    name: 'accuracy',
    tasks: ['multiclass'],
    higherIsBetter: true,
    description: 'share of rows whose arg-max class is the true class',
    compute: (s) => {
      if (s.y.length === 0) return Number.NaN;
      const pred = argmaxClasses(s);
      let ok = 0;
      for (let i = 0; i < pred.length; i++) if (pred[i] === s.y[i]) ok++;
      return ok / pred.length;
    },
  },
  {
    name: 'f1_macro',
    tasks: ['multiclass'],
    higherIsBetter: true,
    description: 'unweighted mean over classes of the one-vs-rest F1 of the arg-max decision',
    compute: (s) => {
      if (s.y.length === 0) return Number.NaN;
      const pred = argmaxClasses(s);
      const tp = new Float64Array(s.k);
      const fp = new Float64Array(s.k);
      const fn = new Float64Array(s.k);
      for (let i = 0; i < pred.length; i++) {
        if (pred[i] === s.y[i]) tp[pred[i]]++;
        else (fp[pred[i]]++, fn[s.y[i]]++);
      }
      let sum = 0;
      for (let c = 0; c < s.k; c++) {
        const d = 2 * tp[c] + fp[c] + fn[c];
        sum += d === 0 ? 0 : (2 * tp[c]) / d;
      }
      return sum / s.k;
    },
  },
];
