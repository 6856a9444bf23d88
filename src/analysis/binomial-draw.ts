import { lnGamma, regularizedIncompleteBeta } from "../stats/special.ts";
import { uniform53, type RngState } from "../rng/xoshiro.ts";

/** What a Binomial(n, p) draw needs, computed once per (n, p): the mode, its pmf and its CDF. */
export interface BinomialLaw {
  n: number;
  /** min(p, 1 - p); `flip` when p > 1/2 (the draw is then n minus a draw at 1 - p) */
  p: number;
  flip: boolean;
  mode: number;
  pmfMode: number;
  cdfMode: number;
}

export function binomialLaw(n: number, p: number): BinomialLaw {
  const flip = p > 0.5;
  const q = flip ? 1 - p : p;
  const mode = Math.floor((n + 1) * q);
  if (n === 0 || q <= 0) return { n, p: 0, flip, mode: 0, pmfMode: 1, cdfMode: 1 };
  const logPmf = lnGamma(n + 1) - lnGamma(mode + 1) - lnGamma(n - mode + 1) + mode * Math.log(q) + (n - mode) * Math.log1p(-q);
  // P(X <= m) = I_{1-q}(n - m, m + 1)
  const cdfMode = mode >= n ? 1 : regularizedIncompleteBeta(1 - q, n - mode, mode + 1);
  return { n, p: q, flip, mode, pmfMode: Math.exp(logPmf), cdfMode };
}

/**
 * An exact Binomial(n, p) variate by inversion of one uniform, searched from the mode with the pmf's
 * ratio recurrence, so it takes O(sd) steps. Used by the parametric bootstrap of goodness-of-fit tests.
 */
export function binomialDraw(s: RngState, law: BinomialLaw): number {
  const k = drawAtMostHalf(uniform53(s), law);
  return law.flip ? law.n - k : k;
}

function drawAtMostHalf(u: number, law: BinomialLaw): number {
  const { n, p } = law;
  if (n === 0 || p <= 0) return 0;
  const ratio = p / (1 - p);
  let j = law.mode, pmf = law.pmfMode, cdf = law.cdfMode;
  if (u <= cdf) {
    // walk down: F(j - 1) = F(j) - pmf(j), pmf(j - 1) = pmf(j) j / ((n - j + 1) ratio)
    while (j > 0) {
      const below = cdf - pmf;
      if (u > below) return j;
      pmf *= j / ((n - j + 1) * ratio);
      cdf = below;
      j--;
    }
    return 0;
  }
  while (j < n) {
    pmf *= ((n - j) * ratio) / (j + 1);
    j++;
    cdf += pmf;
    if (u <= cdf) return j;
  }
  return n;
}
