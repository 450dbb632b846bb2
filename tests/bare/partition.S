/* Partition switch and tlbie scope (Book III-S 5.10.1; v3.0B 5.7.6 and
   5.9.3.3 for the LPID operand).  POWER8: each partition's HPT is at SDR1,
   POWER9: partition-table entries 1 and 2 at PTCR (plus identity VRMA
   pages in both HPTs, since the partition's real mode goes through them).
   Run with 64M of RAM.

   This test observes the implementation's retained TLB entries: the
   architecture allows a TLB to keep a translation until a tlbie (or
   tlbiel) removes it, and lpar's software TLB, tagged by LPID, keeps a
   partition's translations across LPIDR/SDR1 switches and drops exactly the
   tlbie'd page of exactly that LPID.  Real hardware may drop entries
   earlier; it may not use them after the tlbie, which this checks too.

   Both partitions use SLB entry 0: EA 0x1000_0000, VSID 0x123, 4K pages.
   X = EA 0x1000_0000, Y = EA 0x1000_1000.  Loads run in supervisor state
   with MSR[DR] = 1 (partition translation), LPIDR set by the hypervisor.
     1. LPID 1 (HPT_A): X -> A_X, Y -> A_Y; both loaded (TLB now has them).
     2. LPID 2 (HPT_B): X -> B_X; loaded.
     3. LPID 1: HPT_A's X and Y rewritten to N_X, N_Y and HPT_B's X to N_B
        in storage, no tlbie: X and Y still read A_X, A_Y.
     4. tlbie X (LPID 1): X reads N_X, Y still A_Y.
     5. tlbie Y (LPID 1): Y reads N_Y.
     6. LPID 2: X still reads B_X (the LPID 1 tlbie left LPID 2 alone);
        tlbie X (LPID 2): X reads N_B. */
#include "common.inc"
#define HPT_A 0x100000
#define HPT_B 0x140000
#define PATB 0x80000
#define PTEG_X 0x9180                   /* (VSID 0x123 ^ page 0) << 7 */
#define PTEG_Y 0x9100                   /* (0x123 ^ 1) << 7 */
#define A_X 0x200000
#define A_Y 0x201000
#define B_X 0x202000
#define N_X 0x203000
#define N_Y 0x204000
#define N_B 0x205000
#define EA_X 0x10000000
#define EA_Y 0x10001000

/* Hypervisor: LPIDR = lpid; POWER7/8 also SDR1 = htab (ISA 3.0 finds the
   HPT in the partition table).  r5, r12. */
.macro SWITCH lpid, htab
	li 5, \lpid
	mtspr SPR_LPIDR, 5
	IS_P9
	beq 90f
	LOAD64 5, \htab
	mtspr SPR_SDR1, 5
90:	isync
.endm
/* Enter the partition at label: supervisor state, DR = 1. */
.macro GUEST label
	mfmsr 12
	LOAD64 10, 0x1000000000008000   /* HV | EE */
	andc 12, 12, 10
	ori 12, 12, 0x10                /* DR */
	mtspr SPR_HSRR1, 12
	LOAD64 12, \label
	mtspr SPR_HSRR0, 12
	hrfid
.endm
/* Back to the hypervisor. */
.macro LEAVE
	ON_INT 94f
	sc 1
94:
.endm
/* In the partition: the doubleword at ea is the tag of page ra, else exit n. */
.macro SEES ea, ra, n
	LOAD64 5, \ea
	ld 7, 0(5)
	EXPECT 7, \ra, \n
.endm
/* HPTE at htab+pteg: dw1 = ra (PP 00), dw0 = VSID 0x123 AVA | V. */
.macro MAP htab, pteg, ra
	LOAD64 9, (\htab) + (\pteg)
	LOAD64 10, 0x123001
	LOAD64 11, \ra
	HPTE_STORE 9, 10, 11
.endm
/* Rewrite only dw1 (the RPN) of the HPTE at htab+pteg, no tlbie. */
.macro REMAP htab, pteg, ra
	LOAD64 9, (\htab) + (\pteg) + 8
	LOAD64 11, \ra
	STBE 11, 0, 9
	ptesync
.endm
/* tlbie of the 4K page at ea of VSID 0x123 for lpid (RS on ISA 3.0; the
   hypervisor's LPIDR on POWER7/8, which SWITCH has set to lpid). */
.macro TLBIE_PAGE ea, lpid
	LOAD64 5, (0x123 << 28) | ((\ea) & 0x0FFFF000)
	li 6, \lpid
	TLBIE 5, 6
.endm

	VECTORS
	/* Each test page holds its own real address as a tag. */
	.irp ra, A_X, A_Y, B_X, N_X, N_Y, N_B
	LOAD64 5, \ra
	std 5, 0(5)
	.endr
	MAP HPT_A, PTEG_X, A_X
	MAP HPT_A, PTEG_Y, A_Y
	MAP HPT_B, PTEG_X, B_X
	IS_P9
	bne 1f
	/* POWER9: partition-table entries 1 and 2, VRMA in both HPTs. */
	SET_HTAB HPT_A, PATB, 1
	SET_HTAB HPT_B, PATB, 2
	.irp htab, HPT_A, HPT_B
	VRMA_HPTE \htab, 0, 0x0000000
	VRMA_HPTE \htab, 1, 0x1000000
	VRMA_HPTE \htab, 2, 0x2000000
	VRMA_HPTE \htab, 3, 0x3000000
	.endr
	SET_VRMASD 0x10
1:	/* SLB entry 0 (the hypervisor switches SLBs; both partitions share it). */
	LOAD64 6, 0x123000
	LOAD64 7, EA_X | 0x08000000
	slbmte 6, 7

	/* 1. */
	SWITCH 1, HPT_A
	GUEST g1
g1:	SEES EA_X, A_X, 1
	SEES EA_Y, A_Y, 2
	LEAVE
	/* 2. */
	SWITCH 2, HPT_B
	GUEST g2
g2:	SEES EA_X, B_X, 3
	LEAVE
	/* 3. */
	SWITCH 1, HPT_A
	REMAP HPT_A, PTEG_X, N_X
	REMAP HPT_A, PTEG_Y, N_Y
	REMAP HPT_B, PTEG_X, N_B
	GUEST g3
g3:	SEES EA_X, A_X, 4
	SEES EA_Y, A_Y, 5
	LEAVE
	/* 4. */
	TLBIE_PAGE EA_X, 1
	GUEST g4
g4:	SEES EA_X, N_X, 6
	SEES EA_Y, A_Y, 7
	LEAVE
	/* 5. */
	TLBIE_PAGE EA_Y, 1
	GUEST g5
g5:	SEES EA_Y, N_Y, 8
	SEES EA_X, N_X, 9
	LEAVE
	/* 6. */
	SWITCH 2, HPT_B
	GUEST g6
g6:	SEES EA_X, B_X, 10
	LEAVE
	TLBIE_PAGE EA_X, 2
	GUEST g7
g7:	SEES EA_X, N_B, 11
	LEAVE
	PASS
