/*
 * bn-collapse reference implementation in plain C (one thread), for `bn-collapse bench`.
 *
 * The same mechanistic model and collapse check as the TypeScript engine's default path
 * (docs/conventions.md, "the exact-sum path"): per step, a batch h_1..h_B ~ N(0,1); BN in training
 * mode (biased variance, eps inside the square root); y_i = gamma xhat_i + beta; ReLU, so
 * a_i = 1 if y_i > 0 else 0; Gaussian upstream noise (sigma 1, no signal) drawn as the two exact
 * gradient sums given the batch through the Cholesky factor of
 * (1/B^2) sum_i a_i^2 [[xhat_i^2, xhat_i], [xhat_i, 1]] (2 normal draws a step instead of B);
 * plain SGD; criterion ratio:C (r = beta/|gamma| <= -C, r = -inf at gamma = 0 with beta < 0)
 * checked after every update. Trajectories run to T (or stop at first passage with --stop).
 *
 * Random numbers: xoshiro128** seeded per trajectory by splitmix64(seed, index), normals by a
 * 256-layer ziggurat with independent layer and position bits, the same algorithm as
 * src/rng/normal.ts. The streams differ from the TypeScript ones (no seedrandom here): the
 * results agree in distribution, not bit for bit.
 *
 * Build: cc -O3 -o reference bench/reference.c -lm
 * Run:   ./reference --lr 0.2 --gamma 1 --beta 0 --batch 32 --steps 1000 --trials 1000 --c 3 --seed 1
 * Prints one JSON object: counts, p and its standard error, executed steps, wall and CPU seconds of
 * the simulation loop, throughput (per wall second).
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static uint32_t s0, s1, s2, s3;

static inline uint32_t rotl(uint32_t x, int k) { return (x << k) | (x >> (32 - k)); }

static inline uint32_t next32(void) {
  const uint32_t result = rotl(s1 * 5, 7) * 9;
  const uint32_t t = s1 << 9;
  s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3; s2 ^= t; s3 = rotl(s3, 11);
  return result;
}

static uint64_t splitmix64(uint64_t *x) {
  uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

static void seed_stream(uint64_t seed, uint64_t index) {
  uint64_t x = seed * 0x9e3779b97f4a7c15ULL ^ index;
  uint64_t a = splitmix64(&x), b = splitmix64(&x);
  s0 = (uint32_t)a; s1 = (uint32_t)(a >> 32); s2 = (uint32_t)b; s3 = (uint32_t)(b >> 32);
  if ((s0 | s1 | s2 | s3) == 0) s0 = 1;
}

#define LAYERS 256
static const double R = 3.6541528853610088, V = 0.00492867323399;
static double X[LAYERS + 1], F[LAYERS + 1];
static const double TWO_M32 = 2.3283064365386963e-10;

static void build_tables(void) {
  X[0] = V / exp(-0.5 * R * R);
  X[1] = R;
  for (int i = 1; i < LAYERS - 1; i++) X[i + 1] = sqrt(-2 * log(V / X[i] + exp(-0.5 * X[i] * X[i])));
  X[LAYERS] = 0;
  for (int i = 0; i <= LAYERS; i++) F[i] = exp(-0.5 * X[i] * X[i]);
}

static double uniform_open0(void) { /* (0, 1] with 53 bits */
  uint32_t hi = next32() >> 6, lo = next32() >> 5;
  return 1.0 - (hi * 134217728.0 + lo) * 1.1102230246251565e-16;
}

static double normal(void) {
  for (;;) {
    const uint32_t bits = next32();
    const int i = bits & 255;
    const double sign = (bits & 256) ? -1.0 : 1.0;
    const double z = next32() * TWO_M32 * X[i];
    if (z < X[i + 1]) return sign * z;
    if (i == 0) { /* tail beyond R (Marsaglia 1964) */
      for (;;) {
        const double a = -log(uniform_open0()) / R, b = -log(uniform_open0());
        if (b + b > a * a) return sign * (R + a);
      }
    }
    const double y = F[i] + next32() * TWO_M32 * (F[i + 1] - F[i]);
    if (y < exp(-0.5 * z * z)) return sign * z;
  }
}

