import { FNV_OFFSET, FNV_PRIME } from '../../core/hashing.js';
import { ByteDictionary, NOT_IN_DICTIONARY, sameBytes } from './byte-dictionary.js';

/** One input-signature column as the decoder reads it. */
export interface DecodedColumn {
  readonly name: string;
  readonly type: 'float' | 'int' | 'bool' | 'timestamp' | 'category' | 'string';
  /** The column's model feature (its index in a row), or -1 when the model does not use it (the value is only checked). */
  readonly slot: number;
  /** For a category feature, the model's training dictionary (a value's code is its index; others score as -1). */
  readonly dictionary: readonly string[] | null;
}

const SPACE = 0x20;
const TAB = 0x09;
const LF = 0x0a;
const CR = 0x0d;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const COLON = 0x3a;
const MINUS = 0x2d;
const PLUS = 0x2b;
const DOT = 0x2e;
const ZERO = 0x30;
const NINE = 0x39;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const RECORDS_KEY = new TextEncoder().encode('"records"');
const NULL = new TextEncoder().encode('null');
const TRUE = new TextEncoder().encode('true');
const FALSE = new TextEncoder().encode('false');
/** 10^0 … 10^22: the powers of ten a double holds exactly. */
const POW10 = Float64Array.from({ length: 23 }, (_, k) => 10 ** k);
/** Decodes ASCII bytes (windows-1252, which WHATWG calls latin1, reads ASCII as ASCII). */
const ASCII = new TextDecoder('latin1');
/** A number text longer than this is left to JSON.parse. */
const MAX_NUMBER_TEXT = 64;

const FLOAT = 0;
const INT = 1;
const BOOL = 2;
const TIMESTAMP = 3;
const CATEGORY = 4;
const STRING = 5;
const KINDS = { float: FLOAT, int: INT, bool: BOOL, timestamp: TIMESTAMP, category: CATEGORY, string: STRING } as const;

/**
 * Reads a Loom predict body of the plain form `{"records": [{column: value, …}, …]}` straight from its bytes into
 * feature rows, without JSON.parse building the records first: the rows RowScorer.features writes for the records
 * JSON.parse gives, bit for bit, when the body parses and every record passes its checks.
 *
 * It declines (returns 0) on anything else, and the caller parses the body as usual, which reports what is wrong or
 * handles what the decoder does not: another body key (options, `entities`, `id`…), a record with a field missing,
 * repeated or unknown to the signature, a value that fails its column's check (wrong type, not finite, not a safe
 * integer), a string holding an escape (`\`) or a control character, a category beyond ASCII that is not in the
 * dictionary, a timestamp given as a string, and text that is not JSON.
 *
 * Numbers are read as JSON.parse reads them: a decimal of at most 2^53 in its digits and a power of ten of at most 22
 * is one correctly rounded multiplication or division of two exact doubles (Clinger's fast path); any other number
 * goes through Number(), the same correctly rounded conversion as JSON.parse's.
 * (src/serving/batching/row-scorer.test.ts compares the decoder with JSON.parse + RowScorer.features.)
 *
 * Asked to, it also keeps each field's JSON value (what JSON.parse gives for it) for the prediction log; a string
 * beyond ASCII in a column the model does not look up is then declined too.
 *
 * @example
 * const n = decoder.decode(Buffer.from('{"records":[{"age":39,"workclass":"Private"}]}'), 100_000); // 1
 * decoder.rows.subarray(0, n * decoder.width); // the feature row
 */
export class RecordsDecoder {
  /** Number of feature values per record. */
  readonly width: number;
  readonly #names: readonly Uint8Array[];
  readonly #kinds: Uint8Array;
  readonly #slots: Int32Array;
  readonly #dictionaries: readonly (ByteDictionary | null)[];
  /** Per column, the category dictionary's strings (for the values kept), or null. */
  readonly #strings: readonly (readonly string[] | null)[];
  /** Per column, the JSON values of the records of the last `decode`, when it was asked to keep them. */
  #values: unknown[][] | null = null;
  /** Per column, the number of the record that last set it (to tell a repeated or missing field). */
  readonly #seen: Float64Array;
  #record = 0;
  #rows: Float64Array;
  #first: Float64Array;
  /** Where the last value read ended. */
  #end = 0;

