import { describe, it } from 'node:test';
import assert from 'node:assert/strict';

import {
  lnGamma,
  regularizedIncompleteBeta,
  betaQuantile,
  normalCdf,
  normalPdf,
  normalQuantile,
  Z95,
} from '../src/stats/special.ts';
import { wilsonInterval, clopperPearsonInterval, binomialStandardError } from '../src/stats/binomial.ts';
import { kaplanMeier, survivalQuantile, thinCurve } from '../src/stats/survival.ts';

/** |actual - expected| <= max(rel * |expected|, abs). */
function close(actual: number, expected: number, rel: number, abs = 0, what = ''): void {
  const err = Math.abs(actual - expected);
  const tol = Math.max(rel * Math.abs(expected), abs);
  assert.ok(
    err <= tol,
    `${what} got ${actual}, expected ${expected} (error ${err.toExponential(3)} > tol ${tol.toExponential(3)})`,
  );
}

/** Composite Simpson's rule on [lo, hi] with an even number of panels. */
function simpson(f: (x: number) => number, lo: number, hi: number, panels: number): number {
  const h = (hi - lo) / panels;
  let sum = f(lo) + f(hi);
  for (let i = 1; i < panels; i++) sum += (i % 2 === 1 ? 4 : 2) * f(lo + i * h);
  return (sum * h) / 3;
}

/**
 * [P(X < k), P(X >= k)] for X ~ Binomial(n, p), each summed directly (no
 * subtraction) from probability ratios taken outward from the mode and then
 * normalised, so no gamma or beta function is involved.
 */
function binomialTails(k: number, n: number, p: number): [number, number] {
  const mode = Math.min(n, Math.floor((n + 1) * p));
  const odds = p / (1 - p);
  let lower = mode < k ? 1 : 0;
  let upper = mode >= k ? 1 : 0;
  let term = 1;
  for (let j = mode; j < n; j++) {
    term *= ((n - j) / (j + 1)) * odds; // P(j+1) / P(j)
    if (term < 1e-300) break;
    if (j + 1 >= k) upper += term;
    else lower += term;
  }
  term = 1;
  for (let j = mode; j > 0; j--) {
    term *= j / ((n - j + 1) * odds); // P(j-1) / P(j)
    if (term < 1e-300) break;
    if (j - 1 >= k) upper += term;
    else lower += term;
  }
  const total = lower + upper;
  return [lower / total, upper / total];
}

const binomialUpperTail = (k: number, n: number, p: number): number => binomialTails(k, n, p)[1];

/** Tiny deterministic generator for test data (LCG, 32-bit). */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
}

describe('lnGamma', () => {
  it('matches log-factorials at the integers', () => {
    let logFact = 0; // ln((n-1)!)
    for (let n = 1; n <= 171; n++) {
      close(lnGamma(n), logFact, 1e-14, 1e-14, `lnGamma(${n})`);
      logFact += Math.log(n);
    }
  });
  it('satisfies known values, the recurrence and the reflection formula', () => {
    close(lnGamma(0.5), 0.5 * Math.log(Math.PI), 1e-15, 0, 'lnGamma(1/2)');
    close(lnGamma(-0.5), Math.log(2 * Math.sqrt(Math.PI)), 1e-14, 0, 'lnGamma(-1/2)');
    for (const x of [0.3, 1.7, 2.7, 13.2, 1000.5, 123456.7]) {
      // the difference of two large values can be no better than their last bits
      const tol = 1e-14 + 4 * Number.EPSILON * Math.abs(lnGamma(x + 1));
      close(lnGamma(x + 1) - lnGamma(x), Math.log(x), 0, tol, `recurrence at ${x}`);
    }
    assert.equal(lnGamma(0), Infinity);
    assert.equal(lnGamma(-3), Infinity);
  });
  it('agrees with the Stirling series for large arguments', () => {
    for (const x of [50, 1e4, 1e6, 1e9]) {
      const stirling =
        (x - 0.5) * Math.log(x) -
        x +
        0.5 * Math.log(2 * Math.PI) +
        1 / (12 * x) -
        1 / (360 * x ** 3) +
        1 / (1260 * x ** 5) -
        1 / (1680 * x ** 7);
      close(lnGamma(x), stirling, 2e-15, 0, `lnGamma(${x})`);
    }
  });
});

