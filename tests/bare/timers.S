/* DEC and HDEC delivery, Time Base writes.  The Time Base follows retired
   instructions (one tick each), so every count here is deterministic. */
#include "common.inc"
	VECTORS
	mfmsr 25
	/* DEC with MSR[EE] = 0: no interrupt while spinning. */
	li 5, 50
	mtdec 5
	li 5, 2000
	mtctr 5
1:	bdnz 1b
	cmpdi 29, 0
	IFNE_FAIL 1
	mfdec 5
	cmpdi 5, 0                       /* DEC went negative (32-bit: bit 32 set) */
	IFEQ_FAIL 2
	/* Setting EE takes it before the next instruction. */
	ON_INT 2f
	li 5, 0
	ori 5, 5, 0x8000                 /* EE */
	mtmsrd 5, 1
after_ee:
	li 5, 1000
	mtctr 5
dec_loop:
	bdnz dec_loop
	EXIT 3
2:	cmpdi 29, 0x900
	IFNE_FAIL 4
	EXPECT 20, after_ee, 18          /* taken right after the mtmsrd */
	EXPECT_BITS 21, 0x0000000000008000, 0x0000000000008000, 5   /* SRR1[EE] */
	EXPECT_BITS 24, 0x0000000000008000, 0, 6                    /* handler EE = 0 */
	lis 5, 0x7fff
	mtdec 5                          /* positive again: the exception is gone */

	/* DEC counts: it fires after about its value in instructions. */
	li 5, 300
	mtdec 5
	ON_INT 3f
	li 5, 0
	ori 5, 5, 0x8000
	mtmsrd 5, 1
	li 6, 0
dec2:	addi 6, 6, 1
	b dec2
3:	cmpdi 29, 0x900
	IFNE_FAIL 7
	cmpdi 6, 100                     /* ~150 iterations of 2 instructions */
	blt 4f
	cmpdi 6, 200
	bgt 4f
	b 5f
4:	EXIT 8
5:	lis 5, 0x7fff
	mtdec 5

	/* HDEC: LPCR[HDICE] = 1; masked in hypervisor state with EE = 0 ... */
	mfspr 5, SPR_LPCR
	ori 5, 5, 1
	mtspr SPR_LPCR, 5
	li 5, 50
	mtspr SPR_HDEC, 5
	li 5, 2000
	mtctr 5
6:	bdnz 6b
	cmpdi 29, 0x900
	IFNE_FAIL 9
	/* ... and taken in supervisor state, into the hypervisor via HSRR0/1. */
	ON_INT 7f
	TO_SUPERVISOR hdec_loop
hdec_loop:
	b hdec_loop
7:	cmpdi 29, 0x980
	IFNE_FAIL 10
	EXPECT 22, hdec_loop, 11
	EXPECT_BITS 23, 0x1000000000000000, 0, 12
	EXPECT_BITS 24, 0x1000000000000000, 0x1000000000000000, 13
	lis 5, 0x7fff
	mtspr SPR_HDEC, 5

	/* mttbu/mttbl (mtspr 285/284) set the Time Base. */
	li 5, 0
	mtspr 284, 5
	li 5, 7
	mtspr 285, 5
	mftb 6
	srdi 7, 6, 32
	cmpdi 7, 7
	IFNE_FAIL 14
	clrldi 7, 6, 32
	cmpldi 7, 1000
	IFEQ_FAIL 15
	bge 8f
	mftb 7
	cmpld 7, 6
	IFEQ_FAIL 16
	ble 8f
	PASS
8:	EXIT 17
