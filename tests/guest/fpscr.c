// FPSCR contents after individual operations, read with mffs: the exact
// exception, FR/FI and FPRF bits must match qemu-ppc64le.
#include <stdint.h>
#include <stdio.h>
#include <string.h>

static uint64_t fpscr(void) {
  double d;
  __asm__ volatile("mffs %0" : "=d"(d));
  uint64_t u;
  memcpy(&u, &d, 8);
  return u & 0xffffffffull;
}
static void setfpscr(uint64_t v) {
  double d;
  memcpy(&d, &v, 8);
  __asm__ volatile("mtfsf 0xff,%0" ::"d"(d));
}

#define OP(name, insn, a, b)                                            \
  do {                                                                   \
    for (int rn = 0; rn < 4; rn++) {                                     \
      double r, x = (a), y = (b);                                        \
      setfpscr(rn);                                                      \
      __asm__ volatile(insn " %0,%1,%2" : "=d"(r) : "d"(x), "d"(y));     \
      uint64_t u;                                                        \
      memcpy(&u, &r, 8);                                                 \
      printf("%-8s rn=%d r=%016llx fpscr=%08llx\n", name, rn,            \
             (unsigned long long)u, (unsigned long long)fpscr());         \
    }                                                                    \
  } while (0)

int main(void) {
  volatile double one = 1.0, three = 3.0, zero = 0.0, big = 1e308, tiny = 1e-308, inf = __builtin_inf();
  volatile double nan = __builtin_nan(""), snan = __builtin_nans("");
  volatile double half_ulp = 1.0 + 0x1p-53;
  OP("fadd", "fadd", one, three);
  OP("fadd", "fadd", one, 0x1p-60);
  OP("fadd", "fadd", half_ulp, 0x1p-53);
  OP("fsub", "fsub", inf, inf);
  OP("fmul", "fmul", big, big);
  OP("fmul", "fmul", tiny, tiny);
  OP("fmul", "fmul", zero, inf);
  OP("fdiv", "fdiv", one, three);
  OP("fdiv", "fdiv", one, zero);
  OP("fdiv", "fdiv", zero, zero);
  OP("fdiv", "fdiv", inf, inf);
  OP("fadd", "fadd", snan, one);
  OP("fadd", "fadd", nan, one);
  OP("fadds", "fadds", one, 0x1p-30);
  OP("fmuls", "fmuls", big, one);
  OP("fdivs", "fdivs", one, three);
  OP("fsub", "fsub", one, one);
  OP("fmul", "fmul", 0x1p-1022, 0x1p-3);
  for (int rn = 0; rn < 4; rn++) {
    double r, x = -2.5;
    setfpscr(rn);
    __asm__ volatile("fctiw %0,%1" : "=d"(r) : "d"(x));
    uint64_t u; memcpy(&u, &r, 8);
    printf("fctiw rn=%d r=%016llx fpscr=%08llx\n", rn, (unsigned long long)u, (unsigned long long)fpscr());
    x = 1e20;
    setfpscr(rn);
    __asm__ volatile("fctid %0,%1" : "=d"(r) : "d"(x));
    memcpy(&u, &r, 8);
    printf("fctid rn=%d r=%016llx fpscr=%08llx\n", rn, (unsigned long long)u, (unsigned long long)fpscr());
    x = nan;
    setfpscr(rn);
    __asm__ volatile("fctiwz %0,%1" : "=d"(r) : "d"(x));
    memcpy(&u, &r, 8);
    printf("fctiwz rn=%d r=%016llx fpscr=%08llx\n", rn, (unsigned long long)u, (unsigned long long)fpscr());
    x = 0x1p-1060;
    setfpscr(rn);
    __asm__ volatile("frsp %0,%1" : "=d"(r) : "d"(x));
    memcpy(&u, &r, 8);
    printf("frsp rn=%d r=%016llx fpscr=%08llx\n", rn, (unsigned long long)u, (unsigned long long)fpscr());
    double c = 3.0;
    x = 1.0 / 3.0;
    setfpscr(rn);
    __asm__ volatile("fmadd %0,%1,%2,%3" : "=d"(r) : "d"(x), "d"(c), "d"(-one));
    memcpy(&u, &r, 8);
    printf("fmadd rn=%d r=%016llx fpscr=%08llx\n", rn, (unsigned long long)u, (unsigned long long)fpscr());
  }
  setfpscr(0);
  double r;
  __asm__ volatile("fsqrt %0,%1" : "=d"(r) : "d"(-one));
  printf("fsqrt(-1) fpscr=%08llx\n", (unsigned long long)fpscr());
  setfpscr(0);
  __asm__ volatile("fcmpo 1,%0,%1" ::"d"(nan), "d"(one));
  printf("fcmpo nan fpscr=%08llx\n", (unsigned long long)fpscr());
  (void)three;
  return 0;
}
