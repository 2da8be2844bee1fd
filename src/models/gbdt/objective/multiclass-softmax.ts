import { webAssemblyApi } from '../wasm/assembler.js';
import { ObjectiveBase } from './objective-base.js';
import { GradientKernel, type TrainingBuffers } from './gradient-kernel.js';

/** LightGBM's kEpsilon (a float 1e-15). */
const EPSILON = Math.fround(1e-15);

/**
 * A row's hessian is at least this times its |gradient|. Softmax hessians vanish exactly where the model is sure and
 * wrong (p of the true class near 0, or of another class near 1) while the gradient stays near ±1, so a leaf of such
 * rows gets a Newton step −G/H in the thousands, and rare classes make training diverge (LightGBM does on KDD Cup 99
 * at its defaults). With the floor, every leaf value is at most 1/MULTICLASS_HESSIAN_FLOOR in size before shrinkage;
 * rows the model predicts sensibly (p of the true class above about this value) are not affected.
 */
export const MULTICLASS_HESSIAN_FLOOR = 0.05;

/** Rows per block of the gradient pass: numClass × this many exponentials stay in L1/L2 cache. */
const GRADIENT_BLOCK = 256;

/**
 * Softmax over `numClass` raw scores, one tree per class per iteration. Labels are integers 0..numClass−1 and at least
 * two classes must occur. For class k: gradient p_k − [y = k], hessian K/(K−1)·p_k·(1 − p_k), times the row weight.
 * Class k starts from log(max(ε, prior_k)); a class that is absent or is every row is not trained.
 */
export class MulticlassSoftmax extends ObjectiveBase {
  readonly name = 'multiclass';
  readonly defaultMetric = 'multi_logloss';
  override readonly numTreesPerIteration: number;
  readonly #factor: number;
  readonly #prior: Float64Array;
  readonly #blockExp: Float64Array;
  readonly #blockMax = new Float64Array(GRADIENT_BLOCK);
  readonly #blockSum = new Float64Array(GRADIENT_BLOCK);
  /** The WebAssembly gradient pass (same bits), or null where WebAssembly is unavailable. */
  readonly #kernel: GradientKernel | null;

  /** `useKernel: false` keeps the JavaScript loop (tests compare the two). */
  constructor(numClass: number, useKernel = true) {
    super();
    this.numTreesPerIteration = numClass;
    this.#factor = numClass / (numClass - 1);
    this.#prior = new Float64Array(numClass);
    this.#blockExp = new Float64Array(numClass * GRADIENT_BLOCK);
    this.#kernel = useKernel ? GradientKernel.create(webAssemblyApi(), numClass) : null;
  }

  protected override check(): void {
    const k = this.numTreesPerIteration;
    this.#prior.fill(0);
    let total = 0;
    for (let i = 0; i < this.label.length; i++) {
      const y = this.label[i];
      if (!Number.isInteger(y) || y < 0 || y >= k) this.reject(`row ${i} is ${y}; multiclass labels must be integers 0..${k - 1} (num_class = ${k})`);
      const w = this.weight === null ? 1 : this.weight[i];
      this.#prior[y] += w;
      total += w;
    }
    let present = 0;
    for (let c = 0; c < k; c++) {
      if (this.#prior[c] > 0) present++;
      this.#prior[c] = total > 0 ? this.#prior[c] / total : 0;
    }
    if (present < 2) this.reject('only one class occurs; a classifier needs at least two');
  }

  /**
   * Works through the rows in blocks of GRADIENT_BLOCK, class by class inside a block, so every read and write runs
   * along one class's contiguous segment instead of striding across numClass segments per row. Each row's maximum,
   * exponentials and their sum (in class order) are computed exactly as convertOutput does, so the bits are the same.
   * With WebAssembly the same pass runs in gradient-kernel.ts, two rows at a time, with the same bits.
   */
  gradients(score: Float64Array, grad: Float64Array, hess: Float64Array): void {
    if (this.#kernel !== null) {
      this.#kernel.softmax(score, this.label, this.weight, this.#factor, MULTICLASS_HESSIAN_FLOOR, grad, hess);
      return;
    }
    const label = this.label;
    const weight = this.weight;
    const n = label.length;
    const k = this.numTreesPerIteration;
    const factor = this.#factor;
    const e = this.#blockExp;
    const max = this.#blockMax;
    const sum = this.#blockSum;
    for (let start = 0; start < n; start += GRADIENT_BLOCK) {
      const rows = Math.min(GRADIENT_BLOCK, n - start);
      max.fill(Number.NEGATIVE_INFINITY);
      sum.fill(0);
      for (let c = 0; c < k; c++) {
        const base = c * n + start;
        for (let r = 0; r < rows; r++) max[r] = Math.max(max[r], score[base + r]);
      }
      for (let c = 0; c < k; c++) {
        const base = c * n + start;
        const at = c * GRADIENT_BLOCK;
        for (let r = 0; r < rows; r++) {
          const v = Math.exp(score[base + r] - max[r]);
          e[at + r] = v;
          sum[r] += v;
        }
      }
      for (let c = 0; c < k; c++) {
        const base = c * n + start;
        const at = c * GRADIENT_BLOCK;
        for (let r = 0; r < rows; r++) {
          const i = start + r;
          const p = e[at + r] / sum[r];
          const w = weight === null ? 1 : weight[i];
          const g = c === label[i] ? p - 1 : p;
          const h = factor * p * (1 - p);
          const floor = MULTICLASS_HESSIAN_FLOOR * Math.abs(g);
          grad[base + r] = g * w;
          hess[base + r] = (h > floor ? h : floor) * w;
        }
      }
    }
  }

  /** Training arrays in the kernel's memory, so the gradient pass runs on them without copies (null without it). */
  trainingBuffers(length: number, shared = false): TrainingBuffers | null {
    if (this.#kernel === null || length !== this.numTreesPerIteration * this.label.length) return null;
    return this.#kernel.buffers(this.label, this.weight, shared);
  }

  override boostFromScore(classId: number): number {
    return Math.log(Math.max(EPSILON, this.#prior[classId]));
  }

  override classNeedsTraining(classId: number): boolean {
    const prior = this.#prior[classId];
    return prior > EPSILON && prior < 1 - EPSILON;
  }

  override convertOutput(raw: Float64Array, rawOffset: number, rawStride: number, out: Float64Array, outOffset: number, outStride: number): void {
    const k = this.numTreesPerIteration;
    let max = Number.NEGATIVE_INFINITY;
    for (let c = 0; c < k; c++) max = Math.max(max, raw[rawOffset + c * rawStride]);
    let sum = 0;
    for (let c = 0; c < k; c++) {
      const e = Math.exp(raw[rawOffset + c * rawStride] - max);
      out[outOffset + c * outStride] = e;
      sum += e;
    }
    for (let c = 0; c < k; c++) out[outOffset + c * outStride] /= sum;
  }
}
