import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DAY_MS, REGIONS } from './customer-distributions.js';
import { EVENT_CODE } from './event-table.js';
import { generateChurnWorld, type ChurnWorld } from './generate-churn-world.js';

const SMALL = { seed: 7, customers: 2000 };
const world = generateChurnWorld(SMALL);
const CENTRAL = REGIONS.indexOf('central');

function arrays(w: ChurnWorld): unknown[] {
  return [w.customers, w.activity, w.labels, w.events, w.dirty].flatMap((t) => Object.values(t).map((v) => (ArrayBuffer.isView(v) ? [...(v as Float64Array)] : v)));
}

test('the same seed gives identical arrays; another seed gives other customers', () => {
  assert.deepEqual(arrays(generateChurnWorld(SMALL)), arrays(world));
  const other = generateChurnWorld({ ...SMALL, seed: 8 });
  assert.notDeepEqual([...other.customers.observedAt], [...world.customers.observedAt]);
});

test('customers: ordered by observation, ids in that order, signup before observation, unique emails', () => {
  const c = world.customers;
  assert.equal(c.length, 2000);
  for (let i = 1; i < c.length; i++) assert.ok(c.observedAt[i] >= c.observedAt[i - 1]);
  assert.equal(c.id[0], 'C000001');
  assert.equal(c.id[1999], 'C002000');
  assert.equal(new Set(c.email).size, 2000);
  for (let i = 0; i < c.length; i++) {
    assert.ok(c.signupAt[i] <= c.observedAt[i]);
    assert.ok(c.observedAt[i] >= Date.UTC(2024, 0, 1) && c.observedAt[i] < Date.UTC(2025, 0, 1));
  }
});

test('labels arrive late: cancellation within the horizon, label after it; the churn rate matches the true probabilities', () => {
  const { customers: c, labels: l } = world;
  for (let i = 0; i < c.length; i++) {
    assert.ok(l.labelAvailableAt[i] > c.observedAt[i]);
    if (l.churned[i] === 1) {
      assert.ok(l.churnAt[i] > c.observedAt[i] && l.churnAt[i] <= c.observedAt[i] + 30 * DAY_MS);
      assert.ok(l.labelAvailableAt[i] >= l.churnAt[i]);
    } else {
      assert.ok(Number.isNaN(l.churnAt[i]));
      assert.ok(l.labelAvailableAt[i] >= c.observedAt[i] + 30 * DAY_MS);
    }
  }
  // Binomial: the realized rate lies within 4 standard errors of the mean true probability.
  for (const t of [world.truth.reference, world.truth.drifted]) {
    const se = Math.sqrt((t.meanProbability * (1 - t.meanProbability)) / t.customers);
    assert.ok(Math.abs(t.churnRate - t.meanProbability) < 4 * se, `${t.churnRate} vs ${t.meanProbability}`);
    assert.ok(t.expectedAuc > 0.7 && t.expectedAuc < 0.95, String(t.expectedAuc));
  }
  assert.equal(world.truth.reference.customers + world.truth.drifted.customers, 2000);
});

test('events: churners get a cancellation at churnAt and nothing after it; features count only earlier events', () => {
  const { customers: c, labels: l, events: e } = world;
  const cancellations = new Float64Array(c.length).fill(Number.NaN);
  const last = new Float64Array(c.length).fill(-Infinity);
  const logins = new Int32Array(c.length);
  for (let k = 0; k < e.length; k++) {
    const i = e.customer[k];
    if (e.type[k] === EVENT_CODE.cancellation) cancellations[i] = e.at[k];
    else if (e.type[k] !== EVENT_CODE.payment) last[i] = Math.max(last[i], e.at[k]);
    if (e.type[k] === EVENT_CODE.session && e.at[k] < c.observedAt[i] && e.at[k] >= c.observedAt[i] - 30 * DAY_MS) logins[i]++;
    if (k > 0) assert.ok(e.at[k] >= e.at[k - 1], 'time order');
  }
  for (let i = 0; i < c.length; i++) {
    if (l.churned[i] === 1) {
      assert.equal(cancellations[i], l.churnAt[i]);
      assert.ok(last[i] < l.churnAt[i]);
    } else assert.ok(Number.isNaN(cancellations[i]));
  }
  assert.deepEqual([...logins], [...world.activity.logins30d]);
});

test('the drift switch: new region, price rise and higher churn only from the drift date', () => {
  const { customers: c } = world;
  const at = Date.UTC(2024, 6, 1);
  let charges = [0, 0];
  const counts = [0, 0];
  for (let i = 0; i < c.length; i++) {
    const p = c.period[i];
    assert.equal(p, c.observedAt[i] >= at ? 1 : 0);
    if (p === 0) assert.notEqual(c.region[i], CENTRAL);
    charges[p] += c.monthlyCharges[i];
    counts[p]++;
  }
  charges = charges.map((s, p) => s / counts[p]);
  assert.ok(c.region.some((r, i) => r === CENTRAL && c.period[i] === 1), 'central opens after the switch');
  assert.ok(charges[1] > charges[0] * 1.02, `${charges}`);
  assert.ok(world.truth.drifted.churnRate > world.truth.reference.churnRate + 0.05);
});

test('with the switch off, every customer is in the reference regime', () => {
  const calm = generateChurnWorld({ ...SMALL, drift: { enabled: false } });
  assert.ok(calm.customers.period.every((p) => p === 0));
  assert.ok(calm.labels.conceptRegime.every((p) => p === 0));
  assert.ok(calm.customers.region.every((r) => r !== CENTRAL));
  assert.equal(calm.truth.drifted.customers, 0);
  // Covariate drift alone keeps the churn function; concept drift alone keeps the features.
  const covariate = generateChurnWorld({ ...SMALL, drift: { concept: false } });
  assert.ok(covariate.labels.conceptRegime.every((p) => p === 0) && covariate.customers.featureRegime.some((r) => r === 1));
  const concept = generateChurnWorld({ ...SMALL, drift: { covariate: false } });
  assert.ok(concept.customers.featureRegime.every((r) => r === 0) && concept.labels.conceptRegime.some((r) => r === 1));
});

test('dirty cells: exactly 1% blank regions and ages, 0.5% blank charges, 0.2% padded plans', () => {
  const sum = (m: Uint8Array) => m.reduce((s, v) => s + v, 0);
  assert.deepEqual([sum(world.dirty.regionNull), sum(world.dirty.ageNull), sum(world.dirty.monthlyChargesNull), sum(world.dirty.planPadded)], [20, 20, 10, 4]);
});
