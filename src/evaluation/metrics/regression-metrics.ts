import { L1Metric } from '../../models/gbdt/metric/l1-metric.js';
import { RmseMetric } from '../../models/gbdt/metric/rmse-metric.js';
import type { EvalMetric } from './eval-metric.js';

const rmse = new RmseMetric();
const l1 = new L1Metric();
/** scikit-learn's floor for |y| in MAPE, so a zero target gives a huge but finite error. */
const MAPE_EPSILON = 2.220446049250313e-16;

/** Regression metrics. */
export const REGRESSION_METRICS: readonly EvalMetric[] = [
  { name: 'rmse', tasks: ['regression'], higherIsBetter: false, description: 'root mean squared error', compute: (s) => (s.y.length === 0 ? Number.NaN : rmse.evaluate(s.p, s.y, null)) },
  { name: 'mae', tasks: ['regression'], higherIsBetter: false, description: 'mean absolute error', compute: (s) => (s.y.length === 0 ? Number.NaN : l1.evaluate(s.p, s.y, null)) },
  {
    name: 'r2',
    tasks: ['regression'],
    higherIsBetter: true,
    description: '1 − SSres/SStot; with a constant target, 1 for a perfect fit and 0 otherwise (scikit-learn)',
    compute: (s) => {
      const n = s.y.length;
      if (n === 0) return Number.NaN;
      let mean = 0;
      for (let i = 0; i < n; i++) mean += s.y[i];
      mean /= n;
      let res = 0;
      let tot = 0;
      for (let i = 0; i < n; i++) {
        res += (s.y[i] - s.p[i]) ** 2;
        tot += (s.y[i] - mean) ** 2;
      }
      if (tot === 0) return res === 0 ? 1 : 0;
      return 1 - res / tot;
    },
  },
  {
    name: 'mape',
    tasks: ['regression'],
    higherIsBetter: false,
    description: 'mean of |y − ŷ| / max(|y|, 2.2e-16), as a fraction (0.05 = 5%), as scikit-learn computes it',
    compute: (s) => {
      const n = s.y.length;
      if (n === 0) return Number.NaN;
      let sum = 0;
      for (let i = 0; i < n; i++) sum += Math.abs(s.y[i] - s.p[i]) / Math.max(Math.abs(s.y[i]), MAPE_EPSILON);
      return sum / n;
    },
  },
];
