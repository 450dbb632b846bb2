/* H_LOGICAL_CI_STORE of 0x11223344 (4 bytes) to 0xF000_0000, then
   H_LOGICAL_CI_LOAD of it: served by an IO-bus device or by the machine
   after an exit.  Reports the loaded value in r5. */
#include "guest.inc"
	VECTORS
	li 4, 4
	lis 5, 0xF000
	rldicl 5, 5, 0, 32
	LOAD64 6, 0x11223344
	HCALL H_LOGICAL_CI_STORE
	cmpdi 3, 0
	FAIL_NE 1
	li 4, 4
	lis 5, 0xF000
	rldicl 5, 5, 0, 32
	HCALL H_LOGICAL_CI_LOAD
	cmpdi 3, 0
	FAIL_NE 2
	mr 5, 4
	REPORT 0x0C10
