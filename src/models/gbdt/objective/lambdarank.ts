import { LoomError } from '../../../core/errors/index.js';
import { DISCOUNT, labelGains, maxDcgAt, rankingLabelProblem } from '../metric/dcg.js';
import { ObjectiveBase } from './objective-base.js';

/** Entries of LightGBM's sigmoid lookup table (2^20). */
const SIGMOID_BINS = 1024 * 1024;
/** LightGBM adds this float constant to |score difference| when lambdarank_norm divides by it. */
const NORM_OFFSET = Math.fround(0.01);

/**
 * Sigmoid tables by slope; building one is 2^20 exponentials (8 MB), so objectives with the same sigmoid share it.
 * Only the most recently built few are kept, so a search over many sigmoid values does not pile them up.
 */
const SIGMOID_TABLES = new Map<number, SigmoidTable>();
const MAX_CACHED_TABLES = 4;

/**
 * LightGBM's tabulated pair weight 1/(1 + exp(σ·d)) for score differences d: 2^20 bins evenly over
 * [−25/σ, 25/σ), a difference taking the value at its bin's left edge and clamped to the end bins outside the range.
 * Loom uses the same table, so gradients match LightGBM's rather than the exact sigmoid (they differ by up to the
 * change of the sigmoid over one bin, about 1.2e-5 at σ = 1).
 */
interface SigmoidTable {
  readonly values: Float64Array;
  readonly min: number;
  readonly max: number;
  readonly factor: number;
}

function sigmoidTable(sigmoid: number): SigmoidTable {
  const cached = SIGMOID_TABLES.get(sigmoid);
  if (cached !== undefined) return cached;
  const min = -50 / sigmoid / 2;
  const max = -min;
  const factor = SIGMOID_BINS / (max - min);
  const values = new Float64Array(SIGMOID_BINS);
  for (let i = 0; i < SIGMOID_BINS; i++) values[i] = 1 / (1 + Math.exp((i / factor + min) * sigmoid));
  const table = { values, min, max, factor };
  if (SIGMOID_TABLES.size >= MAX_CACHED_TABLES) SIGMOID_TABLES.delete(SIGMOID_TABLES.keys().next().value!);
  SIGMOID_TABLES.set(sigmoid, table);
  return table;
}

/**
 * LambdaRank for NDCG (LambdaMART), computed as LightGBM v4 does. Per query, documents are ranked by current score
 * (stable, descending). Every pair (i, j) with different labels where the better-ranked one is within the top
 * `truncationLevel` contributes, with h the higher-labelled and l the lower-labelled document and d = s_h − s_l:
 *
 *   ΔNDCG = (gain[y_h] − gain[y_l]) · |disc(rank_h) − disc(rank_l)| / maxDCG@truncationLevel,
 *   divided by (0.01 + |d|) when `norm` (and the query's scores are not all equal),
 *   ρ = 1/(1 + exp(σ·d)) (LightGBM's lookup table), λ = −σ·ρ·ΔNDCG, w = σ²·ρ(1 − ρ)·ΔNDCG,
 *   g_h += λ, g_l −= λ, h_h += w, h_l += w,
 *
 * and with `norm` a query's gradients and hessians are scaled by log2(1 + Σ|2λ|)/Σ|2λ|. disc(r) = 1/log2(2 + r),
 * 0-based rank r. Row weights multiply a row's gradient and hessian. Gradients and hessians accumulate in 32-bit
 * floats with LightGBM's operation order (bench/gbdt/lambdarank-check.ts grows LightGBM's trees on its ranking
 * example). Training starts from score 0 (there is no boost_from_average for ranking); the output is the raw score.
 */
export class Lambdarank extends ObjectiveBase {
  readonly name = 'lambdarank';
  readonly defaultMetric = 'ndcg';
  readonly #sigmoid: number;
  readonly #norm: boolean;
  readonly #truncation: number;
  readonly #gains: Float64Array;
  #bounds: Int32Array = new Int32Array(1);
  #inverseMaxDcg: Float64Array = new Float64Array(0);
  #table: SigmoidTable | null = null;
  // Per-query work space, sized to the largest query.
  #order: number[] = [];
  #lambdas: Float32Array = new Float32Array(0);
  #hessians: Float32Array = new Float32Array(0);

  constructor(sigmoid: number, norm: boolean, truncationLevel: number, labelGain: readonly number[]) {
    super();
    this.#sigmoid = sigmoid;
    this.#norm = norm;
    this.#truncation = truncationLevel;
    this.#gains = labelGains(labelGain);
  }

  /** @throws LOOM_ERR_GBDT_GROUP_MISSING without query boundaries; LOOM_ERR_GBDT_LABEL_INVALID for a bad grade. */
  override init(label: Float64Array, weight: Float64Array | null, labelName: string, queryBoundaries: Int32Array | null = null): void {
    if (queryBoundaries === null) throw new LoomError('GBDT_GROUP_MISSING', { what: 'The lambdarank objective', dataset: 'training' }, { details: { field: 'group_column' } });
    this.#bounds = queryBoundaries;
    super.init(label, weight, labelName);
  }

