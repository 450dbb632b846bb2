// Floating point in all four rounding modes with exception flags: output
// must match qemu-ppc64le exactly (values printed as hex).
#include <fenv.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

static uint64_t bits(double d) { uint64_t u; memcpy(&u, &d, 8); return u; }
static uint32_t fbits(float f) { uint32_t u; memcpy(&u, &f, 4); return u; }

static const int modes[4] = {FE_TONEAREST, FE_TOWARDZERO, FE_UPWARD, FE_DOWNWARD};
static const char* names[4] = {"near", "zero", "up", "down"};

static volatile double vals[] = {1.0, -1.0, 3.0, 0.1, -0.3, 1e308, -1e308, 1e-310, 5e-324, 0.0, -0.0,
                                 1.0 / 3.0, 2.5, -2.5, 1e16, 123456789.987654321, INFINITY, -INFINITY, NAN};
#define NV (sizeof vals / sizeof vals[0])

static void flags(const char* what) {
  int f = fetestexcept(FE_ALL_EXCEPT);
  printf("%s:%s%s%s%s%s\n", what, f & FE_INEXACT ? "X" : "-", f & FE_UNDERFLOW ? "U" : "-",
         f & FE_OVERFLOW ? "O" : "-", f & FE_DIVBYZERO ? "Z" : "-", f & FE_INVALID ? "V" : "-");
  feclearexcept(FE_ALL_EXCEPT);
}

int main(void) {
  for (int m = 0; m < 4; m++) {
    fesetround(modes[m]);
    uint64_t h = 0;
    for (unsigned i = 0; i < NV; i++) {
      for (unsigned j = 0; j < NV; j++) {
        double a = vals[i], b = vals[j];
        h = h * 31 + bits(a + b);
        h = h * 31 + bits(a - b);
        h = h * 31 + bits(a * b);
        h = h * 31 + bits(a / b);
        h = h * 31 + bits(fma(a, b, a));
        h = h * 31 + fbits((float)a + (float)b);
        h = h * 31 + fbits((float)a * (float)b);
        h = h * 31 + fbits(fmaf((float)a, (float)b, (float)b));
        h = h * 31 + (a < b) + 2 * (a == b) + 4 * isunordered(a, b);
      }
      h = h * 31 + bits(sqrt(vals[i]));
      h = h * 31 + fbits((float)vals[i]);
      h = h * 31 + (uint64_t)(long long)(vals[i] < 1e18 && vals[i] > -1e18 ? vals[i] : 0);
      h = h * 31 + bits(rint(vals[i]));
      h = h * 31 + bits(floor(vals[i])) + bits(ceil(vals[i])) + bits(trunc(vals[i]));
    }
    printf("%s h=%016llx\n", names[m], (unsigned long long)h);
    flags(names[m]);
  }
  fesetround(FE_TONEAREST);
  volatile double z = 0.0, one = 1.0, big = 1e308, tiny = 1e-308;
  volatile double r;
  r = one / z; flags("div0");
  r = z / z; flags("0/0");
  r = big * big; flags("ovf");
  r = tiny * tiny; flags("unf");
  r = one / 3.0; flags("inexact");
  r = sqrt(-one); flags("sqrtneg");
  r = (double)(long long)(big); flags("cvt");
  (void)r;
  printf("%.17g %.17g %.9g %a\n", 1.0 / 3.0, exp(1.0), (float)M_PI, 0.1);
  printf("%g %g %g %g\n", sin(1.0), log(10.0), pow(2.0, 0.5), atan2(1.0, -1.0));
  long double ld = 1.0L / 3.0L;
  printf("ld=%.30Lg\n", ld);
  return 0;
}
