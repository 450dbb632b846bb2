/* Trace interrupts (Book III-S v2.07B 6.5.15): with MSR[SE] every
   instruction that completes is followed by a Trace interrupt at 0xD00 with
   SRR0 = the next instruction, except mtmsr(d)/rfid/hrfid/sc; with MSR[BE]
   only branches are.  The handler runs with SE and BE off. */
#include "common.inc"
	VECTORS
	mfmsr 25
	li 5, 0
	/* Single-step: the mtmsrd setting SE is not traced; the addi is. */
	ON_INT 1f
	ori 12, 25, 0x400                /* MSR[SE] = bit 53 */
	mtmsrd 12, 0
	addi 5, 5, 1
se_next:
	EXIT 2
1:	cmpdi 29, 0xD00
	IFNE_FAIL 3
	EXPECT 20, se_next, 4
	EXPECT_BITS 21, 0x400, 0x400, 5  /* SRR1 holds the traced MSR */
	EXPECT_BITS 24, 0x600, 0, 6      /* handler: SE = BE = 0 */
	cmpdi 5, 1
	IFNE_FAIL 7
	/* Branch trace: two addi run untraced, the branch is traced. */
	ON_INT 2f
	ori 12, 25, 0x200                /* MSR[BE] = bit 54 */
	mtmsrd 12, 0
	addi 5, 5, 1
	addi 5, 5, 1
	b br_target
	EXIT 8
br_target:
	EXIT 9
2:	cmpdi 29, 0xD00
	IFNE_FAIL 10
	EXPECT 20, br_target, 11
	cmpdi 5, 3
	IFNE_FAIL 12
	/* sc under SE: the System Call interrupt, no Trace. */
	ON_INT 3f
	ori 12, 25, 0x400
	mtmsrd 12, 0
	sc
sc_next:
	EXIT 13
3:	cmpdi 29, 0xC00
	IFNE_FAIL 14
	EXPECT 20, sc_next, 15
	PASS
