import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Random } from '../../../core/random.js';
import { formatGeneral } from './format-general.js';

// Expected strings printed by the fmt library LightGBM v4.6.0 formats its model files with (`{:.17g}` and `{:g}`,
// identical to glibc's printf `%.17g` / `%g` on 200,000 random and tie-heavy doubles checked while writing this).
const TABLE: [number, string, string][] = [
  [0.1, '0.10000000000000001', '0.1'],
  [-0.30000000000000004, '-0.30000000000000004', '-0.3'],
  [12.500000000000002, '12.500000000000002', '12.5'],
  [1e-5, '1.0000000000000001e-05', '1e-05'],
  [1.5e-5, '1.5e-05', '1.5e-05'],
  [123456789, '123456789', '1.23457e+08'],
  [1e21, '1e+21', '1e+21'],
  [1e16, '10000000000000000', '1e+16'],
  [1e17, '1e+17', '1e+17'],
  // Exact ties round to even: 12345.25 → 12345.2 (JavaScript's toPrecision gives 12345.3), 2^-25 → …312 (…313).
  [12345.25, '12345.25', '12345.2'],
  [2 ** -25, '2.9802322387695312e-08', '2.98023e-08'],
  [999999.5, '999999.5', '1e+06'],
  [0.00012345, '0.00012344999999999999', '0.00012345'],
  [5e-324, '4.9406564584124654e-324', '4.94066e-324'],
  [1.7976931348623157e308, '1.7976931348623157e+308', '1.79769e+308'],
  [-1.1352285339295589, '-1.1352285339295589', '-1.13523'],
  [100, '100', '100'],
  [1 / 3, '0.33333333333333331', '0.333333'],
  [0, '0', '0'],
  [-0, '-0', '-0'],
  [Number.NaN, 'nan', 'nan'],
  [Infinity, 'inf', 'inf'],
  [-Infinity, '-inf', '-inf'],
];

for (const [value, g17, g6] of TABLE) {
  test(`formatGeneral(${Object.is(value, -0) ? '-0' : value}) is ${g17} with 17 digits and ${g6} with 6`, () => {
    assert.equal(formatGeneral(value, 17), g17);
    assert.equal(formatGeneral(value, 6), g6);
  });
}

test('17 significant digits read back as the same double', () => {
  const rng = new Random(3);
  const view = new DataView(new ArrayBuffer(8));
  for (let i = 0; i < 20000; i++) {
    view.setUint32(0, rng.nextUint32());
    view.setUint32(4, rng.nextUint32());
    const x = view.getFloat64(0);
    if (!Number.isFinite(x)) continue;
    assert.equal(Number(formatGeneral(x, 17)), x, `${x}`);
  }
});
