import assert from 'node:assert/strict';
import { test } from 'node:test';
import { minimizeLbfgs } from './lbfgs.js';

test('L-BFGS finds the Rosenbrock minimum (1, 1) from (−1.2, 1)', () => {
  const rosenbrock = (x: Float64Array, g: Float64Array): number => {
    const [a, b] = [x[0], x[1]];
    g[0] = -2 * (1 - a) - 400 * a * (b - a * a);
    g[1] = 200 * (b - a * a);
    return (1 - a) ** 2 + 100 * (b - a * a) ** 2;
  };
  const x = Float64Array.from([-1.2, 1]);
  const result = minimizeLbfgs(rosenbrock, x, { memory: 10, maxIter: 500, tol: 1e-10 });
  assert.equal(result.status, 'converged');
  assert.ok(Math.abs(x[0] - 1) < 1e-8 && Math.abs(x[1] - 1) < 1e-8, `${x[0]}, ${x[1]}`);
  assert.ok(result.value < 1e-16);
});

test('L-BFGS solves a quadratic ½xᵀAx − bᵀx: the minimiser is A⁻¹b', () => {
  // A = [[4, 1, 0], [1, 3, 1], [0, 1, 2]], b = [1, 2, 3]; A⁻¹b = [2/9, 1/9, 13/9] (by substitution).
  const A = [[4, 1, 0], [1, 3, 1], [0, 1, 2]];
  const b = [1, 2, 3];
  const f = (x: Float64Array, g: Float64Array): number => {
    let value = 0;
    for (let i = 0; i < 3; i++) {
      let ax = 0;
      for (let j = 0; j < 3; j++) ax += A[i][j] * x[j];
      g[i] = ax - b[i];
      value += 0.5 * x[i] * ax - b[i] * x[i];
    }
    return value;
  };
  const x = new Float64Array(3);
  const result = minimizeLbfgs(f, x, { memory: 5, maxIter: 100, tol: 1e-14 });
  assert.equal(result.status, 'converged');
  [2 / 9, 1 / 9, 13 / 9].forEach((v, i) => assert.ok(Math.abs(x[i] - v) < 1e-12, `x${i} = ${x[i]}`));
});

test('L-BFGS reports max_iter when the budget runs out, and converges at once at a stationary point', () => {
  const bowl = (x: Float64Array, g: Float64Array): number => {
    g[0] = 2 * (x[0] - 3) * 1000;
    g[1] = 2 * (x[1] + 1);
    return 1000 * (x[0] - 3) ** 2 + (x[1] + 1) ** 2;
  };
  assert.equal(minimizeLbfgs(bowl, Float64Array.from([0, 0]), { memory: 3, maxIter: 1, tol: 1e-12 }).status, 'max_iter');
  const atMinimum = minimizeLbfgs(bowl, Float64Array.from([3, -1]), { memory: 3, maxIter: 10, tol: 1e-12 });
  assert.deepEqual([atMinimum.status, atMinimum.iterations], ['converged', 0]);
});
