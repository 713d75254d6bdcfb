/**
 * Exact decimal arithmetic for float ranges. Hydra's FloatRange computes `start + step * i` with
 * Python's `decimal.Decimal(str(x))`, so `range(0,1,0.1)` yields 0.3, not 0.30000000000000004.
 * A value is `mantissa * 10^exponent`.
 */
export class Decimal {
  private constructor(
    readonly mantissa: bigint,
    readonly exponent: number,
  ) {}

  /** `Decimal(str(x))` for a finite float: the shortest digits that read back as x. */
  static fromNumber(x: number): Decimal {
    if (!Number.isFinite(x)) throw new RangeError(`${x} has no decimal value`);
    const [digits, exp] = Math.abs(x).toExponential().split('e');
    const [whole, fraction = ''] = digits.split('.');
    const mantissa = BigInt(whole + fraction) * (x < 0 || Object.is(x, -0) ? -1n : 1n);
    return new Decimal(mantissa, Number(exp) - fraction.length);
  }

  static fromBigInt(x: bigint): Decimal {
    return new Decimal(x, 0);
  }

  add(other: Decimal): Decimal {
    const [a, b, exponent] = aligned(this, other);
    return new Decimal(a + b, exponent);
  }

  sub(other: Decimal): Decimal {
    return this.add(other.neg());
  }

  neg(): Decimal {
    return new Decimal(-this.mantissa, this.exponent);
  }

  times(n: bigint): Decimal {
    return new Decimal(this.mantissa * n, this.exponent);
  }

  half(): Decimal {
    return new Decimal(this.mantissa * 5n, this.exponent - 1);
  }

  compare(other: Decimal): -1 | 0 | 1 {
    const [a, b] = aligned(this, other);
    return a < b ? -1 : a > b ? 1 : 0;
  }

  sign(): -1 | 0 | 1 {
    return this.mantissa < 0n ? -1 : this.mantissa > 0n ? 1 : 0;
  }

  abs(): Decimal {
    return this.mantissa < 0n ? this.neg() : this;
  }

  /** The truncated quotient and whether there is a remainder (both operands positive). */
  divmod(divisor: Decimal): { quotient: bigint; exact: boolean } {
    const [a, b] = aligned(this, divisor);
    return { quotient: a / b, exact: a % b === 0n };
  }

  /** `float(d)`: correctly rounded, as reading the decimal string is. */
  toNumber(): number {
    return Number(`${this.mantissa}e${this.exponent}`);
  }
}

function aligned(a: Decimal, b: Decimal): [bigint, bigint, number] {
  const exponent = Math.min(a.exponent, b.exponent);
  return [a.mantissa * 10n ** BigInt(a.exponent - exponent), b.mantissa * 10n ** BigInt(b.exponent - exponent), exponent];
}
