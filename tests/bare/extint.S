/* External interrupts (Book III-S v2.07B 6.5.7, v3.0B 6.5.7/6.5.20).  The
   debug device's offset 8 drives the external-interrupt line (a 4-byte
   store: non-zero asserts it).
   1. LPCR[LPES0]=1: the line interrupts the OS (0x500, SRR0/1) once MSR[EE]=1.
   2. LPCR[LPES0]=0: to the hypervisor (0x500, HSRR0/1, MSR[HV]=1): held off
      in hypervisor state with EE=0, taken as soon as the thread is in a
      partition (MSR[HV]=0) even with EE=0.
   3. POWER9, LPCR[HVICE]=1: Hypervisor Virtualization interrupt (0xEA0).
   4. LPCR[MER]=1: no effect in hypervisor state; in a partition with EE=1 a
      Mediated External interrupt to the OS (0x500, SRR0/1, HV stays 0).
   POWER7, POWER8, POWER9. */
#include "common.inc"
#define LPCR_LPES0 0x8           /* bit 60 */
#define LPCR_HVICE 0x2           /* bit 62 */
#define LPCR_MER 0x800           /* bit 52 */
.macro EXT_LINE v
	li 3, \v
	stw 3, 8(31)
.endm
.macro LPCR_SET bits
	mfspr 12, SPR_LPCR
	ori 12, 12, \bits
	mtspr SPR_LPCR, 12
.endm
.macro LPCR_CLEAR bits
	mfspr 12, SPR_LPCR
	li 11, \bits
	andc 12, 12, 11
	mtspr SPR_LPCR, 12
.endm
	VECTORS
	SETUP_VRMA
	mfmsr 25
	LPCR_CLEAR LPCR_HVICE

	/* 1. To the OS. */
	LPCR_SET LPCR_LPES0
	EXT_LINE 1
	li 5, 0
	addi 5, 5, 1                     /* EE = 0: nothing */
	ON_INT 1f
	LOAD64 12, 0x8000                /* EE */
	mtmsrd 12, 1
ext1:	b ext1
1:	cmpdi 29, 0x500
	IFNE_FAIL 2
	EXPECT 20, ext1, 3
	EXPECT_BITS 21, 0x8000, 0x8000, 4          /* SRR1[EE] = 1 */
	EXPECT_BITS 24, 0x1000000000008000, 0x1000000000000000, 5  /* HV kept, EE off */
	EXT_LINE 0

	/* 2. To the hypervisor. */
	LPCR_CLEAR LPCR_LPES0
	EXT_LINE 1
	addi 5, 5, 1                     /* HV, EE = 0: held off */
	ON_INT 2f
	TO_SUPERVISOR ext2
ext2:	b ext2
2:	cmpdi 29, 0x500
	IFNE_FAIL 6
	EXPECT 22, ext2, 7                         /* HSRR0 */
	EXPECT_BITS 23, 0x1000000000008000, 0, 8   /* HSRR1: HV = 0, EE = 0 */
	EXPECT_BITS 24, 0x1000000000000000, 0x1000000000000000, 9
	EXT_LINE 0

	/* 3. POWER9: Hypervisor Virtualization. */
	IS_P9
	bne 4f
	LPCR_SET LPCR_HVICE
	EXT_LINE 1
	ON_INT 3f
	TO_SUPERVISOR ext3
ext3:	b ext3
3:	cmpdi 29, 0xEA0
	IFNE_FAIL 10
	EXPECT 22, ext3, 11
	EXT_LINE 0
	LPCR_CLEAR LPCR_HVICE
4:
	/* 4. Mediated external. */
	LPCR_SET LPCR_MER
	addi 5, 5, 1                     /* hypervisor state: nothing */
	cmpdi 5, 3
	IFNE_FAIL 12
	ON_INT 5f
	TO_SUPERVISOR med
med:	LOAD64 12, 0x8000
	mtmsrd 12, 1                     /* EE = 1 in the partition */
med_spin:
	b med_spin
5:	cmpdi 29, 0x500
	IFNE_FAIL 13
	EXPECT 20, med_spin, 14                    /* SRR0 */
	EXPECT_BITS 21, 0x1000000000008000, 0x8000, 15
	EXPECT_BITS 24, 0x1000000000000000, 0, 16  /* still in the partition */
	/* Back to the hypervisor to clear MER (LPCR is hypervisor-only). */
	ON_INT 6f
	sc 1
6:	LPCR_CLEAR LPCR_MER
	PASS
