// ISA 2.07 vector instructions reached through intrinsics (built for power8 and power9).
#include <altivec.h>
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
  vector unsigned long long a = {0x0123456789abcdefull, 0xfedcba9876543210ull};
  vector unsigned long long b = {0xffffffffffffffffull, 3};
  vector signed long long sa = {-5, 9};
  P("add2d", vec_add(a, b));
  P("sub2d", vec_sub(a, b));
  P("max2d", vec_max(sa, (vector signed long long){3, 3}));
  P("cmpgt2d", vec_cmpgt(a, b));
  P("popcnt", vec_popcnt(a));
  P("clz", vec_cntlz(a));
  P("pmsum", __builtin_crypto_vpmsumd(a, b));
  P("cipher", __builtin_crypto_vcipher(a, b));
  P("ncipher", __builtin_crypto_vncipherlast(a, b));
  P("sbox", __builtin_crypto_vsbox(a));
  P("shaw", __builtin_crypto_vshasigmaw((vector unsigned int)a, 1, 5));
  P("shad", __builtin_crypto_vshasigmad(a, 0, 3));
  P("gbbd", vec_gb((vector unsigned char)a));
  P("mergee", vec_mergee((vector unsigned int)a, (vector unsigned int)b));
  P("eqv", vec_eqv(a, b));
  P("nand", vec_nand(a, b));
  P("orc", vec_orc(a, b));
  P("rl2d", vec_rl(a, (vector unsigned long long){4, 60}));
  P("sl2d", vec_sl(a, (vector unsigned long long){4, 60}));
  P("sra2d", vec_sra(sa, (vector unsigned long long){1, 63}));
  P("bperm", vec_bperm((vector unsigned char)a, (vector unsigned char){0, 8, 16, 24, 32, 40, 48, 56, 64, 72, 80, 88, 96, 104, 112, 127}));
  return 0;
}
