/* A partition's real mode (MSR[HV] = 0, IR = DR = 0), Book III-S 5.7.3.
   Run with 256M of RAM.  The "guest" is this program itself, copied to real
   64M (GUEST) the way a hypervisor loads a partition, so that code and
   vectors are found at the same EAs in supervisor real mode.

   RMO (5.7.3.2; PPC970 user manual, HID4): RA = EA[4:63] | RMOR below the
   RMLS limit, a storage interrupt to the OS above it.
     970:      HID4[RMOR] = 1 (64M units), HID4[RMLS] = 0b011 (64M)
     POWER7/8: RMOR = 64M, LPCR[RMLS] = 3 (64M), LPCR[VPM0] = 0
   checks: the hypervisor writes real GUEST+DATA, supervisor real mode reads
   it at EA DATA (and at EA 0x8000_0000_0000_0000 | DATA: EA[0:3] ignored),
   a store lands at GUEST+DATA+8; a load/store at EA 64M takes DSI with
   DSISR[36] (and [38] for the store), DAR = EA; a fetch at 64M + 0x100 takes
   ISI with SRR1[36].

   VRMA (5.7.3.3; POWER7/8 with LPCR[VPM0] = 1, always on POWER9): HPT at
   1M, LPCR[VRMASD] = 0b10000 (16M pages), VRMA page 0 (EA 0..16M) -> real
   GUEST, page 1 (EA 16M..32M) -> real 128M, no HPTE for EA 32M..64M.
   checks: a supervisor load at EA 16M+0x200 reads real 128M+0x200 and sets
   R (not C) in page 1's HPTE, a store sets C and lands at 128M+0x208; a
   load/store at EA 32M takes HDSI (HSRR0, HDAR, HDSISR[33] (+[38])), a
   fetch at EA 48M takes HISI (HSRR0 = EA, HSRR1[33]).

   HRMOR in hypervisor real mode is storage.S's. */
#include "common.inc"
#define GUEST 0x4000000
#define DATA 0x10000
#define IMAGE 0x8000
#define HTAB 0x100000
#define PATB 0x80000
#define PAGE1_RA 0x8000000
	VECTORS
	mfpvr 26
	srdi 26, 26, 16                  /* 0x39 970, 0x3F P7, 0x4D P8, 0x4E P9 */
	/* Load the guest: copy the program to real GUEST. */
	LOAD64 5, GUEST
	li 6, 0
	li 7, IMAGE / 8
	mtctr 7
1:	ld 7, 0(6)
	std 7, 0(5)
	addi 6, 6, 8
	addi 5, 5, 8
	bdnz 1b
	cmpdi 26, 0x4E
	beq vrma                         /* ISA 3.0: no RMO */
	cmpdi 26, 0x39
	bne 2f
	/* 970: HID4 RMOR = 1 (bits 7:22), RMLS[1:2] = 0b11 (bits 1:2), RMLS[0] = 0. */
	mfspr 5, SPR_HID4
	LOAD64 6, 0x61FFFE0000000020     /* RMLS, RMOR fields */
	andc 5, 5, 6
	LOAD64 6, 0x6000020000000000
	or 5, 5, 6
	sync
	mtspr SPR_HID4, 5
	isync
	b rmo
2:	/* POWER7/8: RMOR = 64M, LPCR[RMLS] (34:37) = 3, VPM0 = 0. */
	LOAD64 5, GUEST
	mtspr SPR_RMOR, 5
	mfspr 5, SPR_LPCR
	LOAD64 6, 0x800000003C000000     /* VPM0, RMLS */
	andc 5, 5, 6
	LOAD64 6, 0x000000000C000000
	or 5, 5, 6
	mtspr SPR_LPCR, 5
rmo:	LOAD64 6, 0x1111222233334444
	LOAD64 5, GUEST + DATA
	std 6, 0(5)                      /* hypervisor real mode: RA = EA */
	li 7, 0
	std 7, 8(5)
	TO_SUPERVISOR rmo_sup
rmo_sup:
	LOAD64 5, DATA
	ld 7, 0(5)
	EXPECT 7, 0x1111222233334444, 1
	LOAD64 5, 0x8000000000000000 | DATA
	ld 7, 0(5)
	EXPECT 7, 0x1111222233334444, 2
	LOAD64 6, 0x5555666677778888
	LOAD64 5, DATA
	std 6, 8(5)
	/* At the limit: DSI, DSISR[36], DAR = EA. */
	ON_INT 3f
	LOAD64 5, GUEST
rmo_ld:	ld 7, 0(5)
	EXIT 3
3:	cmpdi 29, 0x300
	IFNE_FAIL 4
	EXPECT 20, rmo_ld, 5
	EXPECT_BITS 21, 0x1000000000000000, 0, 6    /* taken in the partition */
	EXPECT_BITS 24, 0x1000000000000000, 0, 7
	mfdar 7
	EXPECT 7, GUEST, 8
	mfdsisr 7
	EXPECT 7, 0x08000000, 9
	ON_INT 4f
	LOAD64 5, GUEST + 0x1000
