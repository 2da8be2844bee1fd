/**
 * f64x2 helpers for Loom's WebAssembly kernels, and `expOf`: exp(x) on two doubles at once, bit for bit
 * `Math.exp` (V8's fdlibm algorithm as lane selects; see docs/decisions/0006-gbdt-kernels-bit-exact.md).
 */

import { get, i32, mem, OP, set, uleb } from './assembler.js';

/** Value type v128. */
export const V128 = 0x7b;
/** SIMD opcodes (after the 0xfd prefix). */
export const S = {
  load: 0x00, store: 0x0b, const: 0x0c, f64x2Splat: 0x14, and: 0x4e, andnot: 0x4f, bitselect: 0x52,
  f64x2Eq: 0x47, or: 0x50, i64x2Eq: 0xd6, i64x2Sub: 0xd1, f64x2Lt: 0x49, f64x2Gt: 0x4a, f64x2Trunc: 0x7a, i64x2ExtendLowI32x4S: 0xc7, i64x2Shl: 0xcb,
  i64x2Add: 0xce, i64x2LtS: 0xd8, i64x2GeS: 0xdb, f64x2Abs: 0xec, f64x2Neg: 0xed, f64x2Add: 0xf0, f64x2Sub: 0xf1, f64x2Mul: 0xf2,
  f64x2Div: 0xf3, f64x2Max: 0xf5, i32x4TruncSatF64x2SZero: 0xfc,
} as const;
export const simd = (op: number): number[] => [OP.simd, ...uleb(op)];
export const vload = (offset = 0): number[] => [...simd(S.load), ...mem(3, offset)];
export const vstore = (offset = 0): number[] => [...simd(S.store), ...mem(3, offset)];

/** `v128.const` of two equal 8-byte lanes, written by `lane` at byte 0 and byte 8. */
function v128Const(lane: (view: DataView, at: number) => void): number[] {
  const bytes = new Uint8Array(16);
  const view = new DataView(bytes.buffer);
  lane(view, 0);
  lane(view, 8);
  return [...simd(S.const), ...bytes];
}

/** `v128.const` of two equal doubles. */
export const f64x2 = (value: number): number[] => v128Const((view, at) => view.setFloat64(at, value, true));
/** `v128.const` of two equal 64-bit integers (given as a bigint). */
export const i64x2 = (value: bigint): number[] => v128Const((view, at) => view.setBigInt64(at, value, true));

/** fdlibm's constants for exp, as V8 has them. */
const LN2_HI = 6.93147180369123816490e-01;
const LN2_LO = 1.90821492927058770002e-10;
const INV_LN2 = 1.44269504088896338700e+00;
const P1 = 1.66666666666666019037e-01;
const P2 = -2.77777777770155933842e-03;
const P3 = 6.61375632143793436117e-05;
const P4 = -1.65339022054652515390e-06;
const P5 = 4.13813679705723846039e-08;
/** Below this exp underflows to 0; above O_THRESHOLD it overflows to +∞. */
const U_THRESHOLD = -7.45133219101941108420e+02;
const O_THRESHOLD = 7.09782712893383973096e+02;
/** 2^1023, the extra factor when k = 1024. */
const TWO_1023 = 8.988465674311579539e307;
/** The sign bit of a double. */
const SIGN_BIT = -(2n ** 63n);
/** 2^-1000, the extra factor of results that are subnormal. */
const TWO_M1000 = 9.33263618503218878990e-302;
/** |x| with a high word above 0x3fd62e42 (|x| > 0.5 ln 2) is reduced by k·ln 2; below 0x3e300000 (2^-28) exp is 1 + x. */
const REDUCE_FROM = 0x3fd62e43n << 32n;
const TINY_BELOW = 0x3e300000n << 32n;

/**
 * Leaves exp(x) of the v128 local `x` on the stack, using the v128 locals `t0..t4` as scratch. fdlibm's branches
 * become lane selects:
 * - |x| < 2^-28: 1 + x.
 * - |x| ≤ 0.5 ln 2 (by the high word): k = 0, hi = x, lo = 0, where fdlibm's separate k = 0 formula
 *   1 − ((x·c)/(c − 2) − x) gives the same bits as the general one, since (x·c)/(c − 2) is exactly −((x·c)/(2 − c)).
 * - otherwise k = trunc(x / ln 2 ± 0.5) (the sign of x); for 0.5 ln 2 < |x| < 1.5 ln 2 that is ±1, and hi = x ∓ ln2_hi,
 *   lo = ±ln2_lo is fdlibm's special case, exactly.
 * - 2^k is built from its exponent bits; when k < −1021 from k + 1000 and then times 2^-1000, and when k = 1024 as
 *   2 and then times 2^1023, as fdlibm does.
 * - x = 1: e (V8 corrects fdlibm's last bit there); x > 709.78…: +∞; x < −745.13…: 0; NaN stays NaN.
 */
export function expOf(x: number, t: readonly number[]): number[] {
  return [...expSteps(x, t).flat(), ...get(t[4])];
}

/**
 * expOf as a list of steps that each leave the stack as they found it, the result in `t[4]`, so a kernel can
 * interleave the steps of two independent exponentials (interleave) and the processor overlaps their chains of
 * dependent operations. The operations and their order per lane are expOf's.
 */
