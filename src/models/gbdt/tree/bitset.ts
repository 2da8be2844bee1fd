/** Bitset words (32 bits each) with bit `v` set for every value in `values` (non-negative integers). */
export function bitsetFromValues(values: ArrayLike<number>): number[] {
  let max = -1;
  for (let i = 0; i < values.length; i++) if (values[i] > max) max = values[i];
  const words = new Array<number>((max >> 5) + 1).fill(0);
  for (let i = 0; i < values.length; i++) words[values[i] >> 5] = (words[values[i] >> 5] | (1 << (values[i] & 31))) >>> 0;
  return words;
}

/** True when bit `value` is set in `words[start .. end)`. Values beyond the bitset are not in it. */
export function bitsetHas(words: ArrayLike<number>, start: number, end: number, value: number): boolean {
  const word = start + (value >> 5);
  if (value < 0 || word >= end) return false;
  return ((words[word] >>> (value & 31)) & 1) === 1;
}
