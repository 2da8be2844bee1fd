import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ActivityFeatures } from './aggregate-activity.js';
import { CHURN_COEFFICIENTS, churnLogits, sigmoid } from './churn-model.js';
import type { CustomerTable } from './generate-customers.js';

test('the logit follows the documented formula, with the coefficients of each row\'s regime', () => {
  // One customer: monthly contract, basic plan, south, tenure 3, 90.00/month, 2 tickets, 3 usage hours, 1 late
  // payment, no autopay, age 70. Written twice: once per regime.
  const customers = {
    length: 2,
    contract: Uint8Array.from([0, 0]),
    plan: Uint8Array.from([0, 0]),
    region: Uint8Array.from([1, 1]),
    tenureMonths: Int32Array.from([3, 3]),
    monthlyCharges: Float64Array.from([90, 90]),
    latePayments12m: Int32Array.from([1, 1]),
    autopay: Uint8Array.from([0, 0]),
    age: Int32Array.from([70, 70]),
  } as unknown as CustomerTable;
  const activity: ActivityFeatures = { logins30d: new Int32Array(2), usageHours30d: Float64Array.from([3, 3]), supportTickets90d: Int32Array.from([2, 2]) };
  const out = churnLogits(customers, activity, Uint8Array.from([0, 1]), new Float64Array(2));
  for (const r of [0, 1] as const) {
    const b = CHURN_COEFFICIENTS[r];
    const expected = b.intercept + b.contract[0] + b.plan[0] + b.region[1] + b.logTenure * Math.log(4) + b.charges * 1 + b.tickets * 2 + b.logUsage * (Math.log(4) - 2) + b.latePayments + b.senior;
    assert.ok(Math.abs(out[r] - expected) < 1e-12, `regime ${r}`);
  }
  // The drifted churn function is more price- and ticket-sensitive, so this customer's risk rises.
  assert.ok(out[1] > out[0]);
  assert.ok(Math.abs(out[1] - out[0] - (0.6 * 1 + 0.25 * 2)) < 1e-12);
});

test('sigmoid is 1/2 at 0, symmetric, and finite for large |z|', () => {
  assert.equal(sigmoid(0), 0.5);
  assert.ok(Math.abs(sigmoid(2) + sigmoid(-2) - 1) < 1e-15);
  assert.ok(Math.abs(sigmoid(Math.log(3)) - 0.75) < 1e-15);
  assert.equal(sigmoid(-1000), 0);
  assert.equal(sigmoid(1000), 1);
});
