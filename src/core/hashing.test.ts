import assert from 'node:assert/strict';
import { test } from 'node:test';
import { canonicalJson, fnv1aBytes, hashJson, sha256Hex } from './hashing.js';

test('canonical JSON sorts keys at every depth and drops undefined members', () => {
  assert.equal(canonicalJson({ b: 1, a: { d: [3, { z: 1, y: 2 }], c: 'x' }, u: undefined }), '{"a":{"c":"x","d":[3,{"y":2,"z":1}]},"b":1}');
  assert.equal(canonicalJson(-0), '0');
  assert.equal(canonicalJson(new Float64Array([1.5, 2])), '[1.5,2]');
  assert.equal(canonicalJson(new Date(Date.UTC(2024, 0, 2))), '"2024-01-02T00:00:00.000Z"');
});

test('hashJson is independent of key order and matches sha256 of the canonical text', () => {
  assert.equal(hashJson({ a: 1, b: [true, null] }), hashJson({ b: [true, null], a: 1 }));
  // sha256('{"a":1}') computed independently with `printf '{"a":1}' | sha256sum`.
  assert.equal(hashJson({ a: 1 }), '015abd7f5cc57a2dd94b7590f04ad8084273905ee33ec5cebeae62276a97f862');
  assert.equal(sha256Hex(''), 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
});

test('values without a canonical form are rejected with a coded error naming the path', () => {
  for (const [value, path] of [
    [{ a: [1, Number.NaN] }, '$.a[1]'],
    [{ f: () => 1 }, '$.f'],
    [[undefined], '$[0]'],
    [{ n: 10n }, '$.n'],
  ] as const) {
    assert.throws(() => canonicalJson(value), (err: any) => err.code === 'LOOM_ERR_HASH_UNSUPPORTED_VALUE' && err.details.field === path);
  }
});

test('fnv1aBytes gives the published FNV-1a 32-bit test vectors', () => {
  const bytes = (s: string) => new TextEncoder().encode(s);
  assert.equal(fnv1aBytes(bytes('')), 0x811c9dc5);
  assert.equal(fnv1aBytes(bytes('a')), 0xe40c292c);
  assert.equal(fnv1aBytes(bytes('foobar')), 0xbf9cf968);
  // A range of a larger array hashes as those bytes alone.
  assert.equal(fnv1aBytes(bytes('xxfoobaryy'), 2, 8), 0xbf9cf968);
});