  protected override check(): void {
    const label = this.label;
    for (let i = 0; i < label.length; i++) {
      const problem = rankingLabelProblem(label[i], this.#gains.length);
      if (problem !== null) this.reject(`row ${i} is ${problem}`);
    }
    const bounds = this.#bounds;
    const numQueries = bounds.length - 1;
    this.#inverseMaxDcg = new Float64Array(numQueries);
    const counts = new Int32Array(this.#gains.length);
    const ks = [this.#truncation];
    const out = new Float64Array(1);
    let largest = 0;
    for (let q = 0; q < numQueries; q++) {
      maxDcgAt(ks, label, bounds[q], bounds[q + 1], this.#gains, counts, out);
      this.#inverseMaxDcg[q] = out[0] > 0 ? 1 / out[0] : out[0];
      largest = Math.max(largest, bounds[q + 1] - bounds[q]);
    }
    this.#order = new Array<number>(largest);
    this.#lambdas = new Float32Array(largest);
    this.#hessians = new Float32Array(largest);
    this.#table = sigmoidTable(this.#sigmoid);
  }

  override boostFromScore(): number {
    return 0;
  }

  gradients(score: Float64Array, grad: Float64Array, hess: Float64Array): void {
    const bounds = this.#bounds;
    const weight = this.weight;
    const lambdas = this.#lambdas;
    const hessians = this.#hessians;
    for (let q = 0; q + 1 < bounds.length; q++) {
      const start = bounds[q];
      const count = bounds[q + 1] - start;
      this.#query(q, start, count, score);
      for (let i = 0; i < count; i++) {
        if (weight === null) {
          grad[start + i] = lambdas[i];
          hess[start + i] = hessians[i];
        } else {
          // LightGBM keeps weights and gradients as 32-bit floats.
          const w = Math.fround(weight[start + i]);
          grad[start + i] = Math.fround(lambdas[i] * w);
          hess[start + i] = Math.fround(hessians[i] * w);
        }
      }
    }
  }

  /** Fills lambdas/hessians[0 .. count) for the query of rows start .. start + count. */
  #query(q: number, start: number, count: number, score: Float64Array): void {
    const label = this.label;
    const gains = this.#gains;
    const lambdas = this.#lambdas;
    const hessians = this.#hessians;
    const table = this.#table!;
    const sigmoid = this.#sigmoid;
    const inverseMaxDcg = this.#inverseMaxDcg[q];
    lambdas.fill(0, 0, count);
    hessians.fill(0, 0, count);
    const order = this.#order;
    order.length = count;
    for (let i = 0; i < count; i++) order[i] = start + i;
    // Descending by score; ties keep row order (LightGBM's stable sort).
    order.sort((a, b) => (score[b] > score[a] ? 1 : score[b] < score[a] ? -1 : a - b));
    const bestScore = score[order[0]];
    let worst = count - 1;
    if (worst > 0 && score[order[worst]] === Number.NEGATIVE_INFINITY) worst--;
    const normalize = this.#norm && bestScore !== score[order[worst]];
    let sumLambdas = 0;
    for (let i = 0; i < count - 1 && i < this.#truncation; i++) {
      const rowI = order[i];
      if (score[rowI] === Number.NEGATIVE_INFINITY) continue;
      const labelI = label[rowI];
      for (let j = i + 1; j < count; j++) {
        const rowJ = order[j];
        if (score[rowJ] === Number.NEGATIVE_INFINITY) continue;
        const labelJ = label[rowJ];
        if (labelI === labelJ) continue;
        const iHigh = labelI > labelJ;
        const high = iHigh ? rowI : rowJ;
        const low = iHigh ? rowJ : rowI;
        const highRank = iHigh ? i : j;
        const lowRank = iHigh ? j : i;
        const delta = score[high] - score[low];
        let deltaNdcg = (gains[Math.trunc(label[high])] - gains[Math.trunc(label[low])]) * Math.abs(DISCOUNT[highRank] - DISCOUNT[lowRank]) * inverseMaxDcg;
        if (normalize) deltaNdcg /= NORM_OFFSET + Math.abs(delta);
        const rho = delta <= table.min ? table.values[0] : delta >= table.max ? table.values[SIGMOID_BINS - 1] : table.values[Math.trunc((delta - table.min) * table.factor)];
        // The same operation order as LightGBM, so the doubles agree to the last bit.
        const lambda = rho * (-sigmoid * deltaNdcg);
        const hessian = rho * (1 - rho) * (sigmoid * sigmoid * deltaNdcg);
        const lambda32 = Math.fround(lambda);
        const hessian32 = Math.fround(hessian);
        // Float32Array stores round each sum to a float, which is what LightGBM's float accumulation computes.
        lambdas[low - start] -= lambda32;
        hessians[low - start] += hessian32;
        lambdas[high - start] += lambda32;
        hessians[high - start] += hessian32;
        sumLambdas -= 2 * lambda;
      }
    }
    if (this.#norm && sumLambdas > 0) {
      const factor = Math.log2(1 + sumLambdas) / sumLambdas;
      for (let i = 0; i < count; i++) {
        lambdas[i] *= factor;
        hessians[i] *= factor;
      }
    }
  }
}
