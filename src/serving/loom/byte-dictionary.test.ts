import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ByteDictionary, NOT_IN_DICTIONARY } from './byte-dictionary.js';

const bytes = (s: string) => Buffer.from(s, 'utf8');

test('a byte dictionary gives each entry its code, as a Map of the strings would', () => {
  const strings = Array.from({ length: 300 }, (_, i) => (i % 3 === 0 ? `c${i}` : i % 3 === 1 ? `ü${i}€` : `${'x'.repeat(i % 17)}${i}😀`));
  strings.push('', 'c3');
  const dict = new ByteDictionary(strings);
  const map = new Map(strings.map((s, i) => [s, i]));
  for (const s of new Set(strings)) assert.equal(dict.get(bytes(s), 0, bytes(s).length), map.get(s), s);
  // The last of equal strings wins ('c3' is entry 1 and entry 301).
  assert.equal(dict.get(bytes('c3'), 0, 2), 301);
  assert.equal(dict.get(bytes('"c6"'), 1, 3), map.get('c6'));
  for (const s of ['c1', 'ü', 'C0', 'c00', 'x']) assert.equal(dict.get(bytes(s), 0, bytes(s).length), NOT_IN_DICTIONARY, s);
});

test('an entry that UTF-8 cannot hold (a lone surrogate) is not found by the bytes of U+FFFD', () => {
  const dict = new ByteDictionary(['a\ud800', 'b']);
  const replaced = bytes('a\ud800');
  assert.deepEqual([...replaced], [0x61, 0xef, 0xbf, 0xbd]);
  assert.equal(dict.get(replaced, 0, replaced.length), NOT_IN_DICTIONARY);
  assert.equal(dict.get(bytes('b'), 0, 1), 1);
});
