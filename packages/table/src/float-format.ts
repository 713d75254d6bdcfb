/**
 * Formats a double the way Python's repr() and pandas' to_csv do: the shortest digits that
 * round-trip, in fixed notation when the decimal exponent is in [-4, 16), else scientific with
 * a signed two-digit exponent (1e-05, 1.5e+16). Integral values keep ".0".
 * NaN is the caller's business (it is written as an empty field).
 */
export function formatPythonFloat(x: number): string {
  if (x === Infinity) return 'inf';
  if (x === -Infinity) return '-inf';
  if (Number.isNaN(x)) return 'nan';
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  const magnitude = x < 0 ? -x : x;
  if (magnitude >= 1e-4 && magnitude < 1e16) {
    // Where Python writes fixed notation, so does String(): the same shortest round-trip digits,
    // without ".0" on integral values. Much faster than the general path below.
    const text = String(x);
    return text.includes('.') ? text : `${text}.0`;
  }
  // toExponential() without an argument yields the shortest round-trip digits.
  return fromExponential(x.toExponential(), false);
}

/**
 * Formats a FLOAT (32-bit) value as pandas writes a float32 column (numpy's repr): the fewest
 * digits that read back as the same float32 (`0.1`, not the double's `0.10000000149011612`),
 * in fixed notation when the value is in [1e-4, 1e16), else scientific (`1e-04` for the
 * float32 nearest 0.0001, which lies below it).
 */
export function formatPythonFloat32(x: number): string {
  if (!Number.isFinite(x) || x === 0) return formatPythonFloat(x);
  let text = x.toExponential(8);
  for (let digits = 1; digits <= 9; digits++) {
    const candidate = x.toExponential(digits - 1);
    if (Math.fround(Number(candidate)) === x) {
      text = candidate;
      break;
    }
  }
  const magnitude = Math.abs(x);
  return fromExponential(text, magnitude >= 1e-4 && magnitude < 1e16);
}

/** Python's notation from exponential text (`-1.25e-5`): fixed, or scientific with a signed two-digit exponent. */
function fromExponential(text: string, fixed: boolean): string {
  const [mantissa, exponentText] = text.split('e');
  const exponent = Number(exponentText);
  const sign = mantissa.startsWith('-') ? '-' : '';
  const digits = mantissa.replace('-', '').replace('.', '').replace(/(?<=.)0+$/, '');
  if (fixed) {
    if (exponent >= 0) {
      const integer = digits.slice(0, exponent + 1).padEnd(exponent + 1, '0');
      const fraction = digits.slice(exponent + 1);
      return `${sign}${integer}.${fraction || '0'}`;
    }
    return `${sign}0.${'0'.repeat(-exponent - 1)}${digits}`;
  }
  const head = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
  return `${sign}${head}e${exponent < 0 ? '-' : '+'}${String(Math.abs(exponent)).padStart(2, '0')}`;
}
