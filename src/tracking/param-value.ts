import { canonicalJson } from '../core/hashing.js';
import { LoomError } from '../core/errors/index.js';

/** A value that can be logged as a param or tag. Objects and arrays are stored as canonical JSON. */
export type ParamValue = string | number | boolean | null | readonly unknown[] | { readonly [key: string]: unknown };

/**
 * How a param or tag is stored: `text` always (numbers in their shortest round-trip form, objects as canonical
 * JSON), and `number` when the value is a finite number or text that reads as one, which numeric filters use.
 * @internal
 */
export function encodeParamValue(field: string, value: ParamValue): { text: string; number: number | null } {
  let text: string;
  if (typeof value === 'string') text = value;
  else if (typeof value === 'number') {
    if (Number.isNaN(value)) text = 'NaN';
    else text = String(value);
  } else if (typeof value === 'boolean' || value === null) text = String(value);
  else if (typeof value === 'object') text = canonicalJson(value);
  else throw new LoomError('TRACKING_INVALID_VALUE', { field, problem: `a ${typeof value} cannot be stored; use text, a number, a boolean or JSON` }, { details: { field } });
  if (text.length > 8000) throw new LoomError('TRACKING_INVALID_VALUE', { field, problem: `the value is ${text.length} characters long; the limit is 8000 (log large things as artifacts)` }, { details: { field } });
  return { text, number: numericValue(text) };
}

/** The number a text reads as, or null. `"31"`, `"0.1"`, `"1e-3"` are numbers; `""`, `"0x10"`, `"abc"` are not. */
export function numericValue(text: string): number | null {
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(text.trim())) return null;
  const n = Number(text);
  return Number.isFinite(n) ? n : null;
}
