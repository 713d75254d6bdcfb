/**
 * The 32-bit Mersenne Twister (Matsumoto & Nishimura 1998) exactly as numpy's legacy
 * `RandomState` runs it: numpy/random/src/mt19937/mt19937.c (`mt19937_seed`, `mt19937_gen`) and
 * mt19937.h (`mt19937_next`, tempering). Unchanged from numpy 1.24 (Debian bookworm) to 2.x.
 */
const N = 624;
const M = 397;
const MATRIX_A = 0x9908b0df;
const UPPER_MASK = 0x80000000;
const LOWER_MASK = 0x7fffffff;

export class MT19937 {
  private readonly key = new Uint32Array(N);
  private pos = N;

  /** `mt19937_seed`: Knuth's initialisation from one 32-bit seed (init_genrand of the reference code). */
  constructor(seed: number) {
    let s = seed >>> 0;
    for (let i = 0; i < N; i++) {
      this.key[i] = s;
      // 1812433253 * x overflows 2^53, so the product is taken modulo 2^32 with Math.imul.
      s = (Math.imul(1812433253, (s ^ (s >>> 30)) >>> 0) + i + 1) >>> 0;
    }
  }

  /** `mt19937_next32`: the next 32 random bits as an unsigned integer. */
  nextUint32(): number {
    if (this.pos === N) this.generate();
    let y = this.key[this.pos++];
    y ^= y >>> 11;
    y ^= (y << 7) & 0x9d2c5680;
    y ^= (y << 15) & 0xefc60000;
    y ^= y >>> 18;
    return y >>> 0;
  }

  /** `mt19937_gen`: the next 624 words of state. */
  private generate(): void {
    const key = this.key;
    let i = 0;
    for (; i < N - M; i++) key[i] = key[i + M] ^ twist(key[i], key[i + 1]);
    for (; i < N - 1; i++) key[i] = key[i + M - N] ^ twist(key[i], key[i + 1]);
    key[N - 1] = key[M - 1] ^ twist(key[N - 1], key[0]);
    this.pos = 0;
  }
}

function twist(upper: number, lower: number): number {
  const y = (upper & UPPER_MASK) | (lower & LOWER_MASK);
  return (y >>> 1) ^ (y & 1 ? MATRIX_A : 0);
}
