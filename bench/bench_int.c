// Compute-bound integer benchmark: sieve, hashing and sorting.
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint8_t sieve[1 << 22];

static int cmp(const void* a, const void* b) {
  uint32_t x = *(const uint32_t*)a, y = *(const uint32_t*)b;
  return x < y ? -1 : x > y;
}

int main(void) {
  uint64_t result = 0;
  for (int round = 0; round < 3; round++) {
    memset(sieve, 1, sizeof sieve);
    for (uint32_t i = 2; i * i < sizeof sieve; i++)
      if (sieve[i])
        for (uint32_t j = i * i; j < sizeof sieve; j += i) sieve[j] = 0;
    uint32_t primes = 0;
    for (uint32_t i = 2; i < sizeof sieve; i++) primes += sieve[i];
    result += primes;
  }
  uint64_t h = 1469598103934665603ull;
  for (uint32_t i = 0; i < 20000000; i++) h = (h ^ (i & 0xff)) * 1099511628211ull;
  result ^= h;
  static uint32_t arr[1 << 19];
  uint32_t x = 12345;
  for (size_t i = 0; i < sizeof arr / sizeof arr[0]; i++) arr[i] = x = x * 1664525u + 1013904223u;
  qsort(arr, sizeof arr / sizeof arr[0], sizeof arr[0], cmp);
  result += arr[1000];
  printf("%llu\n", (unsigned long long)result);
  return 0;
}