describe('regularizedIncompleteBeta', () => {
  it('matches Simpson integration of the beta density', () => {
    const cases: [number, number][] = [
      [1, 1],
      [2, 3],
      [2.5, 4.5],
      [4.5, 3.5],
      [10, 20],
      [50, 70],
    ];
    for (const [a, b] of cases) {
      const density = (t: number): number => t ** (a - 1) * (1 - t) ** (b - 1);
      const whole = simpson(density, 0, 1, 20000);
      for (const x of [0.01, 0.1, 0.3, 0.42, 0.5, 0.77, 0.95]) {
        const expected = simpson(density, 0, x, 20000) / whole;
        close(regularizedIncompleteBeta(x, a, b), expected, 1e-9, 1e-15, `I_${x}(${a},${b})`);
      }
    }
  });
  it('matches closed forms, including a, b < 1', () => {
    for (const x of [1e-10, 1e-4, 0.2, 0.5, 0.9, 1 - 1e-9]) {
      // asin is ill-conditioned near 1, so use the mirrored form there
      const arcsine =
        x < 0.5 ? (2 / Math.PI) * Math.asin(Math.sqrt(x)) : 1 - (2 / Math.PI) * Math.asin(Math.sqrt(1 - x));
      close(regularizedIncompleteBeta(x, 0.5, 0.5), arcsine, 1e-14, 0, `arcsine ${x}`);
      close(regularizedIncompleteBeta(x, 0.3, 1), x ** 0.3, 1e-14, 0, `I_x(0.3,1) at ${x}`);
      close(regularizedIncompleteBeta(x, 1, 7.5), -Math.expm1(7.5 * Math.log1p(-x)), 1e-14, 0, `I_x(1,7.5) at ${x}`);
    }
    assert.equal(regularizedIncompleteBeta(0, 2, 3), 0);
    assert.equal(regularizedIncompleteBeta(1, 2, 3), 1);
    assert.ok(Number.isNaN(regularizedIncompleteBeta(0.5, 0, 3)));
  });
  it('satisfies I_x(a, b) + I_{1-x}(b, a) = 1', () => {
    for (const [a, b] of [
      [0.7, 3],
      [5, 5],
      [30, 2],
      [200, 300],
    ]) {
      for (const x of [0.05, 0.25, 0.4, 0.5, 0.6, 0.9]) {
        close(regularizedIncompleteBeta(x, a, b) + regularizedIncompleteBeta(1 - x, b, a), 1, 0, 1e-14, `sym ${a},${b},${x}`);
      }
    }
  });
  it('equals binomial tail sums: I_p(k, n-k+1) = P(Bin(n, p) >= k)', () => {
    const cases: [number, number, number][] = [
      [3, 20, 0.1],
      [7, 20, 0.35],
      [15, 40, 0.5],
      [1000, 2000, 0.5],
      [1000, 2000, 0.47],
      [3, 1e6, 1e-6],
      [3, 1e6, 3e-7],
      [100000, 999999, 0.1],
      [100000, 999999, 0.0995],
    ];
    for (const [k, n, p] of cases) {
      const tol = n <= 2000 ? 1e-13 : 1e-11;
      close(regularizedIncompleteBeta(p, k, n - k + 1), binomialUpperTail(k, n, p), tol, 0, `k=${k} n=${n} p=${p}`);
    }
  });
  it('keeps full relative accuracy in the long tail of skewed integer cases', () => {
    // n = 1e6 with p = 2^-17 (so 1 - p is exact): the lower binomial tail is the
    // small complement 1 - I_p(k, n-k+1) = I_{1-p}(n-k+1, k).
    const n = 1e6;
    const p = 2 ** -17;
    for (const k of [1, 3, 8, 12, 20]) {
      const [lower] = binomialTails(k, n, p);
      close(1 - regularizedIncompleteBeta(p, k, n - k + 1), lower, 1e-13, 0, `1 - I, k=${k}`);
      close(regularizedIncompleteBeta(1 - p, n - k + 1, k), lower, 1e-13, 0, `mirror, k=${k}`);
    }
  });
});

