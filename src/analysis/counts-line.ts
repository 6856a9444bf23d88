/**
 * The binomial (complementary log-log) line in flat arrays, for the fits' inner loops and the
 * parametric bootstrap, which refits thousands of times: cell i has k_i of n_i at u_i (centred
 * log x), and P_i = 1 - exp(-exp(a + b u_i)). No allocation per evaluation.
 */
export interface CountsLine {
  u: Float64Array;
  k: Float64Array;
  n: Float64Array;
  /** the saturated log-likelihood summed over the cells (the deviance's constant) */
  saturated: number;
  anyCollapsed: boolean;
  anySurviving: boolean;
}

export function countsLine(u: readonly number[], k: readonly number[], n: readonly number[]): CountsLine {
  const line = { u: Float64Array.from(u), k: Float64Array.from(k), n: Float64Array.from(n), saturated: 0, anyCollapsed: false, anySurviving: false };
  refreshCounts(line);
  return line;
}

/** Recomputes the derived fields after the counts `k` changed in place. */
export function refreshCounts(line: CountsLine): void {
  let sat = 0, anyK = false, anyS = false;
  for (let i = 0; i < line.k.length; i++) {
    const k = line.k[i], n = line.n[i];
    if (k > 0) {
      anyK = true;
      sat += k * Math.log(k / n);
    }
    if (k < n) {
      anyS = true;
      sat += (n - k) * Math.log(1 - k / n);
    }
  }
  line.saturated = sat;
  line.anyCollapsed = anyK;
  line.anySurviving = anyS;
}

/** log(1 - exp(-t)), t = e^eta */
function logP(t: number, eta: number): number {
  return t < 1e-10 ? eta - t / 2 : Math.log(-Math.expm1(-t));
}

/** The deviance of the line at (a, b). */
export function countsDeviance(line: CountsLine, a: number, b: number): number {
  let ll = 0;
  const { u, k, n } = line;
  for (let i = 0; i < u.length; i++) {
    const eta = a + b * u[i];
    const t = Math.exp(eta);
    if (k[i] > 0) ll += k[i] * logP(t, eta);
    ll -= (n[i] - k[i]) * t;
  }
  return Math.max(0, 2 * (line.saturated - ll));
}

/**
 * Score and curvature of the log-likelihood in eta for one cell, written to out[0], out[1]:
 * dl/deta = t (k/expm1(t) - (n - k)), d2l/deta2 = k t (expm1(t) - t e^t)/expm1(t)^2 - (n - k) t.
 */
function cellDerivs(k: number, n: number, eta: number, out: Float64Array): void {
  const t = Math.exp(eta);
  if (t < 1e-5) {
    // series: k t/expm1(t) = k (1 - t/2 + t^2/12); its eta-derivative k (-t/2 + t^2/6)
    out[0] = k * (1 - t / 2 + (t * t) / 12) - (n - k) * t;
    out[1] = k * (-t / 2 + (t * t) / 6) - (n - k) * t;
  } else if (t > 700) {
    out[0] = -(n - k) * t;
    out[1] = -(n - k) * t;
  } else {
    const em1 = Math.expm1(t);
    out[0] = (k * t) / em1 - (n - k) * t;
    out[1] = (k * t * (em1 - t * (em1 + 1))) / (em1 * em1) - (n - k) * t;
  }
}

const scratch = new Float64Array(2);

/**
 * The intercept minimising the line's deviance at slope b, by safeguarded Newton (the deviance is
 * convex in a): bisection inside the bracket of the score's sign change once it is closed, doubling
 * steps outward until then. +-Infinity when the line has no collapsed (no surviving) run.
 */
export function countsIntercept(line: CountsLine, b: number, warm: number): number {
  if (!line.anyCollapsed) return -Infinity;
  if (!line.anySurviving) return Infinity;
  const { u, k, n } = line;
  let a = Number.isFinite(warm) ? warm : startIntercept(line, b);
  let lo = -Infinity, hi = Infinity, span = 1;
  for (let iter = 0; iter < 300; iter++) {
    let s = 0, c = 0;
    for (let i = 0; i < u.length; i++) {
      cellDerivs(k[i], n[i], a + b * u[i], scratch);
      s += scratch[0];
      c += scratch[1];
    }
    // minimising -2 l: gradient -2 s, curvature -2 c > 0
    if (s === 0) break;
    if (s < 0) hi = a;
    else lo = a;
    let next = a + s / -c;
    if (c < 0 && Math.abs(next - a) <= 1e-12 * (1 + Math.abs(a))) return next;
    if (!(c < 0) || !Number.isFinite(next) || next <= lo || next >= hi) {
      if (Number.isFinite(lo) && Number.isFinite(hi)) next = (lo + hi) / 2;
      else {
        next = s < 0 ? a - span : a + span;
        span *= 2;
      }
    }
    a = next;
    if (hi - lo <= 1e-13 * (1 + Math.abs(a))) break;
  }
  return a;
}

function startIntercept(line: CountsLine, b: number): number {
  let k = 0, n = 0, ubar = 0;
  for (let i = 0; i < line.u.length; i++) {
    k += line.k[i];
    n += line.n[i];
    ubar += line.u[i];
  }
  ubar /= line.u.length;
  const p = Math.min(1 - 0.5 / n, Math.max(0.5 / n, k / n));
  return Math.log(-Math.log1p(-p)) - b * ubar;
}

/**
 * The profile deviance's derivatives in b at the line's best intercept a (envelope theorem):
 * F' = -2 sum s_i u_i, F'' = -2 (sum c u^2 - (sum c u)^2 / sum c). Added to acc[0], acc[1].
 */
export function addProfileDerivs(line: CountsLine, a: number, b: number, acc: Float64Array): void {
  if (!Number.isFinite(a)) return;
  const { u, k, n } = line;
  let s1 = 0, caa = 0, cab = 0, cbb = 0;
  for (let i = 0; i < u.length; i++) {
    cellDerivs(k[i], n[i], a + b * u[i], scratch);
    s1 += scratch[0] * u[i];
    caa += scratch[1];
    cab += scratch[1] * u[i];
    cbb += scratch[1] * u[i] * u[i];
  }
  acc[0] += -2 * s1;
  if (caa < 0) acc[1] += -2 * (cbb - (cab * cab) / caa);
}
