/* H_ENTER maps EA 0x1000_0000 (segment VSID 0x123, 256M) to guest physical
   2M; with MSR[DR]=1 a store/load goes through it, H_READ shows R and C set,
   the data is at 2M in real mode (the VRMA); after H_REMOVE the same access
   is a DSI (reflected from the hypervisor's HDSI) with DSISR[33]. */
#include "guest.inc"
	VECTORS
	LOAD64 6, 0x123000
	LOAD64 7, 0x18000000
	slbmte 6, 7
	/* H_ENTER(flags 0, PTEX 0x918 = PTEG 0x123, pteh = AVPN | V, ptel = RPN 2M, PP 00, M) */
	li 4, 0
	li 5, 0x918
	LOAD64 6, 0x123001
	LOAD64 7, 0x200010
	HCALL H_ENTER
	cmpdi 3, 0
	FAIL_NE 1
	mr 20, 4
	LOAD64 9, 0x1122334455667788
	lis 10, 0x1000
	DR_ON
	std 9, 8(10)
	ld 11, 8(10)
	DR_OFF
	cmpd 11, 9
	FAIL_NE 2
	LOAD64 12, 0x200008
	ld 11, 0(12)
	cmpd 11, 9
	FAIL_NE 3
	/* H_READ: R (bit 55) and C (bit 56) set by the accesses. */
	li 4, 0
	mr 5, 20
	HCALL H_READ
	cmpdi 3, 0
	FAIL_NE 4
	andi. 5, 5, 0x180
	cmpdi 5, 0x180
	FAIL_NE 5
	/* H_REMOVE(H_AVPN, ptex, avpn) */
	LOAD64 4, 0x0000000080000000
	mr 5, 20
	LOAD64 6, 0x123000
	HCALL H_REMOVE
	cmpdi 3, 0
	FAIL_NE 6
	lis 10, 0x1000
	DR_ON
	ld 11, 8(10)
	REPORT 0xBADF