describe('betaQuantile', () => {
  it('inverts the incomplete beta function', () => {
    const params: [number, number][] = [
      [0.5, 0.5],
      [0.1, 10],
      [10, 0.1],
      [2, 3],
      [1, 1e6],
      [3, 999998],
      [1000, 1000],
      [1e5, 9e5],
    ];
    for (const [a, b] of params) {
      for (const p of [1e-12, 1e-6, 0.025, 0.3, 0.5, 0.8, 0.975]) {
        const x = betaQuantile(p, a, b);
        assert.ok(x > 0 && x <= 1, `quantile in (0,1] for p=${p}, a=${a}, b=${b}: ${x}`);
        if (x === 1) {
          // Only right if the root lies above the largest double below 1.
          assert.ok(regularizedIncompleteBeta(1 - 2 ** -53, a, b) < p, `Q(${p}; ${a}, ${b}) = 1`);
        } else {
          close(regularizedIncompleteBeta(x, a, b), p, 1e-11, 0, `I(Q(${p}; ${a}, ${b}))`);
        }
      }
    }
  });
  it('matches closed-form quantiles to ~1e-13', () => {
    for (const p of [1e-300, 1e-30, 1e-8, 0.01, 0.2, 0.5, 0.7, 0.99, 1 - 1e-12]) {
      close(betaQuantile(p, 1, 1), p, 1e-13, 0, `uniform ${p}`);
      close(betaQuantile(p, 4, 1), p ** 0.25, 1e-13, 0, `Beta(4,1) ${p}`);
      // root above 1/2 even for tiny p: the information is in p, not in 1 - p
      close(betaQuantile(p, 200, 1), p ** (1 / 200), 1e-13, 0, `Beta(200,1) ${p}`);
      close(betaQuantile(p, 1, 200), -Math.expm1(Math.log1p(-p) / 200), 1e-13, 0, `Beta(1,200) ${p}`);
      close(betaQuantile(p, 1, 3), -Math.expm1(Math.log1p(-p) / 3), 1e-13, 0, `Beta(1,3) ${p}`);
      close(betaQuantile(p, 0.5, 0.5), Math.sin((Math.PI * p) / 2) ** 2, 1e-13, 0, `arcsine ${p}`);
    }
    assert.equal(betaQuantile(0, 2, 3), 0);
    assert.equal(betaQuantile(1, 2, 3), 1);
    assert.ok(Number.isNaN(betaQuantile(1.5, 2, 3)));
  });
  it('keeps the upper tail precise when p is close to 1', () => {
    // For p = 1 - q the information is in q (exact here); check 1 - I_x(a, b) =
    // I_{1-x}(b, a) = q, with x < 1/2 so 1 - x is nearly exact.
    for (const [a, b] of [
      [2.5, 300],
      [3, 400],
      [0.7, 500],
      [12, 300],
    ]) {
      for (const q0 of [1e-12, 1e-8, 1e-3]) {
        const p = 1 - q0;
        const q = 1 - p; // exactly representable
        const x = betaQuantile(p, a, b);
        assert.ok(x > 0 && x < 0.5, `root ${x} below 1/2`);
        close(regularizedIncompleteBeta(1 - x, b, a), q, 1e-11, 0, `upper tail at p = 1 - ${q0}, a=${a}, b=${b}`);
      }
    }
  });
});

