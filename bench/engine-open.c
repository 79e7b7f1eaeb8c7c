/*
 * engine-open: what one Unicorn engine costs to open, before it runs any guest code. tstrace
 * opens one per address space: one per fork and one per exec.
 *
 * Opens N aarch64 engines the way tstrace does (8 MB translation buffer, Cortex-A72) and makes
 * each ready to run (the first register read initialises the CPU); prints the mean time per
 * engine with the engines closed one by one, and with all N kept open at once (as N live forked
 * children keep theirs), with and without transparent huge pages (PR_SET_THP_DISABLE).
 *
 * Usage: engine-open [N]   (default 100)
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <time.h>
#include <unicorn/unicorn.h>

static double now_ms(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

static uc_engine *open_ready(void) {
  uc_engine *uc;
  if (uc_open(UC_ARCH_ARM64, UC_MODE_ARM, &uc) != UC_ERR_OK) exit(2);
  uc_ctl(uc, UC_CTL_WRITE(UC_CTL_TCG_BUFFER_SIZE, 1), (uint32_t)(8u << 20));
  uc_ctl(uc, UC_CTL_WRITE(UC_CTL_CPU_MODEL, 1), UC_CPU_ARM64_A72);
  uint64_t v;
  if (uc_reg_read(uc, UC_ARM64_REG_X0, &v) != UC_ERR_OK) exit(3);
  return uc;
}

static void measure(const char *what, int n) {
  double t0 = now_ms();
  for (int i = 0; i < n; i++) uc_close(open_ready());
  double one = (now_ms() - t0) / n;
  uc_engine **all = calloc((size_t)n, sizeof *all);
  t0 = now_ms();
  for (int i = 0; i < n; i++) all[i] = open_ready();
  double kept = (now_ms() - t0) / n;
  for (int i = 0; i < n; i++) uc_close(all[i]);
  free(all);
  printf("%s: %.3f ms per engine opened and closed, %.3f ms per engine with all %d open\n", what, one, kept, n);
}

int main(int argc, char **argv) {
  int n = argc > 1 ? atoi(argv[1]) : 100;
  measure("huge pages allowed", n);
  prctl(PR_SET_THP_DISABLE, 1, 0, 0, 0);
  measure("huge pages off (tstrace)", n);
  return 0;
}
