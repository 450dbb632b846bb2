/* Virtual page class key protection (Book III-S 5.7.13.2, v2.07B / v3.0B):
   the HPTE's 5-bit key (Key[0:1] in dw1 bits 2:3, Key[2:4] in bits 52:54)
   selects AMR bits 2k (stores) and 2k+1 (loads) and, from POWER8, IAMR bit
   2k+1 (instruction fetch).  A denied data access is a DSI with DSISR[42]
   (and [38] for stores), a denied fetch an ISI with SRR1[42].  Checked from
   supervisor state (the OS's tool; AMOR = all ones lets it write AMR/IAMR).
   The HPT is SETUP_VRMA's at 48M (SDR1 on POWER7/8).  Run with 64M of RAM.
     EA 0x1000_0000 -> RA 2M, key 9 (0b01001: both key fields)
     EA 0x1000_1000 -> kcode (a page of this program: sc), key 3 */
#include "common.inc"
#define SPR_AMOR 349
#define PTEG_D (VRMA_HTAB + (0x123 << 7))
#define PTEG_C (VRMA_HTAB + ((0x123 ^ 1) << 7))
#define EA_D 0x10000000
#define EA_C 0x10001000
#define AMR_WD_9 (2 << (62 - 18))        /* key 9: store disable */
#define AMR_RD_9 (1 << (62 - 18))        /* key 9: load disable */
#define AMR_ALL_5 (3 << (62 - 10))       /* key 5: both */
#define IAMR_XD_3 (1 << (62 - 6))        /* key 3: fetch disable */

/* A data access at EA_D with DR = 1 takes DSI with DSISR = dsisr. */
.macro DENIED insn, dsisr, n
	ON_INT 95f
	LOAD64 5, EA_D
	DR_ON
	\insn 6, 8(5)
	EXIT \n
95:	cmpdi 29, 0x300
	IFNE_FAIL \n + 1
	mfdar 7
	EXPECT 7, EA_D + 8, \n + 2
	mfdsisr 7
	EXPECT 7, \dsisr, \n + 3
.endm
.macro SET_AMR val
	LOAD64 5, \val
	mtspr SPR_AMR, 5
	isync
.endm

	VECTORS
	SETUP_VRMA
	SET_HTAB VRMA_HTAB, VRMA_PATB, 0
	LOAD64 5, -1
	mtspr SPR_AMOR, 5
	LOAD64 6, 0x123000
	LOAD64 7, EA_D | 0x08000000
	slbmte 6, 7
	LOAD64 9, PTEG_D
	LOAD64 10, 0x123001
	LOAD64 11, 0x200000 | (1 << 60) | (1 << 9)   /* key 9 */
	HPTE_STORE 9, 10, 11
	LOAD64 9, PTEG_C
	LOAD64 10, 0x123001
	LOAD64 11, kcode + (3 << 9)                  /* key 3 */
	HPTE_STORE 9, 10, 11
	TO_SUPERVISOR sup
sup:	/* AMR = 0: everything allowed. */
	SET_AMR 0
	LOAD64 5, EA_D
	LOAD64 6, 0x0102030405060708
	DR_ON
	std 6, 8(5)
	ld 7, 8(5)
	DR_OFF
	cmpd 7, 6
	IFNE_FAIL 1
	/* Key 9 store-disabled: loads work, stores take DSI [42] [38]. */
	SET_AMR AMR_WD_9
	LOAD64 5, EA_D
	DR_ON
	ld 7, 8(5)
	DR_OFF
	cmpd 7, 6
	IFNE_FAIL 2
	DENIED std, 0x02200000, 3
	/* Key 9 load-disabled: loads take DSI [42], stores work. */
	SET_AMR AMR_RD_9
	DENIED ld, 0x00200000, 7
	LOAD64 5, EA_D
	LOAD64 6, 0x1112131415161718
	DR_ON
	std 6, 8(5)
	DR_OFF
	LOAD64 5, 0x200008
	ld 7, 0(5)
	cmpd 7, 6
	IFNE_FAIL 11
	/* Another key's bits do not matter. */
	SET_AMR AMR_ALL_5
	LOAD64 5, EA_D
	DR_ON
	ld 7, 8(5)
	std 7, 16(5)
	DR_OFF
	SET_AMR 0

	/* Instruction fetch keys: POWER8 and later (IAMR). */
	mfpvr 5
	srdi 5, 5, 16
	cmpdi 5, 0x3F
	beq done
	/* Fetch allowed: rfid to EA_C with IR = 1 runs kcode's sc. */
	ON_INT 1f
	bl to_kcode
1:	cmpdi 29, 0xC00
	IFNE_FAIL 20
	EXPECT 20, EA_C + 4, 21
	/* IAMR denies key 3: ISI, SRR0 = EA_C, SRR1[42]. */
	LOAD64 5, IAMR_XD_3
	mtspr SPR_IAMR, 5
	isync
	ON_INT 2f
	bl to_kcode
2:	cmpdi 29, 0x400
	IFNE_FAIL 22
	EXPECT 20, EA_C, 23
	EXPECT_BITS 21, 0x000000007C200000, 0x0000000000200000, 24
	/* A different key denied in IAMR: allowed again. */
	LOAD64 5, IAMR_XD_3 >> 2
	mtspr SPR_IAMR, 5
	isync
	ON_INT 3f
	bl to_kcode
3:	cmpdi 29, 0xC00
	IFNE_FAIL 25
done:	PASS

/* rfid to EA_C with MSR[IR] = 1 (supervisor). */
to_kcode:
	mfmsr 5
	ori 5, 5, 0x20
	mtsrr1 5
	LOAD64 5, EA_C
	mtsrr0 5
	rfid

	.balign 4096
kcode:	sc
	EXIT 90
