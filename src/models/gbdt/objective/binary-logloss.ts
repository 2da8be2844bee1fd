import { webAssemblyApi } from '../wasm/assembler.js';
import { GradientKernel, type TrainingBuffers } from './gradient-kernel.js';
import { ObjectiveBase } from './objective-base.js';

/** LightGBM's kEpsilon (a float 1e-15), which keeps the starting probability away from 0 and 1. */
const EPSILON = Math.fround(1e-15);

/**
 * Binary log loss with p = 1/(1 + exp(−sigmoid·score)). Labels must be 0 or 1 with both present. With y = ±1 the
 * gradient is −y·σ/(1 + exp(y·σ·score)) and the hessian |g|·(σ − |g|), times the row weight and the class weight
 * (is_unbalance or scale_pos_weight). Starts from log(p̄/(1 − p̄))/σ, p̄ the weighted share of positives.
 */
export class BinaryLogloss extends ObjectiveBase {
  readonly name = 'binary';
  readonly defaultMetric = 'binary_logloss';
  readonly #sigmoid: number;
  readonly #isUnbalance: boolean;
  readonly #scalePosWeight: number;
  /** The WebAssembly gradient pass (same bits), or null where WebAssembly is unavailable. */
  readonly #kernel: GradientKernel | null;
  #negWeight = 1;
  #posWeight = 1;

  /** `useKernel: false` keeps the JavaScript loop (tests compare the two). */
  constructor(sigmoid: number, isUnbalance: boolean, scalePosWeight: number, useKernel = true) {
    super();
    this.#sigmoid = sigmoid;
    this.#isUnbalance = isUnbalance;
    this.#scalePosWeight = scalePosWeight;
    this.#kernel = useKernel ? GradientKernel.create(webAssemblyApi(), 1) : null;
  }

  protected override check(): void {
    let positives = 0;
    for (let i = 0; i < this.label.length; i++) {
      const y = this.label[i];
      if (y !== 0 && y !== 1) this.reject(`row ${i} is ${y}; binary labels must be 0 or 1`);
      positives += y;
    }
    const negatives = this.label.length - positives;
    if (positives === 0 || negatives === 0) this.reject(`every row is ${positives === 0 ? 0 : 1}; a binary label needs both classes`);
    this.#negWeight = 1;
    this.#posWeight = 1;
    if (this.#isUnbalance) {
      if (positives > negatives) this.#negWeight = positives / negatives;
      else this.#posWeight = negatives / positives;
    }
    this.#posWeight *= this.#scalePosWeight;
  }

  /** With WebAssembly the pass runs in gradient-kernel.ts, two rows at a time, with the same bits. */
  gradients(score: Float64Array, grad: Float64Array, hess: Float64Array): void {
    if (this.#kernel !== null) {
      this.#kernel.binary(score, this.label, this.weight, this.#sigmoid, this.#posWeight, this.#negWeight, grad, hess);
      return;
    }
    const label = this.label;
    const weight = this.weight;
    const sigmoid = this.#sigmoid;
    const posWeight = this.#posWeight;
    const negWeight = this.#negWeight;
    for (let i = 0; i < label.length; i++) {
      // Labels are 0/1 (checked in init), so y = 2·label − 1 is ±1 without a data-dependent branch.
      const y = 2 * label[i] - 1;
      const response = (-y * sigmoid) / (1 + Math.exp(y * sigmoid * score[i]));
      const abs = Math.abs(response);
      const w = (label[i] * posWeight + (1 - label[i]) * negWeight) * (weight === null ? 1 : weight[i]);
      grad[i] = response * w;
      hess[i] = abs * (sigmoid - abs) * w;
    }
  }

  /** Training arrays in the kernel's memory, so the gradient pass runs on them without copies (null without it). */
  trainingBuffers(length: number, shared = false): TrainingBuffers | null {
    if (this.#kernel === null || length !== this.label.length) return null;
    return this.#kernel.buffers(this.label, this.weight, shared);
  }

  override boostFromScore(): number {
    let p = this.weightedMean();
    p = Math.max(EPSILON, Math.min(1 - EPSILON, p));
    return Math.log(p / (1 - p)) / this.#sigmoid;
  }

  override convertOutput(raw: Float64Array, rawOffset: number, _rawStride: number, out: Float64Array, outOffset: number): void {
    out[outOffset] = 1 / (1 + Math.exp(-this.#sigmoid * raw[rawOffset]));
  }
}
