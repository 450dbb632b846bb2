// AltiVec/VSX intrinsics: output must match qemu-ppc64le.
#include <altivec.h>
#include <stdint.h>
#include <stdio.h>

static void pb(const char* n, vector unsigned char v) {
  unsigned char b[16];
  vec_xst(v, 0, b);
  printf("%s:", n);
  for (int i = 0; i < 16; i++) printf("%02x", b[i]);
  printf("\n");
}
#define P(n, v) pb(n, (vector unsigned char)(v))

int main(void) {
  vector unsigned char a = {1, 2, 3, 250, 5, 6, 7, 8, 9, 10, 11, 12, 200, 14, 15, 255};
  vector unsigned char b = {16, 15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 100, 3, 2, 1};
  vector signed short sa = {-32768, 32767, 1000, -1000, 5, 6, 7, 8};
  vector signed short sb = {-1, 1, 32000, -32000, 5, -6, 7, -8};
  vector signed int ia = {1, -2, 0x7fffffff, -0x7fffffff};
  vector signed int ib = {5, 7, 1, -9};
  vector float fa = {1.5f, -2.25f, 3.0e10f, 1.0e-40f};
  vector float fb = {0.5f, 4.0f, -1.0f, 2.0f};
  vector double da = {1.0 / 3.0, -2.5};
  vector double db = {3.0, 1e300};
  P("add", vec_add(a, b));
  P("adds", vec_adds(a, b));
  P("subs", vec_subs(a, b));
  P("avg", vec_avg(a, b));
  P("max", vec_max(a, b));
  P("perm", vec_perm(a, b, (vector unsigned char){0, 17, 2, 19, 4, 21, 31, 30, 8, 9, 10, 11, 12, 13, 14, 15}));
  P("mergeh", vec_mergeh(a, b));
  P("mergel", vec_mergel(a, b));
  P("sadd16", vec_adds(sa, sb));
  P("ssub16", vec_subs(sa, sb));
  P("mule", vec_mule(sa, sb));
  P("mulo", vec_mulo(sa, sb));
  P("pack", vec_packs(ia, ib));
  P("packsu", vec_packsu(ia, ib));
  P("unpackh", vec_unpackh(sa));
  P("sl", vec_sl(ia, (vector unsigned int){1, 2, 33, 31}));
  P("sra", vec_sra(ia, (vector unsigned int){1, 2, 3, 31}));
  P("rl", vec_rl(ia, (vector unsigned int){1, 2, 3, 31}));
  P("cmpgt", vec_cmpgt(ia, ib));
  P("sums", vec_sums(ia, ib));
  P("sum4s", vec_sum4s(a, (vector unsigned int){1, 2, 3, 4}));
  P("sld", vec_sld(a, b, 5));
  P("splat", vec_splat(a, 3));
  P("sel", vec_sel(a, b, (vector unsigned char){255, 0, 255, 0, 15, 15, 15, 15, 0, 0, 0, 0, 255, 255, 255, 255}));
  P("fadd", vec_add(fa, fb));
  P("fmadd", vec_madd(fa, fb, fa));
  P("fmax", vec_max(fa, fb));
  P("fcts", vec_cts(fa, 2));
  P("fctf", vec_ctf(ib, 1));
  P("dadd", vec_add(da, db));
  P("dmul", vec_mul(da, db));
  P("ddiv", vec_div(da, db));
  P("dsqrt", vec_sqrt(db));
  P("dmadd", vec_madd(da, db, da));
  P("xor", vec_xor(a, b));
  P("nor", vec_nor(a, b));
  P("andc", vec_andc(a, b));
  P("cmpeq", vec_cmpeq(a, b));
  int all = vec_all_gt(ia, ib), any = vec_any_eq(a, b);
  printf("all=%d any=%d\n", all, any);
  return 0;
}