  constructor(columns: readonly DecodedColumn[], width: number) {
    this.width = width;
    // A `__proto__` key makes the parsed path's JSON parser refuse the body, so that column's name matches nothing
    // (a NUL byte never starts a key) and its records are declined to the parsed path.
    this.#names = columns.map((c) => (c.name === '__proto__' ? Uint8Array.of(0) : new TextEncoder().encode(JSON.stringify(c.name))));
    this.#kinds = Uint8Array.from(columns, (c) => KINDS[c.type]);
    this.#slots = Int32Array.from(columns, (c) => c.slot);
    this.#dictionaries = columns.map((c) => (c.type === 'category' && c.slot >= 0 ? new ByteDictionary(c.dictionary ?? []) : null));
    this.#strings = columns.map((c) => (c.type === 'category' && c.slot >= 0 ? (c.dictionary ?? []) : null));
    this.#seen = new Float64Array(columns.length);
    this.#rows = new Float64Array(width * 4);
    this.#first = this.#rows.subarray(0, width);
  }

  /** The rows of the last `decode`, back to back (reused by the next call: copy what you keep). */
  get rows(): Float64Array {
    return this.#rows;
  }

  /** The first row of the last `decode`, as a view of exactly `width` values. */
  get firstRow(): Float64Array {
    return this.#first;
  }

  /**
   * Per signature column, the JSON value of each record of the last `decode` (what JSON.parse gives), when it was
   * asked to keep them; arrays of their own, not reused.
   */
  get values(): readonly (readonly unknown[])[] | null {
    return this.#values;
  }

  /**
   * Decodes `body` into `rows`, and keeps the fields' JSON values when `keepValues`; the number of records, or 0
   * when the body is not a plain, valid records body of at most `maxRecords`.
   */
  decode(body: Uint8Array, maxRecords: number, keepValues = false): number {
    this.#values = keepValues ? this.#names.map(() => []) : null;
    let i = skipSpace(body, 0);
    if (body[i] !== OPEN_BRACE) return 0;
    i = skipSpace(body, i + 1);
    if (!startsWith(body, i, RECORDS_KEY)) return 0;
    i = skipSpace(body, i + RECORDS_KEY.length);
    if (body[i] !== COLON) return 0;
    i = skipSpace(body, i + 1);
    if (body[i] !== OPEN_BRACKET) return 0;
    i = skipSpace(body, i + 1);
    let n = 0;
    for (;;) {
      if (n === maxRecords) return 0;
      i = this.#readRecord(body, i, n);
      if (i < 0) return 0;
      n++;
      i = skipSpace(body, i);
      if (body[i] === CLOSE_BRACKET) break;
      if (body[i] !== COMMA) return 0;
      i = skipSpace(body, i + 1);
    }
    i = skipSpace(body, i + 1);
    if (body[i] !== CLOSE_BRACE) return 0;
    return skipSpace(body, i + 1) === body.length ? n : 0;
  }

