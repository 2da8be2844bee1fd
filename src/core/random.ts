/**
 * A small, fast, seeded pseudo-random generator: xoshiro128** on 32-bit integers, seeded through splitmix32.
 * The same seed gives the same sequence on every platform and Node version, so splits, samples and learners that
 * take a seed are reproducible. Not cryptographic: use `node:crypto` for keys and tokens.
 *
 * Why xoshiro128**: it passes BigCrush, has a period of 2^128 − 1, and every step is a handful of `Math.imul`, shift
 * and xor operations on int32 values, which V8 keeps unboxed, so a hot loop draws numbers without allocating.
 *
 * @example
 * const rng = new Random(42);
 * rng.nextFloat();                 // in [0, 1)
 * rng.nextInt(10);                 // in 0..9
 * rng.shuffle(Int32Array.from([0, 1, 2, 3]));
 */
export class Random {
  #s0: number;
  #s1: number;
  #s2: number;
  #s3: number;

  /** Seeds the state from any finite number (fractions and sign are folded into 32 bits). */
  constructor(seed: number) {
    let x = (Math.trunc(seed) ^ Math.trunc(seed / 4294967296)) | 0;
    const next = (): number => {
      // splitmix32: spreads a small or patterned seed over the whole state so nearby seeds give unrelated streams.
      x = (x + 0x9e3779b9) | 0;
      let z = x;
      z = Math.imul(z ^ (z >>> 16), 0x21f0aaad);
      z = Math.imul(z ^ (z >>> 15), 0x735a2d97);
      return (z ^ (z >>> 15)) | 0;
    };
    this.#s0 = next();
    this.#s1 = next();
    this.#s2 = next();
    this.#s3 = next();
    if ((this.#s0 | this.#s1 | this.#s2 | this.#s3) === 0) this.#s0 = 1;
  }

  /** The next 32 random bits as an unsigned integer in [0, 2^32). */
  nextUint32(): number {
    const s0 = this.#s0;
    const s1 = this.#s1;
    const result = Math.imul(rotl(Math.imul(s1, 5), 7), 9);
    const t = s1 << 9;
    this.#s2 ^= s0;
    this.#s3 ^= s1;
    this.#s1 ^= this.#s2;
    this.#s0 ^= this.#s3;
    this.#s2 ^= t;
    this.#s3 = rotl(this.#s3, 11);
    return result >>> 0;
  }

  /** A uniform float in [0, 1) with 53 random bits (two draws). */
  nextFloat(): number {
    const hi = this.nextUint32() >>> 5; // 27 bits
    const lo = this.nextUint32() >>> 6; // 26 bits
    return (hi * 67108864 + lo) / 9007199254740992;
  }

  /**
   * A uniform integer in [0, n) for 1 ≤ n ≤ 2^32. Uses rejection sampling, so it has no modulo bias.
   * @throws RangeError when n is not an integer in that range.
   */
  nextInt(n: number): number {
    if (!Number.isInteger(n) || n < 1 || n > 4294967296) throw new RangeError(`nextInt(n) needs an integer 1 ≤ n ≤ 2^32, got ${n}`);
    // Largest multiple of n that fits in 2^32; draws at or above it are rejected.
    const limit = 4294967296 - (4294967296 % n);
    let r = this.nextUint32();
    while (r >= limit) r = this.nextUint32();
    return r % n;
  }

  /** Shuffles `values` in place (Fisher–Yates) and returns it. */
  shuffle<T extends Int32Array | Float64Array | Uint32Array>(values: T): T {
    for (let i = values.length - 1; i > 0; i--) {
      const j = this.nextInt(i + 1);
      const tmp = values[i];
      values[i] = values[j];
      values[j] = tmp;
    }
    return values;
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}
