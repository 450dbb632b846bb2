/* Hash MMU through the bare machine (Book III-S 5.7.7-5.7.12): an HPT at
   1M (SDR1, or on ISA 3.0 partition-table entry 0 via PTCR), one 256M segment
   (VSID 0x123) for EA 0x1000_0000 and one 4K HPTE mapping its first page to RA
   2M.  With MSR[DR]=1 a store/load goes through it and sets R and C; an EA
   without an HPTE takes a DSI (DSISR[33], DAR = EA); after tlbie of the
   removed HPTE the page faults again.  HPTEs and partition-table entries are
   big-endian in storage.  Run with 64M of RAM. */
#include "common.inc"
#define HTAB 0x100000
#define PTEG 0x109180           /* HTAB + (VSID 0x123 ^ page 0) * 128 */
#define PATB 0x80000
	VECTORS
	li 0, 0
	SET_HTAB HTAB, PATB, 0
	SLB_SEG1
	li 8, 0
	slbmfee 9, 8
	EXPECT 9, 0x18000000, 2
	slbmfev 9, 8
	EXPECT 9, 0x123000, 3
	lis 8, 0x1000
	slbfee. 9, 8
	IFNE_FAIL 4
	EXPECT 9, 0x123000, 5
	/* HPTE: dw0 AVPN = VSID || API 0, V; dw1 RPN = 2M, PP = 00. */
	LOAD64 7, PTEG
	LOAD64 8, 0x123001
	LOAD64 6, 0x200000
	HPTE_STORE 7, 8, 6
	/* Through the MMU. */
	DR_ON
	LOAD64 6, 0x1122334455667788
	lis 5, 0x1000
	std 6, 8(5)
	ld 7, 8(5)
	DR_OFF
	cmpd 7, 6
	IFNE_FAIL 6
	LOAD64 8, 0x200008
	ld 7, 0(8)
	cmpd 7, 6
	IFNE_FAIL 7
	LOAD64 8, PTEG + 8
	LDBE 7, 0, 8
	EXPECT_BITS 7, 0x180, 0x180, 8     /* R (bit 55) and C (bit 56) */
	/* No HPTE for EA 0x1000_1000: DSI, DSISR[33], DAR = EA. */
	ON_INT 3f
	LOAD64 5, 0x10001000
	DR_ON
dsi_at:
	ld 7, 0(5)
	EXIT 9
3:	cmpdi 29, 0x300
	IFNE_FAIL 10
	EXPECT 20, dsi_at, 11
	mfdar 7
	cmpd 7, 5
	IFNE_FAIL 12
	mfdsisr 7
	EXPECT 7, 0x40000000, 13
	/* Remove the HPTE, tlbie its page (RB = VA[14:65], B = 0, L = 0): faults. */
	LOAD64 7, PTEG
	li 6, 0
	STBE 6, 0, 7
	ptesync
	LOAD64 5, 0x1230000000
	li 0, 0                            /* the handler clobbered r0 */
	.long 0x7C002A64                   /* tlbie 5 (RS = r0 = LPID 0) */
	eieio
	tlbsync
	ptesync
	ON_INT 4f
	lis 5, 0x1000
	DR_ON
dsi2_at:
	ld 7, 8(5)
	EXIT 14
4:	cmpdi 29, 0x300
	IFNE_FAIL 15
	EXPECT 20, dsi2_at, 16
	mfdsisr 7
	EXPECT 7, 0x40000000, 17
	PASS