  /** Reads the record at `i` into row `r`; the index after it, or -1. */
  #readRecord(body: Uint8Array, start: number, r: number): number {
    if (body[start] !== OPEN_BRACE) return -1;
    const base = r * this.width;
    if (base + this.width > this.#rows.length) this.#grow(base + this.width);
    const record = ++this.#record;
    const names = this.#names;
    const seen = this.#seen;
    const columns = names.length;
    let found = 0;
    let next = 0;
    let i = skipSpace(body, start + 1);
    if (body[i] === CLOSE_BRACE) return columns === 0 ? i + 1 : -1;
    for (;;) {
      if (body[i] !== QUOTE) return -1;
      // Fields usually come in the signature's order: the next column's quoted name is tried first (JSON.stringify's
      // bytes for the name: one whole string token, so matching it through its closing quote matches the key).
      let c = next < columns && startsWith(body, i, names[next]) ? next : -1;
      let end = i + (c < 0 ? 0 : names[c].length);
      if (c < 0) {
        end = stringEnd(body, i);
        if (end < 0) return -1;
        c = findName(names, body, i, end);
      }
      if (c < 0 || seen[c] === record) return -1;
      seen[c] = record;
      found++;
      next = c + 1;
      i = skipSpace(body, end);
      if (body[i] !== COLON) return -1;
      i = this.#readValue(body, skipSpace(body, i + 1), c, r, base);
      if (i < 0) return -1;
      i = skipSpace(body, i);
      if (body[i] === CLOSE_BRACE) return found === columns ? i + 1 : -1;
      if (body[i] !== COMMA) return -1;
      i = skipSpace(body, i + 1);
    }
  }

  /**
   * Reads column c's value at `i` for record r, checks it and writes its feature value into the row at `base` (and
   * keeps it, when asked); the index after it, or -1.
   */
  #readValue(body: Uint8Array, i: number, c: number, r: number, base: number): number {
    const slot = this.#slots[c];
    const kind = this.#kinds[c];
    const rows = this.#rows;
    const values = this.#values;
    // A GBDT model accepts null in every column (it routes missing values natively).
    if (body[i] === NULL[0]) {
      if (!startsWith(body, i, NULL)) return -1;
      if (slot >= 0) rows[base + slot] = kind === CATEGORY ? -1 : Number.NaN;
      if (values !== null) values[c][r] = null;
      return i + NULL.length;
    }
    switch (kind) {
      case FLOAT:
      case INT:
      case TIMESTAMP: {
        const v = this.#readNumber(body, i);
        if (!Number.isFinite(v) || (kind === INT && !Number.isSafeInteger(v))) return -1;
        // One int32-range value is stored in an Int32Array, which turns -0 into 0.
        if (slot >= 0) rows[base + slot] = kind === INT && v === 0 ? 0 : v;
        if (values !== null) values[c][r] = v;
        return this.#end;
      }
      case BOOL:
        if (startsWith(body, i, TRUE)) {
          if (slot >= 0) rows[base + slot] = 1;
          if (values !== null) values[c][r] = true;
          return i + TRUE.length;
        }
        if (startsWith(body, i, FALSE)) {
          if (slot >= 0) rows[base + slot] = 0;
          if (values !== null) values[c][r] = false;
          return i + FALSE.length;
        }
        return -1;
      default: {
        if (body[i] !== QUOTE) return -1;
        const dictionary = this.#dictionaries[c];
        if (dictionary === null) {
          const end = stringEnd(body, i);
          if (values !== null && end > 0) {
            const text = asciiText(body, i + 1, end - 1);
            if (text === null) return -1;
            values[c][r] = text;
          }
          return end;
        }
        // One pass finds the string's end, hashes it and tells whether it is all ASCII.
        const length = body.length;
        let hash = FNV_OFFSET | 0;
        let bits = 0;
        let j = i + 1;
        for (; j < length; j++) {
          const ch = body[j];
          if (ch === QUOTE) break;
          if (ch === BACKSLASH || ch < SPACE) return -1;
          bits |= ch;
          hash = Math.imul(hash ^ ch, FNV_PRIME);
        }
        if (j === length) return -1;
        const code = dictionary.find(hash >>> 0, body, i + 1, j);
        // Bytes beyond ASCII that name no entry might still decode to one (invalid UTF-8 reads as U+FFFD).
        if (code === NOT_IN_DICTIONARY && bits >= 0x80) return -1;
        rows[base + slot] = code === NOT_IN_DICTIONARY ? -1 : code;
        if (values !== null) values[c][r] = code === NOT_IN_DICTIONARY ? asciiText(body, i + 1, j) : this.#strings[c]![code];
        return j + 1;
      }
    }
  }

  /** The JSON number at `i` as JSON.parse reads it (its end in #end), or NaN when there is none or it is left to JSON.parse. */
  #readNumber(body: Uint8Array, start: number): number {
    let i = start;
    const negative = body[i] === MINUS;
    if (negative) i++;
    let digits = 0;
    let ch = body[i];
    if (ch === ZERO) {
      ch = body[++i];
      if (ch >= ZERO && ch <= NINE) return Number.NaN;
    } else if (ch > ZERO && ch <= NINE) {
      do {
        digits = digits * 10 + (ch - ZERO);
        ch = body[++i];
      } while (ch >= ZERO && ch <= NINE);
    } else {
      return Number.NaN;
    }
    let scale = 0;
    if (ch === DOT) {
      ch = body[++i];
      if (!(ch >= ZERO && ch <= NINE)) return Number.NaN;
      do {
        digits = digits * 10 + (ch - ZERO);
        scale++;
        ch = body[++i];
      } while (ch >= ZERO && ch <= NINE);
    }
    let exponent = 0;
    if (ch === 0x65 || ch === 0x45) {
      ch = body[++i];
      const sign = ch === MINUS ? -1 : 1;
      if (ch === MINUS || ch === PLUS) ch = body[++i];
      if (!(ch >= ZERO && ch <= NINE)) return Number.NaN;
      do {
        if (exponent < 1e6) exponent = exponent * 10 + (ch - ZERO);
        ch = body[++i];
      } while (ch >= ZERO && ch <= NINE);
      exponent *= sign;
    }
    this.#end = i;
    // Every partial sum was below `digits`, so a total of at most 2^53 was added up exactly.
    const power = exponent - scale;
    let v: number;
    if (digits <= 2 ** 53 && power >= -22 && power <= 22) v = power >= 0 ? digits * POW10[power] : digits / POW10[-power];
    else if (i - start <= MAX_NUMBER_TEXT) return Number(String.fromCharCode.apply(null, body.subarray(start, i) as unknown as number[]));
    else return Number.NaN;
    return negative ? -v : v;
  }

  #grow(needed: number): void {
    let size = this.#rows.length * 2;
    while (size < needed) size *= 2;
    const rows = new Float64Array(size);
    rows.set(this.#rows);
    this.#rows = rows;
    this.#first = rows.subarray(0, this.width);
  }
}

