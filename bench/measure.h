/* bench/measure.h - the measurements every benchmark program reports: wall
 * time, CPU time and peak RSS of the process. Shared by ik_bench.c and
 * raw_curl.c so that both sides are measured the same way. */
#ifndef IK_BENCH_MEASURE_H
#define IK_BENCH_MEASURE_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

static inline int64_t now_us(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static inline int64_t rusage_cpu_us(const struct rusage *ru) {
  return (int64_t)(ru->ru_utime.tv_sec + ru->ru_stime.tv_sec) * 1000000 + ru->ru_utime.tv_usec + ru->ru_stime.tv_usec;
}

static inline int64_t cpu_us(void) {
  struct rusage ru;
  getrusage(RUSAGE_SELF, &ru);
  return rusage_cpu_us(&ru);
}

/* A timed part's cost: wall and CPU time, and the minor page faults and
 * context switches (voluntary + involuntary) of the process. On this project's
 * 2-vCPU virtual machines a fault or a switch costs tens of microseconds, and
 * they are where a language runtime's overhead shows (Go's heap growth, thread
 * hand-offs): docs/BENCHMARKS.md, "Bindings". usage_now() is one clock read
 * and one getrusage; usage_since(start) the differences since start. */
typedef struct {
  int64_t wall_us, cpu_us, minflt, ctxsw;
} run_usage;

static inline run_usage usage_now(void) {
  struct rusage ru;
  run_usage u = {now_us(), -1, -1, -1};
  if (getrusage(RUSAGE_SELF, &ru) == 0) {
    u.cpu_us = rusage_cpu_us(&ru);
    u.minflt = ru.ru_minflt;
    u.ctxsw = (int64_t)ru.ru_nvcsw + ru.ru_nivcsw;
  }
  return u;
}

static inline run_usage usage_since(run_usage start) {
  const run_usage now = usage_now();
  const run_usage d = {now.wall_us - start.wall_us, now.cpu_us - start.cpu_us, now.minflt - start.minflt,
                       now.ctxsw - start.ctxsw};
  return d;
}

/* Peak RSS of this process image in KiB: VmHWM of /proc/self/status. Not
 * getrusage's ru_maxrss, which on Linux carries over the high-water mark of the
 * image before execve (e.g. of the Python runner that forked us). */
static inline long maxrss_kb(void) {
  FILE *f = fopen("/proc/self/status", "r");
  char line[256];
  long kb = -1;
  if (!f) return -1;
  while (fgets(line, sizeof line, f))
    if (!strncmp(line, "VmHWM:", 6)) {
      kb = atol(line + 6);
      break;
    }
  fclose(f);
  return kb;
}

#endif /* IK_BENCH_MEASURE_H */