int main(int argc, char **argv) {
  double lr = 0.2, gamma0 = 1, beta0 = 0, c = 3, eps = 1e-5;
  long B = 32, T = 1000, N = 1000;
  uint64_t seed = 1;
  int stop = 0;
  for (int k = 1; k < argc; k++) {
    const char *f = argv[k];
    const char *v = k + 1 < argc ? argv[k + 1] : "0";
    if (!strcmp(f, "--stop")) { stop = 1; continue; }
    if (!strcmp(f, "--lr")) lr = atof(v);
    else if (!strcmp(f, "--gamma")) gamma0 = atof(v);
    else if (!strcmp(f, "--beta")) beta0 = atof(v);
    else if (!strcmp(f, "--c")) c = atof(v);
    else if (!strcmp(f, "--eps")) eps = atof(v);
    else if (!strcmp(f, "--batch")) B = atol(v);
    else if (!strcmp(f, "--steps")) T = atol(v);
    else if (!strcmp(f, "--trials")) N = atol(v);
    else if (!strcmp(f, "--seed")) seed = strtoull(v, 0, 10);
    else { fprintf(stderr, "reference: unknown flag %s\n", f); return 2; }
    k++;
  }
  if (B < 2 || T < 1 || N < 1) { fprintf(stderr, "reference: need batch >= 2, steps >= 1, trials >= 1\n"); return 2; }
  build_tables();
  double *h = malloc(sizeof(double) * B);
  long collapsed = 0, nonFinite = 0, executed = 0;
  struct timespec t0, t1;
  clock_gettime(CLOCK_MONOTONIC, &t0);
  const clock_t c0 = clock();
  for (long j = 0; j < N; j++) {
    seed_stream(seed, (uint64_t)j);
    double gamma = gamma0, beta = beta0;
    long first = 0, t = 0;
    int bad = 0;
    while (t < T) {
      double sum = 0;
      for (long i = 0; i < B; i++) { h[i] = normal(); sum += h[i]; }
      const double mean = sum / B;
      double ss = 0;
      for (long i = 0; i < B; i++) { const double d = h[i] - mean; ss += d * d; }
      const double inv = 1 / sqrt(ss / B + eps);
      double qxx = 0, qx = 0, q1 = 0;
      for (long i = 0; i < B; i++) {
        const double x = (h[i] - mean) * inv;
        if (gamma * x + beta > 0) { qxx += x * x; qx += x; q1 += 1; }
      }
      double gG = 0, gB = 0;
      if (q1 > 0) {
        const double z1 = normal(), z2 = normal();
        const double l11 = sqrt(qxx), l21 = l11 > 0 ? qx / l11 : 0;
        const double rest = q1 - l21 * l21, l22 = rest > 0 ? sqrt(rest) : 0;
        gG = l11 * z1 / B;
        gB = (l21 * z1 + l22 * z2) / B;
      }
      gamma -= lr * gG;
      beta -= lr * gB;
      t++;
      if (!isfinite(gamma) || !isfinite(beta)) { bad = 1; break; }
      const double ag = fabs(gamma);
      const double r = ag == 0 ? (beta < 0 ? -INFINITY : INFINITY) : beta / ag;
      if (first == 0 && r <= -c) { first = t; if (stop) break; }
    }
    executed += t;
    if (first > 0) collapsed++;
    else if (bad) nonFinite++;
  }
  const double cpu = (double)(clock() - c0) / CLOCKS_PER_SEC;
  clock_gettime(CLOCK_MONOTONIC, &t1);
  const double secs = (t1.tv_sec - t0.tv_sec) + 1e-9 * (t1.tv_nsec - t0.tv_nsec);
  const long n = N - nonFinite;
  const double p = n > 0 ? (double)collapsed / n : 0;
  const double se = n > 0 ? sqrt(p * (1 - p) / n) : 0;
  printf("{\"impl\":\"c\",\"trials\":%ld,\"collapsed\":%ld,\"nonFinite\":%ld,\"p\":%.6f,\"se\":%.6f,"
         "\"stepsExecuted\":%ld,\"seconds\":%.6f,\"cpuSeconds\":%.6f,\"sampleStepsPerSecond\":%.1f}\n",
         N, collapsed, nonFinite, p, se, executed, secs, cpu, executed * (double)B / secs);
  free(h);
  return 0;
}
