import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isLoomError } from '../../core/errors/index.js';
import { Random } from '../../core/random.js';
import { Calibrator } from './calibrator.js';
import { ece, expectedCalibrationError, maximumCalibrationError, reliabilityCurve } from './reliability-curve.js';

const close = (a: number, b: number, tol = 1e-12): void => assert.ok(Math.abs(a - b) <= tol, `${a} vs ${b}`);

test('reliability curve and ECE on hand data (uniform bins of width 0.5)', () => {
  // Bin [0, 0.5): p 0.1, 0.2, 0.3 with y 0, 0, 1 → predicted 0.2, observed 1/3.
  // Bin [0.5, 1]: p 0.6, 0.8, 1.0 with y 1, 1, 0 → predicted 0.8, observed 2/3.
  const y = Float64Array.from([0, 0, 1, 1, 1, 0]);
  const p = Float64Array.from([0.1, 0.2, 0.3, 0.6, 0.8, 1.0]);
  const curve = reliabilityCurve(y, p, 2);
  assert.equal(curve.length, 2);
  assert.deepEqual(curve.map((b) => b.count), [3, 3]);
  close(curve[0].mean_predicted, 0.2);
  close(curve[0].observed_rate, 1 / 3);
  close(curve[1].mean_predicted, 0.8);
  close(curve[1].observed_rate, 2 / 3);
  close(expectedCalibrationError(curve), 0.5 * (1 / 3 - 0.2) + 0.5 * (0.8 - 2 / 3));
  close(maximumCalibrationError(curve), 0.8 - 2 / 3);
  close(ece(y, p, 2), expectedCalibrationError(curve));
});

test('isotonic calibrator: pool-adjacent-violators on hand data, interpolated and clipped', () => {
  const cal = Calibrator.fitIsotonic(Float64Array.from([0, 1, 0, 1]), Float64Array.from([0.1, 0.2, 0.3, 0.4]));
  // Blocks: {0.1} → 0, {0.2, 0.3} → 0.5 (pooled), {0.4} → 1.
  assert.deepEqual(cal, { kind: 'isotonic', x: [0.1, 0.2, 0.3, 0.4], y: [0, 0.5, 0.5, 1] });
  const out = Calibrator.apply(cal, Float64Array.from([0.05, 0.25, 0.35, 0.9]));
  [0, 0.5, 0.75, 1].forEach((v, i) => close(out[i], v, 1e-15));
});

test('Platt calibrator recovers a known distortion and lowers the ECE; it round-trips through JSON', () => {
  // True probability q = σ(z); the model reports p = σ(z / 2 + 0.7) (over-confident shift). Platt on logit(p) should
  // find a ≈ 2 and b ≈ −1.4.
  const rng = new Random(11);
  const n = 20000;
  const y = new Float64Array(n);
  const p = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const z = (rng.nextFloat() - 0.5) * 8;
    y[i] = rng.nextFloat() < 1 / (1 + Math.exp(-z)) ? 1 : 0;
    p[i] = 1 / (1 + Math.exp(-(z / 2 + 0.7)));
  }
  const cal = Calibrator.fitPlatt(y, p);
  assert.ok(Math.abs(cal.a - 2) < 0.15 && Math.abs(cal.b + 1.4) < 0.15, JSON.stringify(cal));
  const fixed = Calibrator.apply(cal, p);
  assert.ok(ece(y, fixed) < 0.02 && ece(y, p) > 0.08, `${ece(y, fixed)} ${ece(y, p)}`);
  const restored = Calibrator.parse(JSON.parse(JSON.stringify(cal)));
  assert.deepEqual([...Calibrator.apply(restored, p.subarray(0, 5))], [...fixed.subarray(0, 5)]);
  const iso = Calibrator.fitIsotonic(y, p);
  assert.ok(ece(y, Calibrator.apply(iso, p)) < 0.01);
});

test('bad calibrator JSON is a coded error naming the field', () => {
  assert.throws(() => Calibrator.parse({ kind: 'platt', a: 1 }), (e: unknown) => isLoomError(e) && e.code === 'LOOM_ERR_EVAL_INVALID_OPTION' && e.details?.field === 'calibrator.b');
  assert.throws(() => Calibrator.parse({ kind: 'isotonic', x: [0.2, 0.1], y: [0, 1] }), (e: unknown) => isLoomError(e) && e.code === 'LOOM_ERR_EVAL_INVALID_OPTION');
  assert.throws(() => Calibrator.fitPlatt(new Float64Array(0), new Float64Array(0)), (e: unknown) => isLoomError(e) && e.code === 'LOOM_ERR_EVAL_EMPTY_DATA');
});
