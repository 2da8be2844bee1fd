import type { LinearLoss } from '../loss/loss.js';
import type { LinearParams } from '../params/linear-param-table.js';
import { minimizeLbfgs } from '../solver/lbfgs.js';
import { SmoothObjective } from './smooth-objective.js';
import type { StandardizedDesign } from './standardized-design.js';

/** What a solver reports about its run. */
export interface SolveReport {
  readonly iterations: number;
  readonly converged: boolean;
}

/**
 * Minimises the penalised objective (no L1 part) over θ with L-BFGS, starting from and writing to `theta`
 * (layout: see parameterCount).
 */
export function solveLbfgs(design: StandardizedDesign, loss: LinearLoss, theta: Float64Array, params: LinearParams): SolveReport {
  const objective = new SmoothObjective(design, loss, params.alpha * (1 - params.l1_ratio), params.fit_intercept);
  const result = minimizeLbfgs((x, g) => objective.evaluate(x, g), theta, { memory: params.lbfgs_memory, maxIter: params.max_iter, tol: params.tol });
  return { iterations: result.iterations, converged: result.status === 'converged' };
}
