/* Self-modifying code through a second mapping: one page of a memfd mapped
   writable at one address and executable at another (two effective
   addresses, one real page).  Each round rewrites the function through the
   writable alias, synchronises the instruction cache as Book II 1.8 asks
   (dcbst, sync, icbi, isync: __builtin___clear_cache), and calls it through
   the executable alias several times; it must return what was just
   written.  Prints "smc_alias: ok" and exits 0, else names the round. */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <sys/mman.h>
#include <unistd.h>

typedef long (*fn_t)(void);

int main(void) {
  const size_t len = 65536;
  int fd = memfd_create("smc_alias", 0);
  if (fd < 0 || ftruncate(fd, len) != 0) {
    perror("smc_alias: memfd");
    return 2;
  }
  volatile uint32_t* w = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
  char* x = mmap(NULL, len, PROT_READ | PROT_EXEC, MAP_SHARED, fd, 0);
  if (w == MAP_FAILED || x == MAP_FAILED) {
    perror("smc_alias: mmap");
    return 2;
  }
  for (long round = 0; round < 2000; ++round) {
    /* li r3,round ; blr */
    w[0] = 0x38600000u | (uint32_t)(round & 0x7fff);
    w[1] = 0x4e800020u;
    __builtin___clear_cache(x, x + 8);
    for (int call = 0; call < 4; ++call) {
      long got = ((fn_t)(void*)x)();
      if (got != (round & 0x7fff)) {
        printf("smc_alias: round %ld call %d ran stale code (%ld)\n", round, call, got);
        return 1;
      }
    }
  }
  printf("smc_alias: ok\n");
  return 0;
}