describe('normal distribution', () => {
  it('normalCdf hits published values', () => {
    assert.equal(normalCdf(0), 0.5);
    close(normalCdf(1.959963984540054), 0.975, 0, 1e-16, 'Phi(z_0.975)');
    close(normalCdf(1), 0.8413447460685429, 1e-15, 0, 'Phi(1)');
    close(normalCdf(-1), 0.15865525393145705, 1e-15, 0, 'Phi(-1)');
    close(normalCdf(-3), 0.0013498980316300945, 1e-15, 0, 'Phi(-3)');
    close(normalCdf(-10), 7.619853024160527e-24, 1e-15, 0, 'Phi(-10)');
    close(normalCdf(-30), 4.906713927148187e-198, 1e-15, 0, 'Phi(-30)');
    // Values at non-dyadic points (so y^2 is not exact in floating point), from
    // 50-digit mpmath evaluated at the same doubles.
    const ref: [number, number, number][] = [
      [-8.765, 9.338833027370195e-19, 8.289425286996614e-18],
      [-12.345, 2.591712067896197e-35, 3.22019568224336e-34],
      [-25.7, 5.844410374380774e-146, 1.5042807213400902e-144],
      [-33.21, 3.8606991149312855e-242, 1.2832985884965203e-240],
      [-37.3, 8.205494844930773e-305, 3.062846290695667e-303],
    ];
    for (const [x, cdf, pdf] of ref) {
      close(normalCdf(x), cdf, 2e-15, 0, `Phi(${x})`);
      close(normalPdf(x), pdf, 2e-15, 0, `phi(${x})`);
      close(normalPdf(-x), pdf, 2e-15, 0, `phi(${-x})`);
    }
    assert.equal(normalCdf(-40), 0);
    assert.equal(normalCdf(40), 1);
  });
  it('normalCdf is symmetric: Phi(x) + Phi(-x) = 1', () => {
    for (let x = 0; x <= 9; x += 0.137) close(normalCdf(x) + normalCdf(-x), 1, 0, 2.3e-16, `x=${x}`);
  });
  it('normalCdf has full relative accuracy in the lower tail (Laplace continued fraction)', () => {
    // Phi(-x) = phi(x) / (x + 1/(x + 2/(x + 3/(x + ...)))); x*x is exact for integers.
    for (const x of [6, 8, 10, 12, 15, 20, 25, 30, 35]) {
      let frac = x;
      for (let k = 200; k >= 1; k--) frac = x + k / frac;
      const expected = Math.exp((-x * x) / 2) / Math.sqrt(2 * Math.PI) / frac;
      close(normalCdf(-x), expected, 1e-14, 0, `Phi(-${x})`);
    }
  });
  it('normalCdf integrates normalPdf', () => {
    for (const [lo, hi] of [
      [-1, 0.5],
      [0.2, 2.5],
      [-6, -3],
    ]) {
      close(normalCdf(hi) - normalCdf(lo), simpson(normalPdf, lo, hi, 20000), 1e-12, 0, `[${lo}, ${hi}]`);
    }
  });
  it('normalPdf is accurate including the tails', () => {
    close(normalPdf(0), 1 / Math.sqrt(2 * Math.PI), 1e-16, 0, 'phi(0)');
    for (const x of [1, 3, 7, 12, 20, 30, -30]) {
      close(normalPdf(x), Math.exp((-x * x) / 2) / Math.sqrt(2 * Math.PI), 1e-15, 0, `phi(${x})`);
    }
  });
  it('normalQuantile inverts normalCdf', () => {
    assert.equal(normalQuantile(0.5), 0);
    assert.equal(normalQuantile(0), -Infinity);
    assert.equal(normalQuantile(1), Infinity);
    close(normalQuantile(0.975), Z95, 1e-15, 0, 'z_0.975');
    close(normalQuantile(0.025), -Z95, 1e-15, 0, 'z_0.025');
    for (const p of [1e-300, 1e-100, 1e-20, 1e-9, 1e-4, 0.01, 0.02425, 0.1, 0.3, 0.4999]) {
      const x = normalQuantile(p);
      // one ulp in x moves Phi by |x| ulp(x) relative, i.e. about x^2 * 1.1e-16
      close(normalCdf(x), p, 3e-14 + 4 * x * x * Number.EPSILON, 0, `Phi(Q(${p}))`);
      // 1 - p is exact only to ~1e-16 absolute, so compare where that is negligible
      if (p >= 1e-4) close(normalQuantile(1 - p), -normalQuantile(p), 1e-12, 0, `symmetry at ${p}`);
    }
  });
});

