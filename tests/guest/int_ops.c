// Integer workout for differential runs: output must match qemu-ppc64le.
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint64_t rng = 0x9e3779b97f4a7c15ull;
static uint64_t next(void) {
  rng ^= rng << 13; rng ^= rng >> 7; rng ^= rng << 17;
  return rng;
}

static int cmp_u64(const void* a, const void* b) {
  uint64_t x = *(const uint64_t*)a, y = *(const uint64_t*)b;
  return x < y ? -1 : x > y;
}

__attribute__((noinline)) static uint32_t crc32(const uint8_t* p, size_t n) {
  uint32_t c = 0xffffffffu;
  for (size_t i = 0; i < n; i++) {
    c ^= p[i];
    for (int k = 0; k < 8; k++) c = (c >> 1) ^ (0xedb88320u & -(c & 1));
  }
  return ~c;
}

int main(int argc, char** argv) {
  uint64_t acc = 0;
  for (int i = 0; i < 2000; i++) {
    uint64_t a = next(), b = next() | 1;
    int64_t sa = (int64_t)a, sb = (int64_t)b;
    uint32_t a32 = (uint32_t)a, b32 = (uint32_t)b | 1;
    acc += a * b;
    acc ^= a / b + a % b;
    acc += (uint64_t)(sa / sb) + (uint64_t)(sa % sb);
    acc ^= a32 / b32 + a32 % b32;
    acc += (uint64_t)((int32_t)a32 / (int32_t)b32);
    acc ^= (uint64_t)(((unsigned __int128)a * b) >> 64);
    acc += (uint64_t)(((__int128)sa * sb) >> 64);
    acc ^= (uint64_t)__builtin_popcountll(a) << 3 | (uint64_t)__builtin_clzll(b) << 11 | (uint64_t)__builtin_ctzll(b + 2);
    acc += (a << (b & 63)) ^ (a >> (b & 63)) ^ (uint64_t)(sa >> (b & 63));
    acc ^= (a32 << (b & 31)) + (a32 >> (b & 31)) + (uint32_t)((int32_t)a32 >> (b & 31));
    acc += (a >> 17 | a << 47) ^ ((a32 << 5 | a32 >> 27) & 0xff00ff00u);
    acc += (int64_t)(int8_t)a + (int64_t)(int16_t)b + (int64_t)(int32_t)a;
    acc ^= sa < sb ? 1 : sa > sb ? 2 : 3;
    acc += a32 < b32 ? 5 : 7;
    acc = acc * 31 + (a > b ? a - b : b - a);
  }
  printf("acc=%016" PRIx64 "\n", acc);

  static uint64_t arr[4096];
  for (int i = 0; i < 4096; i++) arr[i] = next() % 100000;
  qsort(arr, 4096, sizeof arr[0], cmp_u64);
  uint64_t h = 0;
  for (int i = 0; i < 4096; i++) h = h * 1000003u + arr[i];
  printf("sorted hash=%016" PRIx64 " min=%" PRIu64 " max=%" PRIu64 "\n", h, arr[0], arr[4095]);

  char buf[512];
  for (int i = 0; i < 64; i++) buf[i] = 'a' + i % 26;
  buf[64] = 0;
  char buf2[512];
  memcpy(buf2, buf, 65);
  memmove(buf2 + 3, buf2, 40);
  printf("strlen=%zu cmp=%d chr=%td str=%s\n", strlen(buf), memcmp(buf, buf2, 65) > 0, strchr(buf, 'q') - buf, buf2);
  printf("crc=%08x\n", crc32((const uint8_t*)buf, 64));
  snprintf(buf, sizeof buf, "%d %u %ld %lx %o %c %s %5.2s|%-6d|%+d", -42, 42u, -1234567890123L, 0xdeadbeefcafeL, 511, 'Z', "str", "abc", 7, 9);
  puts(buf);
  printf("argc=%d atoi=%d strtoul=%lu\n", argc, atoi("-12345"), strtoul("0x1fffffffff", 0, 16));
  char* m = malloc(100000);
  memset(m, 7, 100000);
  long s = 0;
  for (int i = 0; i < 100000; i += 997) s += m[i];
  free(m);
  printf("malloc sum=%ld\n", s);
  return (int)(acc & 0x3f);
}
