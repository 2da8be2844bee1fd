import { createHash } from 'node:crypto';
import { LoomError } from '../../core/errors/index.js';

/** The environment variable holding the pseudonymization key. */
export const PII_KEY_ENV = 'LOOM_PII_KEY';

/**
 * A DuckDB SQL expression computing HMAC-SHA256(key, text) as lowercase hex, so pseudonymization runs inside the
 * engine over whole columns. HMAC(K, m) = H((K' ⊕ opad) ‖ H((K' ⊕ ipad) ‖ m)), where K' is the key padded (or first
 * hashed, when longer than the 64-byte block) to 64 bytes; the two padded keys are precomputed here. The key never
 * appears in stored metadata, only in this in-memory query. Equal to node:crypto `createHmac('sha256', key)`.
 *
 * @param textSql an expression of type VARCHAR; NULL stays NULL.
 */
export function hmacSql(key: string, textSql: string): string {
  let k = Buffer.from(key, 'utf8');
  if (k.length > 64) k = createHash('sha256').update(k).digest();
  const block = Buffer.alloc(64);
  k.copy(block);
  const inner = Buffer.from(block.map((b) => b ^ 0x36)).toString('hex');
  const outer = Buffer.from(block.map((b) => b ^ 0x5c)).toString('hex');
  return `sha256(unhex('${outer}') || unhex(sha256(unhex('${inner}') || encode(${textSql}))))`;
}

/** The pseudonymization key from the environment. @throws LOOM_ERR_DATA_PII_KEY_MISSING naming the first pii column */
export function piiKey(env: Readonly<Record<string, string | undefined>>, column: string): string {
  const key = env[PII_KEY_ENV];
  if (key === undefined || key === '') throw new LoomError('DATA_PII_KEY_MISSING', { column }, { details: { field: column } });
  return key;
}