describe('binomial intervals', () => {
  it('Wilson matches the closed form on hand-checked numbers', () => {
    // k = 5, n = 10, z = 1.96: z^2/n = 0.38416, centre 0.5,
    // half-width = 1.96 / 1.38416 * sqrt(0.025 + 0.009604) = 1.96 * 0.1860215 / 1.38416 = 0.2634104
    const [lo, hi] = wilsonInterval(5, 10, 1.96);
    close(lo, 0.5 - 0.2634104, 0, 1e-6, 'Wilson 5/10 lo');
    close(hi, 0.5 + 0.2634104, 0, 1e-6, 'Wilson 5/10 hi');
    // k = 0: upper = z^2 / (n + z^2); lower exactly 0.
    const [lo0, hi0] = wilsonInterval(0, 20);
    close(hi0, (Z95 * Z95) / (20 + Z95 * Z95), 1e-15, 0, 'Wilson 0/20 hi');
    for (let n = 1; n <= 300; n++) {
      assert.equal(wilsonInterval(0, n)[0], 0, `Wilson 0/${n} lower is exactly 0`);
      assert.equal(wilsonInterval(n, n)[1], 1, `Wilson ${n}/${n} upper is exactly 1`);
    }
    assert.equal(lo0, 0);
  });
  it('Wilson bounds solve (phat - pi)^2 = z^2 pi (1 - pi) / n', () => {
    for (const [k, n] of [
      [1, 7],
      [13, 40],
      [999, 1000],
      [123456, 1000000],
    ]) {
      const phat = k / n;
      for (const pi of wilsonInterval(k, n)) {
        close((phat - pi) ** 2, (Z95 * Z95 * pi * (1 - pi)) / n, 1e-9, 0, `Wilson ${k}/${n} bound ${pi}`);
      }
    }
  });
  it('n = 0 gives no information', () => {
    assert.deepEqual(wilsonInterval(0, 0), [0, 1]);
    assert.deepEqual(clopperPearsonInterval(0, 0), [0, 1]);
    assert.equal(binomialStandardError(0, 0), Infinity);
    assert.throws(() => wilsonInterval(3, 2), RangeError);
    assert.throws(() => clopperPearsonInterval(-1, 2), RangeError);
  });
  it('Clopper-Pearson edge cases have closed forms', () => {
    const tail = (1 - 0.95) / 2;
    for (const n of [1, 5, 10, 100, 100000]) {
      const [lo0, hi0] = clopperPearsonInterval(0, n);
      assert.equal(lo0, 0);
      close(hi0, 1 - tail ** (1 / n), 1e-12, 0, `CP 0/${n} upper`);
      const [loN, hiN] = clopperPearsonInterval(n, n);
      close(loN, tail ** (1 / n), 1e-12, 0, `CP ${n}/${n} lower`);
      assert.equal(hiN, 1);
    }
  });
  it('Clopper-Pearson matches published values and the beta-quantile identities', () => {
    const [lo5, hi5] = clopperPearsonInterval(5, 10);
    close(lo5, 0.18708602844739855, 1e-11, 0, 'CP 5/10 lo');
    close(hi5, 0.8129139715526015, 1e-11, 0, 'CP 5/10 hi');
    const [lo1, hi1] = clopperPearsonInterval(1, 10);
    close(lo1, 0.0025285785444617848, 1e-11, 0, 'CP 1/10 lo');
    close(hi1, 0.4450161170281954, 1e-11, 0, 'CP 1/10 hi');
    for (const [k, n] of [
      [1, 10],
      [17, 60],
      [3, 1000000],
    ]) {
      const [lo, hi] = clopperPearsonInterval(k, n);
      close(lo, betaQuantile(0.025, k, n - k + 1), 1e-12, 0, `CP ${k}/${n} lo identity`);
      close(hi, betaQuantile(0.975, k + 1, n - k), 1e-12, 0, `CP ${k}/${n} hi identity`);
    }
    // 3 / 1e6: bounds solved to 40 digits (mpmath) from the binomial sums themselves.
    const [loBig, hiBig] = clopperPearsonInterval(3, 1e6);
    close(loBig, 6.1867255019064007811e-7, 1e-14, 0, 'CP 3/1e6 lo');
    close(hiBig, 8.767247788145222250e-6, 1e-14, 0, 'CP 3/1e6 hi');
  });
  it('Clopper-Pearson bounds put alpha/2 in each binomial tail', () => {
    for (const [k, n, level] of [
      [1, 10, 0.95],
      [4, 25, 0.9],
      [17, 60, 0.95],
      [59, 60, 0.99],
      [3, 1000000, 0.95],
      [250000, 1000000, 0.95],
    ]) {
      const tail = (1 - level) / 2;
      const [lo, hi] = clopperPearsonInterval(k, n, level);
      close(binomialUpperTail(k, n, lo), tail, 1e-10, 0, `P(X>=${k} | lo) for n=${n}`);
      close(1 - binomialUpperTail(k + 1, n, hi), tail, 1e-10, 0, `P(X<=${k} | hi) for n=${n}`);
    }
  });
  it('standard error is sqrt(p(1-p)/n)', () => {
    close(binomialStandardError(30, 100), Math.sqrt(0.0021), 1e-15, 0, 'SE 30/100');
    assert.equal(binomialStandardError(0, 10), 0);
  });
});

