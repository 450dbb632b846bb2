/* The bare-machine program tests/gdb/bare_session.sh debugs under `lpar -M
   bare -S -gdb`: hypervisor real mode, an SLB entry and an HPTE (EA
   0x1000_0000 -> RA 2M, as tests/bare/hpt.S), then symbols for gdb to stop
   at.  gdb writes MAGIC into `magic` before the program checks it, and
   watches the store to `watched`.  Prints "magic ok" and PASS, exits 0. */
#include "common.inc"
#define HTAB 0x100000
#define PTEG 0x109180           /* HTAB + (VSID 0x123 ^ page 0) * 128 */
#define PATB 0x80000
#define MAGIC 0x12345678
	VECTORS
	SET_HTAB HTAB, PATB, 0
	LOAD64 6, 0x123000              /* SLB 0: ESID 1, VSID 0x123 */
	LOAD64 7, 0x18000000
	slbmte 6, 7
	LOAD64 7, PTEG                  /* HPTE: VSID 0x123 page 0 -> RA 2M */
	LOAD64 8, 0x123001
	LOAD64 6, 0x200000
	HPTE_STORE 7, 8, 6
	LOAD64 8, 0x200000
	LOAD64 6, 0xFEEDFACE
	stw 6, 0(8)
	.globl checkpoint
checkpoint:
	nop
	nop
	LOAD64 8, magic
	lwz 7, 0(8)
	LOAD64 6, MAGIC
	cmpw 7, 6
	IFNE_FAIL 20
	PUTS magic_ok
	LOAD64 8, watched
	li 7, 42
	.globl store_watched
store_watched:
	stw 7, 0(8)
	nop
	mfmsr 12                        /* data translation on */
	ori 12, 12, 0x10
	mtmsrd 12
	.globl in_virtual
in_virtual:
	nop
	lis 5, 0x1000
	lwz 7, 0(5)
	li 11, 0x10
	andc 12, 12, 11
	mtmsrd 12
	EXPECT 7, 0xFEEDFACE, 21
	PASS
	.data
	.balign 8
	.globl magic, watched
magic:	.long 0
watched: .long 0
magic_ok: .asciz "magic ok\n"
