import assert from 'node:assert/strict';
import { test } from 'node:test';
import { EVENT_CODE, EventTableBuilder } from './event-table.js';

test('build sorts by time, then customer, then push order, and rounds times down to seconds', () => {
  const b = new EventTableBuilder();
  b.push(2, 5_000, EVENT_CODE.invoice, 10);
  b.push(1, 5_999, EVENT_CODE.session, Number.NaN, 3.5);
  b.push(1, 1_000, EVENT_CODE.support_ticket);
  b.push(0, 5_000, EVENT_CODE.payment, 10);
  const t = b.build();
  assert.equal(t.length, 4);
  assert.deepEqual([...t.at], [1_000, 5_000, 5_000, 5_000]);
  assert.deepEqual([...t.customer], [1, 0, 1, 2]);
  assert.deepEqual([...t.type], [EVENT_CODE.support_ticket, EVENT_CODE.payment, EVENT_CODE.session, EVENT_CODE.invoice]);
  assert.deepEqual([...t.minutes].map((m) => (Number.isNaN(m) ? null : m)), [null, null, 3.5, null]);
  assert.deepEqual([...t.amount].map((m) => (Number.isNaN(m) ? null : m)), [null, 10, null, 10]);
});

test('grows past its initial capacity without losing events', () => {
  const b = new EventTableBuilder();
  for (let k = 0; k < 5000; k++) b.push(k % 7, (5000 - k) * 1000, EVENT_CODE.session, Number.NaN, k);
  const t = b.build();
  assert.equal(t.length, 5000);
  assert.equal(t.at[0], 1000);
  assert.equal(t.minutes[0], 4999);
  assert.equal(t.at[4999], 5_000_000);
  assert.equal(t.minutes[4999], 0);
});
