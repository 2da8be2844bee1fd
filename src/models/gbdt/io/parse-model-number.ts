import { modelFormatError } from './model-format-error.js';

const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const INTEGER = /^[+-]?\d+$/;
const SPECIAL: Readonly<Record<string, number>> = {
  nan: Number.NaN, '-nan': Number.NaN, '+nan': Number.NaN,
  inf: Infinity, '+inf': Infinity, '-inf': -Infinity,
  infinity: Infinity, '+infinity': Infinity, '-infinity': -Infinity,
};

/**
 * Parses one number as LightGBM writes it: a decimal (correctly rounded to the nearest double, as LightGBM's own
 * parser does) or `nan`/`inf`/`-inf`. Anything else is malformed.
 *
 * @throws LOOM_ERR_GBDT_MODEL_FORMAT_INVALID naming `line` and `field`.
 *
 * @internal
 */
export function parseModelNumber(token: string, line: number, field: string): number {
  if (DECIMAL.test(token)) return Number(token);
  const special = SPECIAL[token.toLowerCase()];
  if (special !== undefined) return special;
  throw modelFormatError(line, field, `"${clip(token)}" is not a number`);
}

/**
 * Parses an integer in [min, max].
 *
 * @throws LOOM_ERR_GBDT_MODEL_FORMAT_INVALID naming `line` and `field`.
 *
 * @internal
 */
export function parseModelInt(token: string, line: number, field: string, min = -2147483648, max = 2147483647): number {
  if (!INTEGER.test(token)) throw modelFormatError(line, field, `"${clip(token)}" is not an integer`);
  const value = Number(token);
  if (value < min || value > max) throw modelFormatError(line, field, `${token} is outside [${min}, ${max}]`);
  return value;
}

/**
 * Parses a space-separated list of exactly `count` numbers (integers in [min, max] when `integer`) into `out`
 * (caller-owned, at least `count` long). An empty value is a list of none.
 *
 * @throws LOOM_ERR_GBDT_MODEL_FORMAT_INVALID naming `line` and `field`, for a wrong count or a bad number.
 *
 * @internal
 */
export function parseModelList(value: string, count: number, out: { [i: number]: number }, line: number, field: string, integer: { min: number; max: number } | null): void {
  // LightGBM separates with one space; like its reader, tolerate runs of spaces.
  const tokens = value.split(' ').filter((t) => t !== '');
  if (tokens.length !== count) throw modelFormatError(line, field, `it has ${tokens.length} values; ${count} are needed`);
  for (let i = 0; i < count; i++) {
    out[i] = integer === null ? parseModelNumber(tokens[i], line, field) : parseModelInt(tokens[i], line, field, integer.min, integer.max);
  }
}

function clip(token: string): string {
  return token.length > 40 ? `${token.slice(0, 40)}…` : token;
}
