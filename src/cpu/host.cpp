#include <sys/random.h>
#include <time.h>

#include "cpu/sem/common.h"

namespace lpar::sem {

// The Time Base ticks at 512 MHz as on POWER8/9; on the host's clock it is
// the monotonic clock (lpar-user, and pseries unless -icount shift=N).
u64 host_timebase() {
  timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  const u64 ns = u64(ts.tv_sec) * 1000000000u + u64(ts.tv_nsec);
  return ns / 1000 * 512 + (ns % 1000) * 512 / 1000;
}

u64 timebase(const CpuState& s) { return host_timebase() + s.tb_offset; }

u64 host_random64() {
  u64 v = 0;
  if (getrandom(&v, sizeof v, 0) != sizeof v) return ~u64{0};  // darn's failure value
  return v;
}

}  // namespace lpar::sem