describe('Kaplan-Meier', () => {
  // Hand-worked example, n = 10 (E = event, C = censored):
  //   times  1E  2E 2E 2C  3C  4E 4C  5E  6E 6C
  //   t=1: at risk 10, d=1  S = 9/10                 = 0.9
  //   t=2: at risk  9, d=2  S = 0.9 * 7/9            = 0.7   (the 2C is still at risk at 2)
  //        then 2C and 3C leave: at risk at 4 = 9 - 2 - 2 = 5
  //   t=4: at risk  5, d=1  S = 0.7 * 4/5            = 0.56
  //   t=5: at risk  3, d=1  S = 0.56 * 2/3           = 0.37333...
  //   t=6: at risk  2, d=1  S = 0.37333 * 1/2        = 0.18666...  (6C counts at 6)
  // Greenwood sums d/(r(r-d)): 1/90, +2/63, +1/20, +1/6, +1/2.
  const times = Int32Array.from([4, 2, 6, 1, 3, 2, 5, 6, 2, 4]);
  const events = Uint8Array.from([1, 1, 0, 1, 0, 0, 1, 1, 1, 0]);

  it('reproduces the hand computation with ties and censoring', () => {
    const km = kaplanMeier(times, events);
    assert.deepEqual(km.t, [1, 2, 4, 5, 6]);
    assert.deepEqual(km.atRisk, [10, 9, 5, 3, 2]);
    assert.deepEqual(km.events, [1, 2, 1, 1, 1]);
    const s = [0.9, 0.7, 0.56, 0.56 * (2 / 3), 0.28 * (2 / 3)];
    km.survival.forEach((v, i) => close(v, s[i], 1e-14, 0, `S at ${km.t[i]}`));
    const gw = [1 / 90, 1 / 90 + 2 / 63];
    gw.push(gw[1] + 1 / 20, gw[1] + 1 / 20 + 1 / 6, gw[1] + 1 / 20 + 1 / 6 + 1 / 2);
    for (let i = 0; i < s.length; i++) {
      const se = Math.sqrt(gw[i]) / -Math.log(s[i]);
      close(km.lo[i], s[i] ** Math.exp(1.959963984540054 * se), 1e-13, 0, `lo at ${km.t[i]}`);
      close(km.hi[i], s[i] ** Math.exp(-1.959963984540054 * se), 1e-13, 0, `hi at ${km.t[i]}`);
      assert.ok(km.lo[i] < km.survival[i] && km.survival[i] < km.hi[i]);
    }
    // Spot value worked by hand at t = 2: Var(log S) = 1/90 + 2/63 = 3/70,
    // se = sqrt(3/70) / -ln(0.7) = 0.2070197 / 0.3566749 = 0.580416,
    // w = exp(1.959964 * 0.580416) = 3.119253, lo = 0.7^w = 0.328717, hi = 0.7^(1/w) = 0.891949.
    close(km.lo[1], 0.328717, 0, 2e-6, 'lo(2) by hand');
    close(km.hi[1], 0.891949, 0, 2e-6, 'hi(2) by hand');
  });
  it('median and other quantiles', () => {
    const km = kaplanMeier(times, events);
    assert.equal(survivalQuantile(km, 0.5), 5);
    assert.equal(survivalQuantile(km, 0.25), 2);
    assert.equal(survivalQuantile(km, 0.3), 2); // S(2) = 0.7 <= 0.7 despite rounding
    assert.equal(survivalQuantile(km, 0.9), null);
    // 10 subjects, no censoring, 5 events by t = 5: S(5) = 0.5 exactly in theory.
    const flat = kaplanMeier([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], new Uint8Array(10).fill(1));
    assert.equal(survivalQuantile(flat, 0.5), 5);
  });
  it('without censoring equals the empirical survival function', () => {
    const rand = lcg(12345);
    const n = 5000;
    const t = new Int32Array(n);
    for (let i = 0; i < n; i++) t[i] = 1 + Math.floor(-40 * Math.log(1 - rand()));
    const km = kaplanMeier(t, new Uint8Array(n).fill(1));
    const sorted = Array.from(t).sort((a, b) => a - b);
    const distinct = [...new Set(sorted)];
    assert.deepEqual(km.t, distinct);
    km.t.forEach((time, i) => {
      const greater = sorted.filter((x) => x > time).length;
      const atLeast = sorted.filter((x) => x >= time).length;
      close(km.survival[i], greater / n, 1e-12, 1e-15, `S(${time})`);
      assert.equal(km.atRisk[i], atLeast);
      assert.equal(km.events[i], atLeast - greater);
    });
    assert.equal(km.survival[km.survival.length - 1], 0);
    assert.equal(km.lo[km.lo.length - 1], 0);
    assert.equal(km.hi[km.hi.length - 1], 0);
  });
  it('handles empty input, all-censored input and bad lengths', () => {
    const empty = kaplanMeier([], []);
    assert.deepEqual(empty.t, []);
    assert.equal(survivalQuantile(empty, 0.5), null);
    assert.deepEqual(kaplanMeier([3, 4], [0, 0]).t, []);
    assert.throws(() => kaplanMeier([1, 2], [1]), RangeError);
  });
  it('scales to n = 1e6', () => {
    const rand = lcg(7);
    const n = 1_000_000;
    const t = new Int32Array(n);
    const e = new Uint8Array(n);
    let nEvents = 0;
    for (let i = 0; i < n; i++) {
      const eventTime = 1 + Math.floor(-300 * Math.log(1 - rand()));
      if (eventTime <= 1000) {
        t[i] = eventTime;
        e[i] = 1;
        nEvents++;
      } else t[i] = 1000; // censored at the horizon
    }
    const km = kaplanMeier(t, e);
    assert.equal(
      km.events.reduce((x, y) => x + y, 0),
      nEvents,
    );
    assert.equal(km.atRisk[0], n);
    // With censoring only at the horizon, S(t) is the empirical survival.
    const last = km.t.length - 1;
    close(km.survival[last], (n - nEvents) / n, 1e-10, 0, 'S at horizon');
    // Exponential with mean 300, discretised to ceil: S(t) = exp(-t/300).
    close(km.survival[last], Math.exp(-1000 / 300), 0.02, 0, 'S(1000) ~ exp(-10/3)');
    for (let i = 1; i < km.survival.length; i++) assert.ok(km.survival[i] <= km.survival[i - 1]);
  });
});

