/* Maps 16 bolted 4K pages (EA 0x1000_0000 + i*4K -> 2M + i*4K), stores i at
   each, asks the machine to resize the HPT (H_RESIZE_HPT_PREPARE until it
   answers 0, H_RESIZE_HPT_COMMIT with the shift in r31), then reads every
   page back through the new table and reports 0x600D. */
#include "guest.inc"
	VECTORS
	LOAD64 6, 0x123000
	LOAD64 7, 0x18000000
	slbmte 6, 7
	li 22, 0                 /* i */
1:	/* pteh = VSID 0x123 << 12 | bolted (bit 59) | V; PTEG = 0x123 ^ i */
	li 4, 0
	xori 5, 22, 0x123
	sldi 5, 5, 3
	LOAD64 6, 0x123011
	sldi 7, 22, 12
	oris 7, 7, 0x20
	ori 7, 7, 0x10
	HCALL H_ENTER
	cmpdi 3, 0
	FAIL_NE 1
	lis 10, 0x1000
	sldi 11, 22, 12
	add 10, 10, 11
	DR_ON
	std 22, 0(10)
	DR_OFF
	addi 22, 22, 1
	cmpdi 22, 16
	blt 1b
2:	li 4, 0
	mr 5, 31
	HCALL H_RESIZE_HPT_PREPARE
	cmpdi 3, 0
	bne 2b
	li 4, 0
	mr 5, 31
	HCALL H_RESIZE_HPT_COMMIT
	cmpdi 3, 0
	FAIL_NE 2
	li 22, 0
3:	lis 10, 0x1000
	sldi 11, 22, 12
	add 10, 10, 11
	DR_ON
	ld 12, 0(10)
	DR_OFF
	cmpd 12, 22
	FAIL_NE 3
	addi 22, 22, 1
	cmpdi 22, 16
	blt 3b
	REPORT 0x600D
