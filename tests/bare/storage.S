/* Real-mode storage: HRMOR relocation in hypervisor state (EA[0] = 0 is
   offset by HRMOR, EA[0] = 1 is not) and Machine Check for an address with
   no storage behind it.  Run with 64M of RAM. */
#include "common.inc"
#define SPR_HRMOR 313
	VECTORS
	/* Nothing at 256M: Machine Check, SRR0 = the load, DAR = the address. */
	ON_INT 1f
	lis 5, 0x1000
mc_at:
	ld 6, 0(5)
	EXIT 1
1:	cmpdi 29, 0x200
	IFNE_FAIL 2
	EXPECT 20, mc_at, 3
	mfdar 7
	cmpd 7, 5
	IFNE_FAIL 4
	EXPECT_BITS 24, 0x1000000000001000, 0x1000000000000000, 5   /* HV, ME cleared */
	/* Continue at EA[0] = 1 so instruction fetch ignores HRMOR. */
	LOAD64 5, 0x8000000000000000
	LOAD64 6, high
	or 6, 6, 5
	mtctr 6
	bctr
high:	mfpvr 5
	srdi 5, 5, 16
	cmpdi 5, 0x39                    /* the 970 has no HRMOR */
	beq done
	lis 5, 0x10                      /* HRMOR = 1M */
	mtspr SPR_HRMOR, 5
	LOAD64 6, 0x5555aaaa12345678
	li 7, 0x3000
	std 6, 0(7)                      /* EA 0x3000 -> RA 0x103000 */
	LOAD64 8, 0x8000000000103000
	ld 9, 0(8)
	cmpd 9, 6
	IFNE_FAIL 6
	LOAD64 8, 0x8000000000003000
	ld 9, 0(8)                       /* RA 0x3000: untouched */
	cmpdi 9, 0
	IFNE_FAIL 7
	li 5, 0
	mtspr SPR_HRMOR, 5
	ld 9, 0(7)
	cmpdi 9, 0
	IFNE_FAIL 8
done:	PASS