export function expSteps(x: number, t: readonly number[]): number[][] {
  const [kf, hi, lo, r, c] = t;
  // Reused once their first values are no longer needed.
  const kInt = hi, sub = lo, top = r;
  return [
    // kf = |x| > 0.5 ln 2 ? trunc(INV_LN2 · x ± 0.5) : 0, with the sign of x on the 0.5
    [
      ...f64x2(INV_LN2), ...get(x), ...simd(S.f64x2Mul), ...get(x), ...i64x2(SIGN_BIT), ...simd(S.and), ...f64x2(0.5), ...simd(S.or), ...simd(S.f64x2Add), ...simd(S.f64x2Trunc),
      ...get(x), ...simd(S.f64x2Abs), ...i64x2(REDUCE_FROM), ...simd(S.i64x2GeS), ...simd(S.and), ...set(kf),
    ],
    // hi = x − kf · LN2_HI; lo = kf · LN2_LO; r = hi − lo
    [...get(x), ...get(kf), ...f64x2(LN2_HI), ...simd(S.f64x2Mul), ...simd(S.f64x2Sub), ...set(hi)],
    [...get(kf), ...f64x2(LN2_LO), ...simd(S.f64x2Mul), ...set(lo)],
    [...get(hi), ...get(lo), ...simd(S.f64x2Sub), ...set(r)],
    // c = r − t·(P1 + t·(P2 + t·(P3 + t·(P4 + t·P5)))), t = r·r (kept in c's slot while the polynomial is built)
    [...get(r), ...get(r), ...simd(S.f64x2Mul), ...set(c)],
    [
      ...get(r),
      ...get(c),
      ...f64x2(P1), ...get(c), ...f64x2(P2), ...get(c), ...f64x2(P3), ...get(c), ...f64x2(P4), ...get(c), ...f64x2(P5),
      ...simd(S.f64x2Mul), ...simd(S.f64x2Add), ...simd(S.f64x2Mul), ...simd(S.f64x2Add), ...simd(S.f64x2Mul), ...simd(S.f64x2Add),
      ...simd(S.f64x2Mul), ...simd(S.f64x2Add), ...simd(S.f64x2Mul), ...simd(S.f64x2Sub), ...set(c),
    ],
    // y = 1 − ((lo − (r·c)/(2 − c)) − hi), kept in c
    [
      ...f64x2(1),
      ...get(lo), ...get(r), ...get(c), ...simd(S.f64x2Mul), ...f64x2(2), ...get(c), ...simd(S.f64x2Sub), ...simd(S.f64x2Div), ...simd(S.f64x2Sub),
      ...get(hi), ...simd(S.f64x2Sub), ...simd(S.f64x2Sub), ...set(c),
    ],
    // k as 64-bit integers; sub = k < −1021 (subnormal result); top = k = 1024
    [...get(kf), ...simd(S.i32x4TruncSatF64x2SZero), ...simd(S.i64x2ExtendLowI32x4S), ...set(kInt)],
    [...get(kInt), ...i64x2(-1021n), ...simd(S.i64x2LtS), ...set(sub)],
    [...get(kInt), ...i64x2(1024n), ...simd(S.i64x2Eq), ...set(top)],
    // y · 2^(k, k + 1000 or 1), as exponent bits
    [
      ...get(c),
      ...get(kInt), ...get(sub), ...i64x2(1000n), ...simd(S.and), ...simd(S.i64x2Add), ...get(top), ...i64x2(1023n), ...simd(S.and), ...simd(S.i64x2Sub),
      ...i64x2(1023n), ...simd(S.i64x2Add), ...i32(52), ...simd(S.i64x2Shl),
      ...simd(S.f64x2Mul), ...set(c),
    ],
    // · (sub ? 2^-1000 : top ? 2^1023 : 1)
    [...get(c), ...f64x2(TWO_M1000), ...f64x2(TWO_1023), ...f64x2(1), ...get(top), ...simd(S.bitselect), ...get(sub), ...simd(S.bitselect), ...simd(S.f64x2Mul), ...set(c)],
    // |x| < 2^-28: 1 + x
    [...f64x2(1), ...get(x), ...simd(S.f64x2Add), ...set(r)],
    [...get(x), ...simd(S.f64x2Abs), ...i64x2(TINY_BELOW), ...simd(S.i64x2LtS), ...set(kf)],
    [...get(r), ...get(c), ...get(kf), ...simd(S.bitselect), ...set(c)],
    // x = 1: e
    [...f64x2(Math.E), ...get(c), ...get(x), ...f64x2(1), ...simd(S.f64x2Eq), ...simd(S.bitselect), ...set(c)],
    // x > O_THRESHOLD (also +∞): +∞
    [...f64x2(Number.POSITIVE_INFINITY), ...get(c), ...get(x), ...f64x2(O_THRESHOLD), ...simd(S.f64x2Gt), ...simd(S.bitselect), ...set(c)],
    // x < U_THRESHOLD (also −∞): 0
    [...get(c), ...get(x), ...f64x2(U_THRESHOLD), ...simd(S.f64x2Lt), ...simd(S.andnot), ...set(c)],
  ];
}

/** The steps of two independent computations, alternated: a[0], b[0], a[1], b[1], … (the longer one's rest last). */
export function interleave(a: readonly number[][], b: readonly number[][]): number[] {
  const out: number[] = [];
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    if (i < a.length) out.push(...a[i]);
    if (i < b.length) out.push(...b[i]);
  }
  return out;
}
