import assert from 'node:assert/strict';
import { test } from 'node:test';
import { aggregateActivity } from './aggregate-activity.js';
import { DAY_MS } from './customer-distributions.js';
import { EVENT_CODE, EventTableBuilder } from './event-table.js';
import type { CustomerTable } from './generate-customers.js';

test('counts sessions in [obs − 30 d, obs) and tickets in [obs − 90 d, obs); events at or after obs never count', () => {
  const obs = Date.UTC(2024, 5, 1);
  const customers = { length: 2, observedAt: Float64Array.from([obs, obs + 10 * DAY_MS]) } as unknown as CustomerTable;
  const b = new EventTableBuilder();
  b.push(0, obs - 30 * DAY_MS, EVENT_CODE.session, Number.NaN, 30); // on the window's first instant: counts
  b.push(0, obs - 30 * DAY_MS - 1000, EVENT_CODE.session, Number.NaN, 60); // one second too early
  b.push(0, obs - 1000, EVENT_CODE.session, Number.NaN, 15); // counts
  b.push(0, obs, EVENT_CODE.session, Number.NaN, 90); // at the observation instant: the future
  b.push(0, obs - 90 * DAY_MS, EVENT_CODE.support_ticket); // counts
  b.push(0, obs - 91 * DAY_MS, EVENT_CODE.support_ticket);
  b.push(0, obs + DAY_MS, EVENT_CODE.support_ticket);
  b.push(0, obs - DAY_MS, EVENT_CODE.invoice, 50); // not activity
  b.push(1, obs + 5 * DAY_MS, EVENT_CODE.session, Number.NaN, 100); // customer 1 observed later: counts
  b.push(1, obs + 5 * DAY_MS, EVENT_CODE.support_ticket);
  const a = aggregateActivity(customers, b.build());
  assert.deepEqual([...a.logins30d], [2, 1]);
  assert.deepEqual([...a.usageHours30d], [0.75, 1.67]);
  assert.deepEqual([...a.supportTickets90d], [1, 1]);
});
