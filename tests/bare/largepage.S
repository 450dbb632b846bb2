/* Large pages and multiple page sizes per segment (Book III-S 5.7.6 SLB
   L||LP, 5.7.7.1 HPTE L and LP, 5.7.7.3 the hash uses the segment's base
   page size, 5.9.3.3 tlbie with L = 1).  The LP encodings are the ones
   POWER7/8/9 implement (firmware's ibm,segment-page-sizes): base 16M / 16M
   LP = 0; base 64K / 64K LP = 0x1; base 4K / 64K LP = 0x7, held in the RPN
   bits below the page size.  HPT at 1M (SDR1, or partition-table entry 0 at
   PTCR on POWER9).  Run with 64M of RAM.

   segment          SLB L||LP     page                          HPTE LP
   A EA 0x1000_0000  16M (100)   EA 0x1000_0000 -> RA 16M (16M)   0
     VSID 0x200
   B EA 0x2000_0000  64K (101)   EA 0x2001_0000 -> RA 3M (64K)    0x1
     VSID 0x300
   C EA 0x3000_0000  4K  (000)   EA 0x3002_0000 -> RA 4M (64K)    0x7
     VSID 0x400                  (HPTE in the PTEG of the 4K base page
                                  EA 0x3002_5000 that is accessed)
   For each: stores at offsets above 4K inside the page land at page RA +
   offset, R and C get set; then the HPTE is cleared and tlbie'd with the
   L = 1 RB form (VA, LP in RB[44:51]'s low bits, L), after which every 4K
   part of the page that was accessed takes a DSI (DSISR[33]). */
#include "common.inc"
#define HTAB 0x100000
#define PATB 0x80000
#define PTEG_A (HTAB + (0x200 << 7))
#define PTEG_B (HTAB + ((0x300 ^ 1) << 7))
#define PTEG_C (HTAB + ((0x400 ^ 0x25) << 7))

/* Store val at ea with DR = 1, read it back, then check real ra.  r5-r7. */
.macro ST_CHECK ea, ra, val, n
	LOAD64 5, \ea
	LOAD64 6, \val
	DR_ON
	std 6, 0(5)
	ld 7, 0(5)
	DR_OFF
	cmpd 7, 6
	IFNE_FAIL \n
	LOAD64 5, \ra
	ld 7, 0(5)
	cmpd 7, 6
	IFNE_FAIL \n + 1
.endm
/* A load at ea with DR = 1 takes DSI with DAR = ea and DSISR[33]. */
.macro LD_FAULTS ea, n
	ON_INT 95f
	LOAD64 5, \ea
	DR_ON
	ld 7, 0(5)
	EXIT \n
95:	cmpdi 29, 0x300
	IFNE_FAIL \n + 1
	mfdar 7
	EXPECT 7, \ea, \n + 2
	mfdsisr 7
	EXPECT 7, 0x40000000, \n + 3
.endm
/* R and C set in the HPTE at pteg (slot 0). */
.macro RC_SET pteg, n
	LOAD64 8, (\pteg) + 8
	LDBE 7, 0, 8
	EXPECT_BITS 7, 0x180, 0x180, \n
.endm
/* Clear the HPTE at pteg (slot 0) and tlbie rb (LPID 0). */
.macro UNMAP pteg, rb
	LOAD64 8, \pteg
	li 6, 0
	STBE 6, 0, 8
	LOAD64 5, \rb
	li 6, 0
	TLBIE 5, 6
.endm

	VECTORS
	SET_HTAB HTAB, PATB, 0
	/* SLB: A (16M base), B (64K base), C (4K base). */
	LOAD64 6, (0x200 << 12) | 0x100
	LOAD64 7, 0x10000000 | 0x08000000 | 0
	slbmte 6, 7
	LOAD64 6, (0x300 << 12) | 0x110
	LOAD64 7, 0x20000000 | 0x08000000 | 1
	slbmte 6, 7
	LOAD64 6, (0x400 << 12)
	LOAD64 7, 0x30000000 | 0x08000000 | 2
	slbmte 6, 7
	/* HPTEs: dw0 = AVA (VSID || EA[28:35]... = VSID << 12 here) | L | V. */
	LOAD64 9, PTEG_A
	LOAD64 10, (0x200 << 12) | 5
	LOAD64 11, 0x1000000
	HPTE_STORE 9, 10, 11
	LOAD64 9, PTEG_B
	LOAD64 10, (0x300 << 12) | 5
	LOAD64 11, 0x300000 | 0x1000
	HPTE_STORE 9, 10, 11
	LOAD64 9, PTEG_C
	LOAD64 10, (0x400 << 12) | 5
	LOAD64 11, 0x400000 | 0x7000
	HPTE_STORE 9, 10, 11

	/* A: 16M page. */
	ST_CHECK 0x10123450, 0x1123450, 0xA1A2A3A4A5A6A7A8, 1
	ST_CHECK 0x10FFF008, 0x1FFF008, 0xB1B2B3B4B5B6B7B8, 3
	RC_SET PTEG_A, 5
	/* B: 64K page in a 64K segment. */
	ST_CHECK 0x20011238, 0x301238, 0xC1C2C3C4C5C6C7C8, 6
	ST_CHECK 0x2001ABC8, 0x30ABC8, 0xD1D2D3D4D5D6D7D8, 8
	RC_SET PTEG_B, 10
	/* C: 64K page in a 4K segment (MPSS). */
	ST_CHECK 0x30025008, 0x405008, 0xE1E2E3E4E5E6E7E8, 11
	RC_SET PTEG_C, 13
	/* Neighbouring 4K base page of C: another PTEG, no HPTE there. */
	LD_FAULTS 0x30024000, 14

	/* tlbie, L = 1: RB = VA[14:..] of the page | LP << 12 | L. */
	UNMAP PTEG_A, (0x200 << 28) | 1
	LD_FAULTS 0x10123450, 20
	LD_FAULTS 0x10FFF008, 24
	UNMAP PTEG_B, (0x300 << 28) | 0x10000 | 0x1000 | 1
	LD_FAULTS 0x20011238, 30
	LD_FAULTS 0x2001ABC8, 34
	UNMAP PTEG_C, (0x400 << 28) | 0x20000 | 0x7000 | 1
	LD_FAULTS 0x30025008, 40
	PASS
