import { LoomError } from '../../../core/errors/index.js';
import type { GbdtMetricName, GbdtObjectiveName } from '../params/gbdt-param-table.js';
import type { Objective } from './objective.js';
import { percentile, weightedPercentile } from './percentile.js';

/**
 * Shared parts of single-output objectives: label and weight binding with a finiteness check, the identity output,
 * the (weighted) label mean as starting score, and percentile leaf refits for the objectives that use them.
 */
export abstract class ObjectiveBase implements Objective {
  abstract readonly name: GbdtObjectiveName;
  abstract readonly defaultMetric: GbdtMetricName;
  readonly numTreesPerIteration: number = 1;
  readonly renewsLeafOutput: boolean = false;
  protected label: Float64Array = new Float64Array(0);
  protected weight: Float64Array | null = null;
  protected labelName = 'label';
  #order: Int32Array = new Int32Array(0);
  #cdf: Float64Array = new Float64Array(0);

  init(label: Float64Array, weight: Float64Array | null, labelName: string): void {
    this.label = label;
    this.weight = weight;
    this.labelName = labelName;
    for (let i = 0; i < label.length; i++) {
      if (!Number.isFinite(label[i])) this.reject(`row ${i} has ${label[i]}; every label must be a finite number`);
    }
    this.check();
  }

  /** Objective-specific label checks, after the finiteness check. @throws LOOM_ERR_GBDT_LABEL_INVALID */
  protected check(): void {}

  abstract gradients(score: Float64Array, grad: Float64Array, hess: Float64Array): void;

  boostFromScore(_classId: number): number {
    return this.weightedMean();
  }

  classNeedsTraining(_classId: number): boolean {
    return true;
  }

  convertOutput(raw: Float64Array, rawOffset: number, _rawStride: number, out: Float64Array, outOffset: number, _outStride: number): void {
    out[outOffset] = raw[rawOffset];
  }

  renewLeafOutput(_residuals: Float64Array, _weights: Float64Array | null, _count: number): number {
    throw new LoomError('CORE_INTERNAL', { problem: `objective ${this.name} does not refit leaves` });
  }

  /** The (weighted) mean label. */
  protected weightedMean(): number {
    const label = this.label;
    const weight = this.weight;
    let sum = 0;
    let sumW = 0;
    for (let i = 0; i < label.length; i++) {
      const w = weight === null ? 1 : weight[i];
      sum += label[i] * w;
      sumW += w;
    }
    return sumW > 0 ? sum / sumW : 0;
  }

  /** The (weighted) `alpha` percentile of `values[0 .. count)`, LightGBM's rule; may reorder the inputs. */
  protected percentileOf(values: Float64Array, weights: Float64Array | null, count: number, alpha: number): number {
    if (weights === null) return percentile(values, count, alpha);
    if (this.#order.length < count) {
      this.#order = new Int32Array(count);
      this.#cdf = new Float64Array(count);
    }
    return weightedPercentile(values, weights, count, alpha, this.#order, this.#cdf);
  }

  /** @throws LOOM_ERR_GBDT_LABEL_INVALID with `problem` */
  protected reject(problem: string): never {
    throw new LoomError('GBDT_LABEL_INVALID', { field: this.labelName, objective: this.name, problem }, { details: { field: this.labelName } });
  }
}
