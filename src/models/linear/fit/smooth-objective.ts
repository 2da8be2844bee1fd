import type { LinearLoss } from '../loss/loss.js';
import { computeScores, penaltyValue } from './linear-scores.js';
import type { StandardizedDesign } from './standardized-design.js';

/**
 * The penalised objective with its gradient, for L-BFGS: F(θ) = Σ v_i ℓ_i + alpha/2 · ‖β‖² (the L2 part only; the
 * caller guarantees there is no L1 part). Without an intercept its gradient entries are held at 0, so intercepts
 * stay where they start. Scratch buffers are allocated once; each evaluation costs O(rows × cols × outputs).
 */
export class SmoothObjective {
  readonly #design: StandardizedDesign;
  readonly #loss: LinearLoss;
  readonly #l2: number;
  readonly #fitIntercept: boolean;
  readonly #eta: Float64Array;
  readonly #residual: Float64Array;

  constructor(design: StandardizedDesign, loss: LinearLoss, l2: number, fitIntercept: boolean) {
    this.#design = design;
    this.#loss = loss;
    this.#l2 = l2;
    this.#fitIntercept = fitIntercept;
    this.#eta = new Float64Array(design.rows * loss.outputs);
    this.#residual = new Float64Array(design.rows * loss.outputs);
  }

  /** Writes ∇F(θ) into `grad` and returns F(θ). */
  evaluate(theta: Float64Array, grad: Float64Array): number {
    const { rows, cols, z } = this.#design;
    const K = this.#loss.outputs;
    const coefficients = K * cols;
    computeScores(this.#design, theta, K, this.#eta);
    const loss = this.#loss.evaluate(this.#eta, this.#residual);
    const r = this.#residual;
    for (let k = 0; k < K; k++) {
      const base = k * rows;
      for (let j = 0; j < cols; j++) {
        const col = j * rows;
        let dot = 0;
        for (let i = 0; i < rows; i++) dot += z[col + i] * r[base + i];
        grad[k * cols + j] = dot + this.#l2 * theta[k * cols + j];
      }
      let sum = 0;
      if (this.#fitIntercept) for (let i = 0; i < rows; i++) sum += r[base + i];
      grad[coefficients + k] = sum;
    }
    return loss + penaltyValue(theta, coefficients, this.#l2, 0);
  }
}
