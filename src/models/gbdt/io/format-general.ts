/**
 * Formats `value` as C's `printf("%.{precision}g")` does, which is how LightGBM writes numbers into its model files
 * (`%.17g` for thresholds, leaf values and leaf weights, `%g` — precision 6 — for gains, internal values and
 * weights, shrinkage and objective parameters). Digits are the exact decimal value of the double rounded to
 * `precision` significant digits, ties to even; exponent form when the exponent is below -4 or at least `precision`;
 * trailing zeros removed; exponents have at least two digits. NaN and infinities print as `nan`, `inf` and `-inf`.
 *
 * @param precision significant digits, 1 to 100.
 * @example
 * formatGeneral(0.1, 17); // '0.10000000000000001'
 * formatGeneral(1e-5, 6); // '1e-05'
 *
 * @internal
 */
export function formatGeneral(value: number, precision: number): string {
  if (value !== value) return 'nan';
  if (value === Infinity) return 'inf';
  if (value === -Infinity) return '-inf';
  if (value === 0) return Object.is(value, -0) ? '-0' : '0';
  const negative = value < 0;
  const x = Math.abs(value);
  let [digits, exponent] = splitExponential(x.toExponential(precision - 1));
  if (isOdd(digits) && isTieRoundedUp(x, precision)) [digits, exponent] = roundTieDown(digits, exponent);
  return (negative ? '-' : '') + layout(digits, exponent, precision);
}

/** "d.ddde+X" → ["dddd", X]. */
function splitExponential(s: string): [string, number] {
  const e = s.indexOf('e');
  return [s.slice(0, e).replace('.', ''), Number(s.slice(e + 1))];
}

function isOdd(digits: string): boolean {
  return (digits.charCodeAt(digits.length - 1) & 1) === 1;
}

/**
 * True when `x` lies exactly halfway between two `precision`-digit decimals (so JavaScript's toExponential, which
 * rounds such ties up, and C, which rounds them to even, may disagree). Such an `x` has exactly precision + 1
 * significant digits, the last a 5; the exact check runs only for those.
 */
function isTieRoundedUp(x: number, precision: number): boolean {
  if (precision >= 100) return false;
  const longer = x.toExponential(precision);
  const [digits, exponent] = splitExponential(longer);
  if (!digits.endsWith('5')) return false;
  // x == digits × 10^(exponent - precision) exactly?
  const [mantissa, binaryExponent] = decompose(x);
  let left = mantissa;
  let right = BigInt(digits);
  const decimalExponent = exponent - precision;
  if (binaryExponent >= 0) left <<= BigInt(binaryExponent);
  else right <<= BigInt(-binaryExponent);
  if (decimalExponent >= 0) right *= 10n ** BigInt(decimalExponent);
  else left *= 10n ** BigInt(-decimalExponent);
  return left === right;
}

/** x = mantissa × 2^exponent with an integer mantissa (x finite and > 0). */
function decompose(x: number): [bigint, number] {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  const bits = view.getBigUint64(0);
  const biased = Number((bits >> 52n) & 0x7ffn);
  const fraction = bits & 0xfffffffffffffn;
  return biased === 0 ? [fraction, -1074] : [fraction | (1n << 52n), biased - 1075];
}

/** The digit string one unit in the last place lower (a tie that toExponential rounded up, rounded down instead). */
function roundTieDown(digits: string, exponent: number): [string, number] {
  const lowered = (BigInt(digits) - 1n).toString();
  // 10…0 − 1 = 9…9 loses a digit: the value moves down a decade.
  return lowered.length < digits.length ? [lowered + '9', exponent - 1] : [lowered, exponent];
}

function layout(digits: string, exponent: number, precision: number): string {
  if (exponent < -4 || exponent >= precision) {
    const mantissa = trimZeros(digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits);
    const sign = exponent < 0 ? '-' : '+';
    const magnitude = Math.abs(exponent);
    return `${mantissa}e${sign}${magnitude < 10 ? '0' : ''}${magnitude}`;
  }
  if (exponent < 0) return trimZeros(`0.${'0'.repeat(-exponent - 1)}${digits}`);
  const whole = digits.slice(0, exponent + 1);
  const fraction = digits.slice(exponent + 1);
  return fraction === '' ? whole : trimZeros(`${whole}.${fraction}`);
}

function trimZeros(s: string): string {
  if (!s.includes('.')) return s;
  let end = s.length;
  while (s.charCodeAt(end - 1) === 48) end--;
  if (s.charCodeAt(end - 1) === 46) end--;
  return s.slice(0, end);
}
