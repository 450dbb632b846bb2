/* MMIO through an HPTE with WIMG I|G: EA 0x2000_0000 -> guest physical
   0xF000_0000 (no slot).  Exits or IO-bus accesses, in order:
   stw 0x11223344 @0; lwz @4 -> r20; lhbrx @8 -> r21; lha @12 -> r22;
   stbu @16 (r10 += 16); ld @24 -> r23.  Reports r20..r23 via r5..r8 and
   the updated base in r9. */
#include "guest.inc"
	VECTORS
	LOAD64 6, 0x456000
	LOAD64 7, 0x28000000
	slbmte 6, 7
	/* PTEG 0x456, ptel = 0xF000_0000 | I (0x20) | G (0x8) | PP 00 */
	li 4, 0
	LOAD64 5, 0x22B0
	LOAD64 6, 0x456001
	LOAD64 7, 0xF0000028
	HCALL H_ENTER
	cmpdi 3, 0
	FAIL_NE 1
	lis 10, 0x2000
	LOAD64 9, 0x11223344
	DR_ON
	stw 9, 0(10)
	lwz 20, 4(10)
	li 11, 8
	lhbrx 21, 10, 11
	lha 22, 12(10)
	li 12, 0x5A
	stbu 12, 16(10)
	ld 23, 8(10)
	DR_OFF
	mr 5, 20
	mr 6, 21
	mr 7, 22
	mr 8, 23
	mr 9, 10
	REPORT 0x3310
