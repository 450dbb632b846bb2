/* Program and Hypervisor Emulation Assistance interrupts, SPR privilege
   checks from supervisor state.  Runs on every model: the 970 (PVR 0x0039)
   takes Program interrupts where POWER7+ take HEA. */
#include "common.inc"
	VECTORS
	SETUP_VRMA                       /* POWER9: supervisor real mode via the VRMA */
	mfmsr 25
	mfpvr 26
	srdi 26, 26, 16
	cmpdi 26, 0x39
	li 26, 0
	bne 1f
	li 26, 1                         /* r26 = 1 on the 970 */
1:
	/* trap: 0x700, SRR0 = the trap, SRR1[46]. */
	ON_INT 2f
trap_at:
	trap
	EXIT 1
2:	cmpdi 29, 0x700
	IFNE_FAIL 2
	EXPECT 20, trap_at, 3
	EXPECT_BITS 21, 0x000000000003f000, 0x0000000000021000, 4  /* [46] + ME */

	/* An illegal instruction: HEA with HSRR0 and HEIR on POWER7+, Program[44] on the 970. */
	ON_INT 3f
ill_at:
	.long 0
	EXIT 5
3:	cmpdi 26, 1
	beq 4f
	cmpdi 29, 0xE40
	IFNE_FAIL 6
	EXPECT 22, ill_at, 7
	mfspr 5, SPR_HEIR
	cmpdi 5, 0
	IFNE_FAIL 8
	EXPECT_BITS 24, 0x1000000000000000, 0x1000000000000000, 9
	b 5f
4:	cmpdi 29, 0x700
	IFNE_FAIL 10
	EXPECT 20, ill_at, 11
	EXPECT_BITS 21, 0x00000000000f0000, 0x0000000000080000, 12
5:
	/* Supervisor state: privileged SPRs work, hypervisor ones do not. */
	TO_SUPERVISOR sup
sup:	LOAD64 5, 0x1234
	mtsprg 0, 5
	mfsprg 6, 0
	cmpd 5, 6
	IFNE_FAIL 13
	mtsrr0 5
	mfsrr0 6
	cmpd 5, 6
	IFNE_FAIL 14
	/* Undefined SPR 752 (spr0 = 1): no-op in privileged state, RT kept. */
	li 7, 77
	mfspr 7, 752
	cmpdi 7, 77
	IFNE_FAIL 15
	mtspr 752, 7
	/* Undefined SPR 736 (spr0 = 0, not 0/4/5/6): no-op as well. */
	mfspr 7, 736
	cmpdi 7, 77
	IFNE_FAIL 16
	/* Hypervisor SPR from supervisor: HEA (970: Program, privileged). */
	ON_INT 6f
hsprg_at:
	mfspr 7, SPR_HSPRG0
	EXIT 17
6:	bl check_hv_priv
	EXPECT_BITS 22, 0xffffffffffffffff, hsprg_at, 18
	/* hrfid from supervisor: same. */
	TO_SUPERVISOR sup2
sup2:	ON_INT 7f
hrfid_at:
	hrfid
	EXIT 19
7:	bl check_hv_priv
	/* mfspr 0 in supervisor state: HEA / illegal. */
	TO_SUPERVISOR sup3
sup3:	ON_INT 8f
	mfspr 7, 0
	EXIT 20
8:	cmpdi 26, 1
	beq 9f
	cmpdi 29, 0xE40
	IFNE_FAIL 21
9:	PASS

/* After a hypervisor-privileged operation in supervisor state we are in
   hypervisor state: HEA (0xE40) on POWER7+, Program with SRR1[45] on the 970. */
check_hv_priv:
	cmpdi 26, 1
	beq 1f
	cmpdi 29, 0xE40
	IFNE_FAIL 30
	EXPECT_BITS 23, 0x1000000000000000, 0, 31    /* came from HV = 0 */
	blr
1:	cmpdi 29, 0x700
	IFNE_FAIL 32
	EXPECT_BITS 21, 0x00000000000f0000, 0x0000000000040000, 33
	/* The 970's Program interrupt left us in supervisor state: sc 1 back. */
	mr 19, 20
	mflr 28
	ON_INT 2f
	sc 1
2:	mtlr 28
	mr 22, 19
	blr
