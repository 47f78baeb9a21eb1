/* The machine's arithmetic peak, measured rather than quoted: fp32 AVX-512 FMA and bf16
 * AVX-512 dot products (vdpbf16ps), on every OpenMP thread at once, from register-resident
 * independent accumulators (enough of them to cover the instructions' latency).
 *
 * Build: gcc -O2 -mavx512f -mavx512bf16 -fopenmp peak_flops.c -o peak_flops
 * Prints one JSON object: {"threads": T, "fp32_gflops": …, "bf16_gflops": …}.
 * Counting: one 16-lane FMA is 32 flops; one vdpbf16ps is 32 products + 32 sums = 64 flops. */
#include <immintrin.h>
#include <omp.h>
#include <stdio.h>

#define ACCUMULATORS 12
#define ITERATIONS 20000000L

static double fp32_loop(void) {
    __m512 acc[ACCUMULATORS];
    const __m512 a = _mm512_set1_ps(1.0000001f), b = _mm512_set1_ps(0.9999999f);
    for (int i = 0; i < ACCUMULATORS; i++) acc[i] = _mm512_set1_ps((float)i);
    for (long n = 0; n < ITERATIONS; n++) {
#pragma GCC unroll 16 /* fully unrolled, the accumulators live in registers, not on the stack */
        for (int i = 0; i < ACCUMULATORS; i++) acc[i] = _mm512_fmadd_ps(acc[i], a, b);
    }
    float sink = 0;
    for (int i = 0; i < ACCUMULATORS; i++) sink += _mm512_reduce_add_ps(acc[i]);
    return sink;
}

static double bf16_loop(void) {
    __m512 acc[ACCUMULATORS];
    const __m512bh a = _mm512_cvtne2ps_pbh(_mm512_set1_ps(0.5f), _mm512_set1_ps(0.25f));
    const __m512bh b = _mm512_cvtne2ps_pbh(_mm512_set1_ps(1e-3f), _mm512_set1_ps(-1e-3f));
    for (int i = 0; i < ACCUMULATORS; i++) acc[i] = _mm512_set1_ps((float)i);
    for (long n = 0; n < ITERATIONS; n++) {
#pragma GCC unroll 16
        for (int i = 0; i < ACCUMULATORS; i++) acc[i] = _mm512_dpbf16_ps(acc[i], a, b);
    }
    float sink = 0;
    for (int i = 0; i < ACCUMULATORS; i++) sink += _mm512_reduce_add_ps(acc[i]);
    return sink;
}

/* Flops per second of `loop` run on every thread at once (wall time of the slowest). */
static double measure(double (*loop)(void), double flops_per_instruction, int *threads, double *sink) {
    double start = 0, end = 0, total = 0;
#pragma omp parallel reduction(+ : total)
    {
#pragma omp barrier
#pragma omp single
        start = omp_get_wtime();
        total += loop();
#pragma omp barrier
#pragma omp single
        {
            end = omp_get_wtime();
            *threads = omp_get_num_threads();
        }
    }
    *sink += total;
    return flops_per_instruction * ACCUMULATORS * (double)ITERATIONS * *threads / (end - start);
}

int main(void) {
    int threads = 0;
    double sink = 0, fp32 = 0, bf16 = 0;
    for (int repeat = 0; repeat < 3; repeat++) { /* best of 3: the peak is what the cores can do */
        double f = measure(fp32_loop, 32, &threads, &sink), b = measure(bf16_loop, 64, &threads, &sink);
        if (f > fp32) fp32 = f;
        if (b > bf16) bf16 = b;
    }
    printf("{\"threads\": %d, \"fp32_gflops\": %.1f, \"bf16_gflops\": %.1f, \"checksum\": %g}\n",
           threads, fp32 / 1e9, bf16 / 1e9, sink);
    return 0;
}
