import { fnv1aBytes } from '../../core/hashing.js';

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** Returned by ByteDictionary.get for bytes that are not one of its strings. */
export const NOT_IN_DICTIONARY = -2;

/**
 * A category dictionary looked up by the UTF-8 bytes of a value, without making a string: an open-addressing table
 * of FNV-1a hashes over the entries' bytes. `get(bytes, start, end)` gives the code `new Map(strings.map((s, i) =>
 * [s, i])).get(s)` gives for the string those bytes decode to, whenever the bytes are an entry's encoding.
 *
 * An entry whose string does not survive UTF-8 (a lone surrogate, which TextEncoder writes as U+FFFD) is left out:
 * bytes that decode to U+FFFD must not find it. Bytes not found here may still decode to an entry when they are not
 * valid UTF-8; callers treat bytes beyond ASCII that are not found as unknown (see RecordsDecoder).
 *
 * @example
 * const dict = new ByteDictionary(['Private', 'State-gov']);
 * dict.get(Buffer.from('"State-gov"'), 1, 10); // 1
 */
export class ByteDictionary {
  readonly #bytes: Uint8Array;
  readonly #starts: Int32Array;
  /** Per slot, the entry's index + 1, or 0 for an empty slot. */
  readonly #table: Int32Array;
  readonly #codes: Int32Array;
  readonly #mask: number;

  constructor(strings: readonly string[]) {
    // The last of equal strings wins, as in a Map built from the list.
    const codes = new Map<string, number>();
    strings.forEach((s, i) => {
      if (decoder.decode(encoder.encode(s)) === s) codes.set(s, i);
    });
    const encoded = [...codes.keys()].map((s) => encoder.encode(s));
    this.#starts = new Int32Array(encoded.length + 1);
    encoded.forEach((e, i) => (this.#starts[i + 1] = this.#starts[i] + e.length));
    this.#bytes = new Uint8Array(this.#starts[encoded.length]);
    encoded.forEach((e, i) => this.#bytes.set(e, this.#starts[i]));
    this.#codes = Int32Array.from(codes.values());
    let size = 8;
    while (size < encoded.length * 2) size *= 2;
    this.#mask = size - 1;
    this.#table = new Int32Array(size);
    encoded.forEach((e, i) => {
      let at = fnv1aBytes(e, 0, e.length) & this.#mask;
      while (this.#table[at] !== 0) at = (at + 1) & this.#mask;
      this.#table[at] = i + 1;
    });
  }

  /** The code of the entry whose UTF-8 encoding is `bytes[start, end)`, or NOT_IN_DICTIONARY. */
  get(bytes: Uint8Array, start: number, end: number): number {
    return this.find(fnv1aBytes(bytes, start, end), bytes, start, end);
  }

  /** `get` for bytes whose hash (FNV-1a, as fnv1aBytes computes it) the caller computed while reading them. */
  find(hash: number, bytes: Uint8Array, start: number, end: number): number {
    const table = this.#table;
    const starts = this.#starts;
    const length = end - start;
    let at = hash & this.#mask;
    for (let entry = table[at]; entry !== 0; entry = table[at]) {
      const from = starts[entry - 1];
      if (starts[entry] - from === length && sameBytes(this.#bytes, from, bytes, start, length)) return this.#codes[entry - 1];
      at = (at + 1) & this.#mask;
    }
    return NOT_IN_DICTIONARY;
  }
}

/** Whether `a[aStart, aStart + length)` and `b[bStart, bStart + length)` hold the same bytes. */
export function sameBytes(a: Uint8Array, aStart: number, b: Uint8Array, bStart: number, length: number): boolean {
  for (let i = 0; i < length; i++) if (a[aStart + i] !== b[bStart + i]) return false;
  return true;
}
