/** Bytes needed for a validity bitmap of `length` rows. */
export function validityBytes(length: number): number {
  return (length + 7) >> 3;
}

/** True when row `i` is valid. A `null` bitmap means all rows are valid. */
export function isValid(validity: Uint8Array | null, i: number): boolean {
  return validity === null || (validity[i >> 3] & (1 << (i & 7))) !== 0;
}

/** A bitmap with every row valid (`true`) or every row null (`false`). */
export function newValidity(length: number, allValid: boolean): Uint8Array {
  const bitmap = new Uint8Array(validityBytes(length));
  if (allValid) bitmap.fill(0xff);
  return bitmap;
}

/** Sets row `i` valid or null in place. */
export function setValid(validity: Uint8Array, i: number, valid: boolean): void {
  if (valid) validity[i >> 3] |= 1 << (i & 7);
  else validity[i >> 3] &= ~(1 << (i & 7));
}

/** Number of null rows among the first `length`. */
export function countNulls(validity: Uint8Array | null, length: number): number {
  if (validity === null) return 0;
  let valid = 0;
  const full = length >> 3;
  for (let b = 0; b < full; b++) valid += POPCOUNT[validity[b]];
  for (let i = full << 3; i < length; i++) if (validity[i >> 3] & (1 << (i & 7))) valid++;
  return length - valid;
}

/** Copies rows [start, end) of a bitmap into a new bitmap starting at bit 0. `null` stays `null`. */
export function sliceValidity(validity: Uint8Array | null, start: number, end: number): Uint8Array | null {
  if (validity === null) return null;
  const length = end - start;
  if ((start & 7) === 0) return validity.slice(start >> 3, (start >> 3) + validityBytes(length));
  const out = new Uint8Array(validityBytes(length));
  for (let i = 0; i < length; i++) if (isValid(validity, start + i)) out[i >> 3] |= 1 << (i & 7);
  return out;
}

/** Gathers the bits at `indices` into a new bitmap. `null` stays `null`. */
export function takeValidity(validity: Uint8Array | null, indices: Int32Array): Uint8Array | null {
  if (validity === null) return null;
  const out = new Uint8Array(validityBytes(indices.length));
  for (let i = 0; i < indices.length; i++) if (isValid(validity, indices[i])) out[i >> 3] |= 1 << (i & 7);
  return out;
}

const POPCOUNT = (() => {
  const table = new Uint8Array(256);
  for (let i = 1; i < 256; i++) table[i] = (i & 1) + table[i >> 1];
  return table;
})();
