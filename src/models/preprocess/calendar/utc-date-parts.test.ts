import assert from 'node:assert/strict';
import { test } from 'node:test';
import { utcDatePart } from './utc-date-parts.js';

test('UTC date parts: hand-checked instants, including before 1970 and leap days', () => {
  const cases: ReadonlyArray<readonly [string, number, number, number, number, number]> = [
    // iso, year, month, day, weekday (0 = Monday), hour
    ['1970-01-01T00:00:00.000Z', 1970, 1, 1, 3, 0],
    ['2024-02-29T23:59:59.999Z', 2024, 2, 29, 3, 23],
    ['2000-03-01T12:00:00.000Z', 2000, 3, 1, 2, 12],
    ['1969-12-31T23:00:00.000Z', 1969, 12, 31, 2, 23],
    ['1900-01-01T05:30:00.000Z', 1900, 1, 1, 0, 5],
    ['2023-12-31T00:00:00.000Z', 2023, 12, 31, 6, 0],
  ];
  for (const [iso, year, month, day, weekday, hour] of cases) {
    const ms = Date.parse(iso);
    assert.deepEqual(
      [utcDatePart(ms, 'year'), utcDatePart(ms, 'month'), utcDatePart(ms, 'day'), utcDatePart(ms, 'weekday'), utcDatePart(ms, 'hour')],
      [year, month, day, weekday, hour],
      iso,
    );
  }
});

test('UTC date parts agree with Date#getUTC* over 2,000 instants spread across 1600–2400', () => {
  const start = Date.parse('1600-01-01T00:00:00Z');
  const end = Date.parse('2400-01-01T00:00:00Z');
  for (let k = 0; k < 2000; k++) {
    const ms = start + Math.floor(((end - start) / 2000) * k) + k * 3_601_007;
    const d = new Date(ms);
    assert.equal(utcDatePart(ms, 'year'), d.getUTCFullYear(), d.toISOString());
    assert.equal(utcDatePart(ms, 'month'), d.getUTCMonth() + 1, d.toISOString());
    assert.equal(utcDatePart(ms, 'day'), d.getUTCDate(), d.toISOString());
    assert.equal(utcDatePart(ms, 'weekday'), (d.getUTCDay() + 6) % 7, d.toISOString());
    assert.equal(utcDatePart(ms, 'hour'), d.getUTCHours(), d.toISOString());
  }
});