/** The index of the first byte at or after `i` that is not JSON whitespace. */
function skipSpace(body: Uint8Array, start: number): number {
  if (body[start] > SPACE) return start;
  let i = start;
  for (let ch = body[i]; ch === SPACE || ch === LF || ch === CR || ch === TAB; ch = body[++i]);
  return i;
}

/** The index after the closing quote of the string whose opening quote is at `i`, or -1 for a string with an escape or a control character, or none. */
function stringEnd(body: Uint8Array, start: number): number {
  for (let i = start + 1; i < body.length; i++) {
    const ch = body[i];
    if (ch === QUOTE) return i + 1;
    if (ch === BACKSLASH || ch < SPACE) return -1;
  }
  return -1;
}

/** The column whose quoted name is `body[start, end)`, or -1. */
function findName(names: readonly Uint8Array[], body: Uint8Array, start: number, end: number): number {
  for (let c = 0; c < names.length; c++) if (names[c].length === end - start && sameBytes(names[c], 0, body, start, end - start)) return c;
  return -1;
}

/** The string of `body[start, end)` when every byte is ASCII (which reads the same in UTF-8), else null. */
function asciiText(body: Uint8Array, start: number, end: number): string | null {
  for (let i = start; i < end; i++) if (body[i] >= 0x80) return null;
  return ASCII.decode(body.subarray(start, end));
}

function startsWith(body: Uint8Array, i: number, word: Uint8Array): boolean {
  return i + word.length <= body.length && sameBytes(word, 0, body, i, word.length);
}
