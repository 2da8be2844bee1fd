import type { LinearLoss } from '../loss/loss.js';
import type { LinearParams } from '../params/linear-param-table.js';
import { solveWeightedElasticNet } from '../solver/weighted-elastic-net.js';
import { computeScores, penaltyValue } from './linear-scores.js';
import type { SolveReport } from './solve-lbfgs.js';
import type { StandardizedDesign } from './standardized-design.js';

/**
 * Minimises the penalised objective over θ (layout: see parameterCount) by coordinate descent, starting from and
 * writing to `theta`. Squared loss is one weighted elastic-net solve. Log losses use glmnet's scheme: each round
 * takes every output in turn, replaces the loss by its quadratic (IRLS) approximation at the current scores and
 * solves that by coordinate descent from the current coefficients, halving the step back towards the previous
 * coefficients while the true objective would rise. Converged when a round moves no coefficient by more than
 * tol × the intercept-only loss (measured as H_jj Δβ_j²).
 */
export function solveCoordinateDescent(design: StandardizedDesign, loss: LinearLoss, theta: Float64Array, params: LinearParams): SolveReport {
  const { rows, cols, z } = design;
  const K = loss.outputs;
  const eta = new Float64Array(rows * K);
  computeScores(design, theta, K, eta);
  const threshold = params.tol * Math.max(loss.value(eta), Number.MIN_VALUE);
  const u = new Float64Array(rows);
  const response = new Float64Array(rows);
  const residual = new Float64Array(rows);
  const curvature = new Float64Array(cols);
  const previous = new Float64Array(cols + 1);
  const problem = (k: number) => ({
    z, rows, cols, u, residual, curvature,
    beta: theta.subarray(k * cols, (k + 1) * cols),
    intercept: theta.subarray(K * cols + k, K * cols + k + 1),
    alpha: params.alpha,
    l1Ratio: params.l1_ratio,
    fitIntercept: params.fit_intercept,
    threshold,
    maxSweeps: params.max_iter,
  });
  if (loss.quadratic) {
    loss.working(eta, 0, u, response);
    for (let i = 0; i < rows; i++) residual[i] = response[i] - eta[i];
    const result = solveWeightedElasticNet(problem(0));
    return { iterations: result.sweeps, converged: result.converged };
  }
  const objective = (): number => {
    computeScores(design, theta, K, eta);
    return loss.value(eta) + penaltyValue(theta, K * cols, params.alpha, params.l1_ratio);
  };
  let current = objective();
  for (let round = 1; round <= params.max_iter; round++) {
    let change = 0;
    for (let k = 0; k < K; k++) {
      const p = problem(k);
      previous.set(p.beta);
      previous[cols] = p.intercept[0];
      loss.working(eta, k, u, response);
      for (let i = 0; i < rows; i++) residual[i] = response[i] - eta[k * rows + i];
      solveWeightedElasticNet(p);
      let next = objective();
      for (let halvings = 0; next > current + 1e-12 * Math.abs(current) && halvings < 40; halvings++) {
        for (let j = 0; j < cols; j++) p.beta[j] = (p.beta[j] + previous[j]) / 2;
        p.intercept[0] = (p.intercept[0] + previous[cols]) / 2;
        next = objective();
      }
      current = next;
      let uSum = 0;
      for (let i = 0; i < rows; i++) uSum += u[i];
      change = Math.max(change, uSum * (p.intercept[0] - previous[cols]) ** 2);
      for (let j = 0; j < cols; j++) change = Math.max(change, curvature[j] * (p.beta[j] - previous[j]) ** 2);
    }
    if (change <= threshold) return { iterations: round, converged: true };
  }
  return { iterations: params.max_iter, converged: false };
}
