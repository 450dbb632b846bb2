/* Guest for gdb_session.sh: a breakpoint target, a watched global. */
#include <stdio.h>

long watched = 7;
double fval = 1.5;
volatile long counter;

__attribute__((noinline)) int add_numbers(int a, int b) { return a + b; }

__attribute__((noinline)) void bump(void) { watched = watched + 42; }

int main(void) {
  int r = add_numbers(2, 3);
  for (int i = 0; i < 4; i++) counter += i;
  bump();
  printf("result=%d watched=%ld fval=%g counter=%ld\n", r, watched, fval, counter);
  return r == 5 ? 0 : 1;
}
