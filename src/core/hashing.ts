import { createHash } from 'node:crypto';
import { LoomError } from './errors/index.js';

/**
 * Canonical JSON: object keys sorted by UTF-16 code unit, no whitespace, numbers as `JSON.stringify` prints them,
 * `-0` as `0`. Arrays keep their order. `undefined` object members are dropped (as JSON does); `undefined` array
 * items, NaN, ±Infinity, bigint, functions and symbols are rejected, because they have no canonical JSON form.
 * Typed arrays are written as plain number arrays.
 */
export function canonicalJson(value: unknown): string {
  const out: string[] = [];
  write(value, '$', out);
  return out.join('');
}

/** SHA-256 hex of the canonical JSON of `value`. Equal values give equal hashes whatever their key order. */
export function hashJson(value: unknown): string {
  return sha256Hex(canonicalJson(value));
}

/** SHA-256 hex of bytes or a UTF-8 string. */
export function sha256Hex(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

/** FNV-1a (32 bits): the offset basis and the prime, for hashes computed inline on hot paths. */
export const FNV_OFFSET = 0x811c9dc5;
export const FNV_PRIME = 0x01000193;

/** FNV-1a (32 bits, unsigned) of `bytes[start, end)`. */
export function fnv1aBytes(bytes: Uint8Array, start = 0, end = bytes.length): number {
  let h = FNV_OFFSET;
  for (let i = start; i < end; i++) h = Math.imul(h ^ bytes[i], FNV_PRIME);
  return h >>> 0;
}

function write(value: unknown, path: string, out: string[]): void {
  if (value === null) {
    out.push('null');
    return;
  }
  switch (typeof value) {
    case 'boolean':
      out.push(value ? 'true' : 'false');
      return;
    case 'string':
      out.push(JSON.stringify(value));
      return;
    case 'number':
      if (!Number.isFinite(value)) throw unsupported(path, `${value} is not a finite number`);
      out.push(Object.is(value, -0) ? '0' : JSON.stringify(value));
      return;
    case 'object':
      break;
    default:
      throw unsupported(path, `a ${typeof value} has no JSON form`);
  }
  if (ArrayBuffer.isView(value) && !(value instanceof DataView)) {
    writeArray(Array.from(value as unknown as ArrayLike<number>), path, out);
    return;
  }
  if (Array.isArray(value)) {
    writeArray(value, path, out);
    return;
  }
  if (value instanceof Date) {
    out.push(JSON.stringify(value.toISOString()));
    return;
  }
  const keys = Object.keys(value as object).sort();
  out.push('{');
  let first = true;
  for (const key of keys) {
    const member = (value as Record<string, unknown>)[key];
    if (member === undefined) continue;
    if (!first) out.push(',');
    first = false;
    out.push(JSON.stringify(key), ':');
    write(member, `${path}.${key}`, out);
  }
  out.push('}');
}

function writeArray(items: readonly unknown[], path: string, out: string[]): void {
  out.push('[');
  for (let i = 0; i < items.length; i++) {
    if (i > 0) out.push(',');
    if (items[i] === undefined) throw unsupported(`${path}[${i}]`, 'undefined inside an array');
    write(items[i], `${path}[${i}]`, out);
  }
  out.push(']');
}

function unsupported(path: string, problem: string): LoomError {
  return new LoomError('HASH_UNSUPPORTED_VALUE', { path, problem }, { details: { field: path } });
}
