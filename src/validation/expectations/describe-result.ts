import { defaultDriftTest, findDriftTest } from '../../monitoring/drift/drift-tests.js';
import type { JsonValue } from './expectation.js';
import type { ExpectationResult } from './expectation-result.js';

/**
 * A one-line, human-readable account of what an expectation observed, for tables in the CLI and UI. Numbers keep 4
 * significant digits; the JSON result keeps full precision.
 */
export function describeObserved(result: ExpectationResult): string {
  if (result.problem !== undefined) return result.problem;
  const o = result.observed;
  const e = result.expectation;
  switch (e.kind) {
    case 'not_null':
    case 'regex':
      return `${pct(o as number)} pass`;
    case 'between':
    case 'string_length': {
      const { min, max } = o as { min: number | null; max: number | null };
      return min === null ? 'no values' : `${num(min)} … ${num(max as number)}`;
    }
    case 'in_set': {
      const values = (o as { unexpectedValues: JsonValue[] }).unexpectedValues;
      return values.length === 0 ? 'all in set' : `unexpected: ${values.map((v) => JSON.stringify(v)).join(', ')}`;
    }
    case 'unique':
      return `${o as number} distinct`;
    case 'row_count':
      return `${o as number} rows`;
    case 'column_exists':
      return o === null ? 'missing' : String(o);
    case 'freshness': {
      const { latest, ageMs } = o as { latest: string | null; ageMs: number | null };
      return latest === null ? 'no timestamps' : `latest ${latest} (${num((ageMs as number) / 3_600_000)} h old)`;
    }
    case 'distribution': {
      const d = o as { test: string; statistic: number | null; pValue: number | null; unseenValues?: string[] };
      const unseen = d.unseenValues && d.unseenValues.length > 0 ? `, unseen: ${d.unseenValues.join(', ')}` : '';
      const statistic = d.statistic === null ? '∞' : num(d.statistic);
      return d.pValue === null ? `${d.test} distance=${statistic}${unseen}` : `${d.test} stat=${statistic} p=${num(d.pValue)}${unseen}`;
    }
  }
}

/** The expectation's bounds or parameters in one line, e.g. `[17, 90]` or `mostly 0.95`. */
export function describeExpected(result: ExpectationResult): string {
  const e = result.expectation;
  const mostly = 'mostly' in e && e.mostly !== undefined ? ` mostly ${e.mostly}` : '';
  switch (e.kind) {
    case 'column_exists':
      return e.type ?? 'present';
    case 'not_null':
      return `non-null${mostly}`;
    case 'between':
    case 'string_length':
    case 'row_count':
      return `${e.kind === 'between' && e.strictMin ? '(' : '['}${e.min === undefined ? '−∞' : num(e.min)}, ${e.max === undefined ? '∞' : num(e.max)}${e.kind === 'between' && e.strictMax ? ')' : ']'}${mostly}`;
    case 'in_set':
      return `${e.values.length} values${mostly}`;
    case 'unique':
      return 'unique';
    case 'regex':
      return `/${e.pattern}/${e.flags ?? ''}${mostly}`;
    case 'freshness':
      return `age ≤ ${num(e.maxAgeMs / 3_600_000)} h`;
    case 'distribution': {
      const test = (e.test === undefined ? undefined : findDriftTest(e.test)) ?? defaultDriftTest(e.reference.type);
      const threshold = e.threshold ?? test.descriptor.defaultThreshold;
      return test.descriptor.kind === 'p_value' ? `${test.descriptor.name} p ≥ ${threshold}` : `${test.descriptor.name} < ${threshold}`;
    }
  }
}

function num(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  if (Number.isInteger(x) && Math.abs(x) < 1e15) return String(x);
  return Number(x.toPrecision(4)).toString();
}

function pct(x: number): string {
  return `${num(x * 100)}%`;
}