describe('thinCurve', () => {
  const n = 3000;
  const rand = lcg(99);
  const t = Array.from({ length: n }, () => 1 + Math.floor(rand() * 100000));
  const km = kaplanMeier(t, new Uint8Array(n).fill(1));

  it('keeps at most maxPoints, first and last included, evenly by index', () => {
    const m = km.t.length;
    assert.ok(m > 100);
    const thin = thinCurve(km, 10);
    assert.equal(thin.t.length, 10);
    assert.equal(thin.t[0], km.t[0]);
    assert.equal(thin.t[9], km.t[m - 1]);
    for (let j = 0; j < 10; j++) {
      const i = Math.round((j * (m - 1)) / 9);
      assert.equal(thin.t[j], km.t[i]);
      assert.equal(thin.survival[j], km.survival[i]);
      assert.equal(thin.lo[j], km.lo[i]);
      assert.equal(thin.hi[j], km.hi[i]);
      assert.equal(thin.atRisk[j], km.atRisk[i]);
      assert.equal(thin.events[j], km.events[i]);
    }
    assert.equal(thinCurve(km, m - 1).t.length, m - 1);
  });
  it('returns an equal copy when the curve is already small', () => {
    const copy = thinCurve(km, km.t.length);
    assert.deepEqual(copy, km);
    assert.notEqual(copy.t, km.t);
    assert.throws(() => thinCurve(km, 1), RangeError);
  });
});
