import assert from 'node:assert/strict';
import { test } from 'node:test';
import { murmurHash3, murmurHash3String } from './murmur-hash3.js';

// Published MurmurHash3 x86_32 reference values (the widely reproduced table of Appleby's reference implementation).
const VECTORS: ReadonlyArray<readonly [string, number, number]> = [
  ['', 0x00000000, 0x00000000],
  ['', 0x00000001, 0x514e28b7],
  ['', 0xffffffff, 0x81f16f39],
  ['test', 0x00000000, 0xba6bd213],
  ['test', 0x9747b28c, 0x704b81dc],
  ['Hello, world!', 0x00000000, 0xc0363e43],
  ['Hello, world!', 0x9747b28c, 0x24884cba],
  ['The quick brown fox jumps over the lazy dog', 0x00000000, 0x2e4ff723],
  ['The quick brown fox jumps over the lazy dog', 0x9747b28c, 0x2fa826cd],
  ['a', 0x9747b28c, 0x7fa09ea6],
  ['aa', 0x9747b28c, 0x5d211726],
  ['aaa', 0x9747b28c, 0x283e0130],
  ['aaaa', 0x9747b28c, 0x5a97808a],
  ['abc', 0x00000000, 0xb3dd93fa],
  ['abcd', 0x9747b28c, 0xf0478627],
  ['ππππππππ', 0x9747b28c, 0xd58063c1],
  ['a'.repeat(256), 0x9747b28c, 0x37405bdc],
];

test('MurmurHash3 x86_32 matches the published reference vectors (UTF-8 strings)', () => {
  for (const [text, seed, expected] of VECTORS) assert.equal(murmurHash3String(text, seed), expected, `${JSON.stringify(text.slice(0, 20))} seed ${seed}`);
});

test('MurmurHash3 x86_32 byte vectors: tails of 1–3 bytes and zero blocks', () => {
  const bytes = (...b: number[]) => Uint8Array.from(b);
  assert.equal(murmurHash3(bytes(0, 0, 0, 0), 4, 0), 0x2362f9de);
  assert.equal(murmurHash3(bytes(0, 0, 0), 3, 0), 0x85f0b427);
  assert.equal(murmurHash3(bytes(0, 0), 2, 0), 0x30f4c306);
  assert.equal(murmurHash3(bytes(0xff, 0xff, 0xff, 0xff), 4, 0), 0x76293b50);
  assert.equal(murmurHash3(bytes(0x21, 0x43, 0x65, 0x87), 4, 0), 0xf55b516b);
  assert.equal(murmurHash3(bytes(0x21, 0x43, 0x65), 3, 0), 0x7e4a8634);
  assert.equal(murmurHash3(bytes(0x21, 0x43), 2, 0), 0xa0f7b07a);
  assert.equal(murmurHash3(bytes(0x21), 1, 0), 0x72661cf4);
  // Only the first `length` bytes count.
  assert.equal(murmurHash3(bytes(0x21, 0x43, 0x99), 2, 0), 0xa0f7b07a);
});

test('SMHasher verification value of Murmur3A is 0xB0F57EE3', () => {
  // SMHasher's VerificationTest: hash {0}, {0,1}, … {0..254} with seed 256 − n, concatenate the hashes little-endian,
  // and hash that buffer with seed 0.
  const key = new Uint8Array(256);
  const hashes = new Uint8Array(1024);
  const view = new DataView(hashes.buffer);
  for (let i = 0; i < 256; i++) {
    key[i] = i;
    view.setUint32(i * 4, murmurHash3(key, i, 256 - i), true);
  }
  assert.equal(murmurHash3(hashes, 1024, 0), 0xb0f57ee3);
});
