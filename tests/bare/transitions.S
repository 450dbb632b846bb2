/* sc 0 / sc 1, hrfid to supervisor, rfid to problem state, mtmsrd L=0/1. */
#include "common.inc"
	VECTORS
	SETUP_VRMA                       /* POWER9: supervisor real mode via the VRMA */
	mfmsr 25                         /* reset MSR: SF|HV|ME (|LE) */
	EXPECT_BITS 25, 0x9000000000001000, 0x9000000000001000, 1

	/* sc 0 in hypervisor state: 0xC00, SRR0 = next, SRR1 = old MSR, HV kept. */
	ON_INT 1f
	sc
sc0_next:
	EXIT 2
1:	cmpdi 29, 0xC00
	IFNE_FAIL 3
	EXPECT 20, sc0_next, 4
	cmpd 21, 25
	IFNE_FAIL 5
	cmpd 24, 25                      /* handler MSR = SF|HV|ME|LE as before */
	IFNE_FAIL 6

	/* hrfid to supervisor, then sc 1 back: SRR1[HV] = 0, new MSR[HV] = 1. */
	TO_SUPERVISOR sup
sup:	mfmsr 5
	EXPECT_BITS 5, 0x1000000000004000, 0, 7     /* HV = PR = 0 */
	ON_INT 2f
	sc 1
sc1_next:
	EXIT 8
2:	cmpdi 29, 0xC00
	IFNE_FAIL 9
	EXPECT 20, sc1_next, 10
	EXPECT_BITS 21, 0x1000000000004000, 0, 11
	EXPECT_BITS 24, 0x1000000000000000, 0x1000000000000000, 12

	/* sc 0 from supervisor stays in supervisor state. */
	TO_SUPERVISOR sup2
sup2:	ON_INT 3f
	sc
3:	EXPECT_BITS 24, 0x1000000000000000, 0, 13
	ON_INT 4f
	sc 1
4:	/* back in hypervisor state */

	/* rfid to problem state: PR forces EE, IR, DR on; with an empty SLB the
	   fetch takes an Instruction Segment interrupt in supervisor state
	   (Book III-S 6.5.6: SRR1[33:36] = 0). */
	LOAD64 12, 0x1000000000000000    /* HV */
	andc 12, 25, 12
	ori 12, 12, 0x4000               /* PR */
	mtsrr1 12
	LOAD64 12, prob
	mtsrr0 12
	ON_INT 5f
	rfid
prob:	EXIT 14
5:	cmpdi 29, 0x480
	IFNE_FAIL 15
	EXPECT 20, prob, 16
	EXPECT_BITS 21, 0x100000004000c030, 0x000000000000c030, 17  /* HV=0, [33]=0, EE PR IR DR */
	EXPECT_BITS 24, 0x1000000000004000, 0, 18
	ON_INT 6f
	sc 1
6:
	/* mtmsrd L=1 moves EE and RI only; L=0 keeps HV, ME, LE. */
	LOAD64 12, 0x0000000000000002    /* RI */
	mtmsrd 12, 1
	mfmsr 5
	ori 6, 25, 2
	cmpd 5, 6
	IFNE_FAIL 19
	li 12, 0
	mtmsrd 12, 0                     /* clears SF; HV, ME, LE stay */
	mfmsr 5
	LOAD64 6, 0x1000000000001001
	and 6, 25, 6
	cmpd 5, 6
	IFNE_FAIL 20
	LOAD64 12, 0x8000000000000000
	mtmsrd 12, 0
	mfmsr 5
	cmpd 5, 25
	IFNE_FAIL 21
	PASS
