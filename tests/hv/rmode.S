/* Real mode in a partition: through the VRMA (POWER7/8/9) or the RMO of a
   pooled RMA (PPC970).  A store/load at 1M works; r3 (set by the test) is
   the first address beyond the real-mode area: loading it is a DSI. */
#include "guest.inc"
	VECTORS
	mr 21, 3
	LOAD64 9, 0xCAFEF00D12345678
	lis 10, 0x10
	std 9, 0(10)
	ld 11, 0(10)
	cmpd 11, 9
	FAIL_NE 1
	ld 12, 0(21)
	REPORT 0xBADF
