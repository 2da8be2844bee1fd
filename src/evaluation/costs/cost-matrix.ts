import { LoomError } from '../../core/errors/index.js';
import type { ConfusionCounts, CostReport } from '../evaluation-report.js';
import { confusionCounts } from '../metrics/binary-metrics.js';

/** The cost of each outcome of a binary decision, in any unit (money, minutes), per row. */
export interface CostMatrix {
  readonly tn: number;
  readonly fp: number;
  readonly fn: number;
  readonly tp: number;
}

/**
 * Parses `tn,fp,fn,tp` (four finite numbers ≥ 0, comma-separated, spaces allowed), e.g. `0,1,10,0`: a false alarm
 * costs 1 and a missed positive 10.
 *
 * @throws LOOM_ERR_EVAL_COST_MATRIX_INVALID naming the problem
 */
export function parseCostMatrix(text: string): CostMatrix {
  const parts = text.split(',').map((s) => s.trim());
  if (parts.length !== 4) throw invalid(text, `it has ${parts.length} value${parts.length === 1 ? '' : 's'}, not 4`);
  const values = parts.map((s) => (s === '' ? Number.NaN : Number(s)));
  const bad = values.findIndex((v) => !Number.isFinite(v));
  if (bad >= 0) throw invalid(text, `${['tn', 'fp', 'fn', 'tp'][bad]} = "${parts[bad]}" is not a finite number`);
  const negative = values.findIndex((v) => v < 0);
  if (negative >= 0) throw invalid(text, `${['tn', 'fp', 'fn', 'tp'][negative]} is negative; give costs (a gain is a smaller cost)`);
  const [tn, fp, fn, tp] = values;
  if (fp + tn === 0 && fn + tp === 0) throw invalid(text, 'every cost is 0, so every threshold is equally good');
  return Object.freeze({ tn, fp, fn, tp });
}

/** Mean cost per row of the decisions in `counts`. */
export function expectedCost(counts: ConfusionCounts, m: CostMatrix): number {
  const n = counts.tn + counts.fp + counts.fn + counts.tp;
  return n === 0 ? Number.NaN : (counts.tn * m.tn + counts.fp * m.fp + counts.fn * m.fn + counts.tp * m.tp) / n;
}

/**
 * The threshold that minimizes the expected cost on (y, p), with ŷ = 1 when p ≥ threshold. Every distinct way of
 * cutting the sorted scores is tried; the threshold reported for a cut is the midpoint between the scores on either
 * side (so it generalizes rather than sitting on one row's score), 0 for "everyone positive" and, for "no one
 * positive", midway between the top score and 1 (or the top score's next float when it is 1). Ties in cost go to the
 * threshold nearest `preferNear` (the default threshold), so a flat cost curve does not move the decision.
 */
export function minimumCostThreshold(y: Float64Array, p: Float64Array, m: CostMatrix, preferNear = 0.5): { threshold: number; cost: number } {
  const n = y.length;
  const order = Int32Array.from({ length: n }, (_, i) => i).sort((a, b) => p[b] - p[a]);
  let positives = 0;
  for (let i = 0; i < n; i++) if (y[i] > 0) positives++;
  // Start with no one predicted positive, then admit rows by descending score, a tie group at a time.
  let tp = 0;
  let fp = 0;
  const costOf = (): number => expectedCost({ tp, fp, fn: positives - tp, tn: n - positives - fp }, m);
  const top = n > 0 ? p[order[0]] : 1;
  let best = { threshold: top < 1 ? (top + 1) / 2 : nextUp(top), cost: costOf() };
  for (let k = 0; k < n; ) {
    const s = p[order[k]];
    while (k < n && p[order[k]] === s) (y[order[k]] > 0 ? tp++ : fp++, k++);
    const threshold = k < n ? (s + p[order[k]]) / 2 : 0;
    const cost = costOf();
    if (cost < best.cost - 1e-12 || (Math.abs(cost - best.cost) <= 1e-12 && Math.abs(threshold - preferNear) < Math.abs(best.threshold - preferNear))) best = { threshold, cost };
  }
  return best;
}

/** The cost report: expected cost per row at the default threshold and at the cost-minimizing one. */
export function costReport(y: Float64Array, p: Float64Array, m: CostMatrix, defaultThreshold: number): CostReport {
  const chosen = minimumCostThreshold(y, p, m, defaultThreshold);
  const atDefault = confusionCounts(y, p, defaultThreshold);
  const atChosen = confusionCounts(y, p, chosen.threshold);
  return {
    matrix: { tn: m.tn, fp: m.fp, fn: m.fn, tp: m.tp },
    default_threshold: defaultThreshold,
    default_expected_cost: expectedCost(atDefault, m),
    chosen_threshold: chosen.threshold,
    chosen_expected_cost: expectedCost(atChosen, m),
    default_confusion: atDefault,
    chosen_confusion: atChosen,
    rows: y.length,
  };
}

function nextUp(x: number): number {
  return x + Math.max(Number.EPSILON, Math.abs(x) * Number.EPSILON);
}

function invalid(value: string, problem: string): LoomError {
  return new LoomError('EVAL_COST_MATRIX_INVALID', { value, problem }, { details: { field: 'cost-matrix' } });
}
