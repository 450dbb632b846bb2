/* SIAR and the Trace interrupt (v3.0B Book III 6.5.15, 9.4.8; POWER8 and
   POWER9): the interrupt leaves the traced instruction's address in SIAR
   (SPR 796), for single-step (MSR[SE]) and branch trace (MSR[BE]) alike. */
#include "common.inc"
#define SPR_SIAR 796
	VECTORS
	mfmsr 25
	li 3, 0
	mtspr SPR_SIAR, 3
	mfspr 4, SPR_SIAR                /* supervisor state reads back what it wrote */
	cmpdi 4, 0
	IFNE_FAIL 2
	/* Single-step: the addi is the traced instruction. */
	ON_INT 1f
	ori 12, 25, 0x400                /* MSR[SE] */
	mtmsrd 12, 0
se_insn:
	addi 5, 5, 1
	EXIT 3
1:	cmpdi 29, 0xD00
	IFNE_FAIL 4
	mfspr 22, SPR_SIAR
	EXPECT 22, se_insn, 5
	/* Branch trace: the branch is. */
	ON_INT 2f
	ori 12, 25, 0x200                /* MSR[BE] */
	mtmsrd 12, 0
	addi 5, 5, 1
br_insn:
	b br_target
	EXIT 6
br_target:
	EXIT 7
2:	cmpdi 29, 0xD00
	IFNE_FAIL 8
	mfspr 22, SPR_SIAR
	EXPECT 22, br_insn, 9
	PASS
