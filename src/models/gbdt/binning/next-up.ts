const F64 = new Float64Array(1);
const U32 = new Uint32Array(F64.buffer);
/** Index of the low 32-bit word of a double in U32 (little-endian platforms: 0). */
const LO = new Uint8Array(Uint16Array.of(1).buffer)[0] === 1 ? 0 : 1;
const HI = 1 - LO;

/** The smallest double greater than `x` (C's `nextafter(x, +Infinity)`); NaN and +Infinity map to themselves. */
export function nextUp(x: number): number {
  if (x !== x || x === Number.POSITIVE_INFINITY) return x;
  if (x === 0) return Number.MIN_VALUE;
  F64[0] = x;
  if (x > 0) {
    // Positive: the next larger magnitude.
    if (U32[LO] === 0xffffffff) {
      U32[LO] = 0;
      U32[HI]++;
    } else U32[LO]++;
  } else if (U32[LO] === 0) {
    // Negative: the next smaller magnitude.
    U32[LO] = 0xffffffff;
    U32[HI]--;
  } else U32[LO]--;
  return F64[0];
}
