import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assertInvalid, close } from './statistics-test-support.js';
import { studentTCdf, studentTQuantile } from './student-t.js';

test('Student-t quantiles match tabulated values', () => {
  // Critical values as tabulated to 6 decimals (R's qt(p, df); the 3-decimal NIST/SEMATECH t table agrees).
  const table: [number, number, number][] = [
    [0.975, 10, 2.228139],
    [0.975, 1, 12.706205],
    [0.975, 2, 4.302653],
    [0.95, 5, 2.015048],
    [0.995, 20, 2.845340],
    [0.975, 30, 2.042272],
    [0.9, 100, 1.290075],
  ];
  for (const [p, df, expected] of table) {
    close(studentTQuantile(p, df), expected, 1e-6, `t_{${p},${df}}`);
    close(studentTQuantile(1 - p, df), -expected, 1e-6, `t_{${1 - p},${df}} (symmetry)`);
  }
  assert.equal(studentTQuantile(0.5, 7), 0);
});

test('Student-t CDF matches closed forms and tabulated values', () => {
  close(studentTCdf(2, 5), 0.9490303, 1e-7, 'CDF(2, 5)');
  // df = 1 is Cauchy: ½ + atan(t)/π; df = 2: ½ + t / (2√(2 + t²)).
  for (const t of [-30, -1.5, 0, 0.3, 4, 250]) {
    close(studentTCdf(t, 1), 0.5 + Math.atan(t) / Math.PI, 1e-13, `Cauchy CDF(${t})`);
    close(studentTCdf(t, 2), 0.5 + t / (2 * Math.sqrt(2 + t * t)), 1e-13, `df=2 CDF(${t})`);
  }
  // Non-integer df round-trips through the quantile (Welch–Satterthwaite df are fractional).
  for (const df of [3.5, 17.776, 250.2]) {
    for (const p of [1e-9, 0.01, 0.3, 0.9, 0.999]) close(studentTCdf(studentTQuantile(p, df), df), p, 1e-12 + 1e-10 * p, `round trip p=${p}, df=${df}`);
  }
  // Tail relative precision: P(T ≤ −50 | df = 3) ≈ 8.5e−6 from the Cauchy-like closed form for df = 3.
  const t = -50;
  const df3 = 0.5 + (Math.atan(t / Math.sqrt(3)) + (t * Math.sqrt(3)) / (3 + t * t)) / Math.PI;
  assert.ok(Math.abs(studentTCdf(t, 3) / df3 - 1) < 1e-9, 'df = 3 closed form in the lower tail');
});

test('Student-t helpers reject bad input', () => {
  assertInvalid(() => studentTCdf(1, 0), 'df');
  assertInvalid(() => studentTCdf(1, Number.POSITIVE_INFINITY), 'df');
  assertInvalid(() => studentTCdf(Number.NaN, 3), 't');
  assertInvalid(() => studentTQuantile(0, 3), 'p');
  assertInvalid(() => studentTQuantile(1, 3), 'p');
  assertInvalid(() => studentTQuantile(0.5, -1), 'df');
});
