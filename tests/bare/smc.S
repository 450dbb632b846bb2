/* Self-modifying code through a second mapping (cpu/interp.h: pre-decoded
   blocks belong to the real page they came from).  A function at real
   address 0x5000 runs in real mode; an HPTE maps EA 0x1000_0000 to the same
   real page, and each round stores a new `li 3,N` through that alias with
   MSR[DR]=1, synchronises as Book II 1.8 asks (dcbst, sync, icbi, isync) and
   calls the function again: it must return N.  Run with 64M of RAM. */
#include "common.inc"
#define HTAB 0x100000
#define PTEG 0x109180           /* HTAB + (VSID 0x123 ^ page 0) * 128 */
#define PATB 0x80000
#define FN 0x5000
	VECTORS
	li 0, 0
	SET_HTAB HTAB, PATB, 0
	SLB_SEG1
	/* HPTE: VSID 0x123 page 0 -> RA FN, PP = 00 (read/write). */
	LOAD64 7, PTEG
	LOAD64 8, 0x123001
	LOAD64 6, FN
	HPTE_STORE 7, 8, 6
	bl fn
	EXPECT 3, 1, 2
	bl fn                      /* the decoded block again */
	EXPECT 3, 1, 3
	li 14, 2                   /* round: N = 2 .. 300 */
1:	LOAD64 6, 0x38600000       /* li 3,0 */
	or 6, 6, 14
	lis 5, 0x1000
	DR_ON
	stw 6, 0(5)                /* through the alias */
	DR_OFF
	LOAD64 5, FN
	dcbst 0, 5
	sync
	icbi 0, 5
	isync
	bl fn
	cmpd 3, 14
	IFNE_FAIL 4
	bl fn                      /* twice: the new block is cached */
	cmpd 3, 14
	IFNE_FAIL 5
	addi 14, 14, 1
	cmpdi 14, 300
	ble 1b
	PASS
	.org FN
fn:	li 3, 1
	blr
