import { LoomError } from '../../core/errors/index.js';
import type { JoinKey } from '../definitions/entity.js';
import type { FeatureType } from '../definitions/feature-types.js';
import type { FeatureValue } from '../definitions/on-demand-view.js';

/** An entity's join-key values, by key name: `{ customer_id: 7 }`, `{ customer_id: 7, merchant_id: 'm1' }`. */
export type EntityKeyValues = Readonly<Record<string, string | number | bigint>>;

/**
 * @internal The canonical text of an entity's key in one view: the JSON array of its join-key values in key order,
 * ints as decimal integers and strings as strings, so `7`, `7n` and `'7'` (for an int key) all name the same entity.
 * @throws LOOM_ERR_FEATURES_ENTITY_KEY_MISSING, LOOM_ERR_FEATURES_ONLINE_INVALID_KEY
 */
export function entityKeyOf(keys: readonly JoinKey[], values: Readonly<Record<string, unknown>>, view: string, where: string): string {
  const parts: (string | number)[] = [];
  for (const k of keys) {
    const raw = values[k.name];
    if (raw === undefined || raw === null) {
      throw new LoomError('FEATURES_ENTITY_KEY_MISSING', { column: k.name, entity: where, view, available: Object.keys(values).join(', ') || '(none)' }, { details: { field: k.name } });
    }
    parts.push(k.type === 'int' ? intKey(raw, k.name, view) : stringKey(raw, k.name, view));
  }
  return JSON.stringify(parts);
}

function intKey(raw: unknown, name: string, view: string): number {
  const n = typeof raw === 'bigint' ? Number(raw) : typeof raw === 'string' && /^-?\d+$/.test(raw.trim()) ? Number(raw.trim()) : raw;
  if (typeof n !== 'number' || !Number.isSafeInteger(n)) throw invalidKey(name, view, `${JSON.stringify(String(raw))} is not a safe integer`);
  return n;
}

function stringKey(raw: unknown, name: string, view: string): string {
  if (typeof raw === 'string') return raw;
  if (typeof raw === 'number' || typeof raw === 'bigint') return String(raw);
  throw invalidKey(name, view, `a ${typeof raw} is not a string`);
}

function invalidKey(name: string, view: string, problem: string): LoomError {
  return new LoomError('FEATURES_ONLINE_INVALID_KEY', { column: name, view, problem }, { details: { field: name } });
}

/**
 * @internal The JSON text a value is stored as: numbers (non-finite floats as the strings "NaN", "Infinity",
 * "-Infinity"), booleans, strings, timestamps as epoch ms, null.
 */
export function encodeFeatureValue(value: unknown, type: FeatureType): string {
  if (value === null || value === undefined) return 'null';
  switch (type) {
    case 'float':
    case 'int': {
      const n = typeof value === 'bigint' ? Number(value) : Number(value);
      return Number.isFinite(n) ? JSON.stringify(n) : JSON.stringify(String(n));
    }
    case 'bool':
      return value ? 'true' : 'false';
    case 'string':
      return JSON.stringify(String(value));
    case 'timestamp': {
      const ms = value instanceof Date ? value.getTime() : typeof value === 'number' || typeof value === 'bigint' ? Number(value) : Date.parse(String(value));
      return Number.isFinite(ms) ? JSON.stringify(ms) : 'null';
    }
  }
}

/** @internal The inverse of encodeFeatureValue; a missing field (undefined/null text) reads as null. */
export function decodeFeatureValue(text: string | null | undefined, type: FeatureType): FeatureValue {
  if (text === null || text === undefined) return null;
  const v = JSON.parse(text) as unknown;
  if (v === null) return null;
  if (type === 'timestamp') return new Date(v as number);
  if ((type === 'float' || type === 'int') && typeof v === 'string') return Number(v);
  return v as FeatureValue;
}
