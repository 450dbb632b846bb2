// ISA 3.0 vector and quad-precision instructions (built for power9 only).
#include <altivec.h>
#include <stdio.h>
#include <string.h>

static void pb(const char* n, vector unsigned char v) {
  unsigned char b[16];
  vec_xst(v, 0, b);
  printf("%s:", n);
  for (int i = 0; i < 16; i++) printf("%02x", b[i]);
  printf("\n");
}
#define P(n, v) pb(n, (vector unsigned char)(v))

static void pq(const char* n, __float128 q) {
  unsigned char b[16];
  memcpy(b, &q, 16);
  printf("%s:", n);
  for (int i = 15; i >= 0; i--) printf("%02x", b[i]);
  printf("\n");
}

int main(void) {
  vector unsigned char a = {1, 2, 3, 250, 5, 6, 7, 8, 9, 10, 11, 12, 200, 14, 15, 255};
  vector unsigned char b = {16, 15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 100, 3, 2, 1};
  unsigned char mem[32];
  for (int i = 0; i < 32; i++) mem[i] = (unsigned char)(i * 7 + 1);
  P("absd", vec_absd(a, b));
  P("cmpne", vec_cmpne(a, b));
  P("cmpnez", vec_cmpnez(a, (vector unsigned char){1, 0, 3, 0, 5, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}));
  P("xl_len5", vec_xl_len(mem, 5));
  P("xl_len16", vec_xl_len(mem, 16));
  P("permr", vec_permxor(a, b, a));
  vector unsigned int rmask = {0x1f00, 0x0800, 0x1000, 0x0004};
  P("rlnm", vec_rlnm((vector unsigned int)a, (vector unsigned int)b, rmask));
  P("extswsli", vec_signexti((vector signed char)a));
  P("cnttz", vec_cnttz(a));
  P("parity", vec_parity_lsbb((vector unsigned int)a));
  P("splati", vec_splats((signed char)-7));
  printf("first_match=%d first_mismatch=%d\n", vec_first_match_index(a, b), vec_first_mismatch_index(a, b));
  printf("extract=%d\n", vec_extract(a, 3));
  __float128 x = 1.0Q / 3.0Q, y = 2.0Q;
  pq("qadd", x + y);
  pq("qmul", x * y);
  pq("qdiv", y / x);
  pq("qsub", x - y);
  pq("qsqrt", __builtin_sqrtf128(y));
  pq("qfma", __builtin_fmaf128(x, y, x));
  printf("q2d=%.17g q2i=%lld cmp=%d\n", (double)x, (long long)(x * 1e20Q), x < y);
  pq("d2q", (__float128)0.1);
  pq("i2q", (__float128)-123456789012345LL);
  return 0;
}
