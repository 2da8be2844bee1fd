import assert from 'node:assert/strict';
import { test } from 'node:test';
import { escapeGlob, parseRedisUri } from './redis-kv-store.js';

test('escapeGlob backslash-escapes every Redis glob character and nothing else', () => {
  const cases: ReadonlyArray<readonly [string, string]> = [
    ['plain:key', 'plain:key'],
    ['a*b?c', 'a\\*b\\?c'],
    ['[x]', '\\[x\\]'],
    ['back\\slash', 'back\\\\slash'],
    ['^-', '\\^\\-'],
    ['ünï 😀', 'ünï 😀'],
  ];
  for (const [text, escaped] of cases) assert.equal(escapeGlob(text), escaped, text);
});

test('parseRedisUri reads host, port, db, credentials, TLS and prefix', () => {
  const { target, prefix } = parseRedisUri('rediss://user:s%40cret@cache.internal:6380/15?prefix=loom%3Aprod%3A');
  assert.deepEqual(
    { ...target },
    { host: 'cache.internal', port: 6380, db: 15, username: 'user', password: 's@cret', tls: true, safeUri: 'rediss://user:***@cache.internal:6380/15?prefix=loom%3Aprod%3A' },
  );
  assert.equal(prefix, 'loom:prod:');
  const plain = parseRedisUri('redis://127.0.0.1');
  assert.deepEqual([plain.target.port, plain.target.db, plain.target.tls, plain.prefix], [6379, 0, false, '']);
});

test('parseRedisUri rejects what it cannot use with CONFIG_INVALID', () => {
  for (const uri of ['redis://host/abc', 'redis://host/1/2', 'redis://host/0?db=1', 'redis://', `redis://host/0?prefix=${'p'.repeat(257)}`]) {
    assert.throws(() => parseRedisUri(uri), { code: 'LOOM_ERR_CONFIG_INVALID' }, uri);
  }
});