rmo_st:	std 7, 8(5)
	EXIT 10
4:	cmpdi 29, 0x300
	IFNE_FAIL 11
	EXPECT 20, rmo_st, 12
	mfdar 7
	EXPECT 7, GUEST + 0x1008, 13
	mfdsisr 7
	EXPECT 7, 0x0A000000, 14
	/* Fetch above the limit: ISI, SRR0 = EA, SRR1[36]. */
	ON_INT 5f
	LOAD64 5, GUEST + 0x100
	mtctr 5
	bctr
5:	cmpdi 29, 0x400
	IFNE_FAIL 15
	EXPECT 20, GUEST + 0x100, 16
	EXPECT_BITS 21, 0x000000007C000000, 0x0000000008000000, 17
	ON_INT 6f
	sc 1
6:	/* Back in hypervisor state: the store landed at GUEST + DATA + 8. */
	LOAD64 5, GUEST + DATA
	ld 7, 8(5)
	EXPECT 7, 0x5555666677778888, 18
	LOAD64 5, DATA
	ld 7, 8(5)                       /* real DATA untouched */
	EXPECT 7, 0, 19
	cmpdi 26, 0x39
	beq done                         /* the 970 has no VRMA */

vrma:	/* HPT, VRMA pages 0 and 1, LPCR[VRMASD] = 16M, VPM0 (not in ISA 3.0). */
	SET_HTAB HTAB, PATB, 0
	VRMA_HPTE HTAB, 0, GUEST
	VRMA_HPTE HTAB, 1, PAGE1_RA
	SET_VRMASD 0x10
	cmpdi 26, 0x4E
	beq 1f
	mfspr 5, SPR_LPCR
	LOAD64 6, 0x8000000000000000
	or 5, 5, 6
	mtspr SPR_LPCR, 5
1:	LOAD64 6, 0x0123456789ABCDEF
	LOAD64 5, PAGE1_RA + 0x200
	std 6, 0(5)
	TO_SUPERVISOR vrma_sup
vrma_sup:
	LOAD64 5, 0x1000200
	ld 7, 0(5)
	EXPECT 7, 0x0123456789ABCDEF, 30
	ON_INT 2f
	sc 1
2:	/* R set, C not, in page 1's HPTE. */
	LOAD64 8, HTAB + ((0x7FF ^ 1) << 7) + 8
	LDBE 7, 0, 8
	EXPECT_BITS 7, 0x180, 0x100, 31
	TO_SUPERVISOR vrma_sup2
vrma_sup2:
	LOAD64 5, 0x1000200
	LOAD64 6, 0x7777888899990000
	std 6, 8(5)
	ON_INT 3f
	sc 1
3:	LOAD64 8, HTAB + ((0x7FF ^ 1) << 7) + 8
	LDBE 7, 0, 8
	EXPECT_BITS 7, 0x180, 0x180, 32
	LOAD64 5, PAGE1_RA + 0x200
	ld 7, 8(5)
	EXPECT 7, 0x7777888899990000, 33
	/* No VRMA HPTE at EA 32M: HDSI to the hypervisor. */
	TO_SUPERVISOR vrma_sup3
vrma_sup3:
	ON_INT 4f
	LOAD64 5, 0x2000000
vrma_ld:
	ld 7, 0x40(5)
	EXIT 34
4:	cmpdi 29, 0xE00
	IFNE_FAIL 35
	EXPECT 22, vrma_ld, 36
	EXPECT_BITS 23, 0x1000000000000000, 0, 37   /* from HV = 0 */
	mfspr 7, SPR_HDAR
	EXPECT 7, 0x2000040, 38
	mfspr 7, SPR_HDSISR
	EXPECT 7, 0x40000000, 39
	TO_SUPERVISOR vrma_sup4
vrma_sup4:
	ON_INT 5f
	LOAD64 5, 0x2000000
vrma_st:
	std 7, 0x48(5)
	EXIT 40
5:	cmpdi 29, 0xE00
	IFNE_FAIL 41
	EXPECT 22, vrma_st, 42
	mfspr 7, SPR_HDAR
	EXPECT 7, 0x2000048, 43
	mfspr 7, SPR_HDSISR
	EXPECT 7, 0x42000000, 44
	/* Fetch at EA 48M: HISI, HSRR0 = EA, HSRR1[33]. */
	TO_SUPERVISOR vrma_sup5
vrma_sup5:
	ON_INT 6f
	LOAD64 5, 0x3000000
	mtctr 5
	bctr
6:	cmpdi 29, 0xE20
	IFNE_FAIL 45
	EXPECT 22, 0x3000000, 46
	EXPECT_BITS 23, 0x100000007C000000, 0x0000000040000000, 47
done:	PASS
