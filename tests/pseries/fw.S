/* A firmware image for lpar -M pseries -bios (tests/pseries/run.sh).  Entered
   as SLOF is, at 0x100 in 32-bit big-endian real mode; prints what it finds
   through H_PUT_TERM_CHAR and ends on an illegal instruction whose Program
   interrupt vector (0x700) holds zeros: an interrupt that re-raises itself,
   which lpar ends as a guest hang (exit status 3). */
#define H_PUT_TERM_CHAR 0x58
#define VTY 0x71000000
#define SPR_DEC 22
#define SPR_AMR 29
#define SPR_IAMR 61

/* Up to 8 characters, packed big-endian into a 64-bit constant. */
.macro PUT8 len, val
	li 3, H_PUT_TERM_CHAR
	lis 4, VTY@h
	li 5, \len
	lis 6, (\val)@highest
	ori 6, 6, (\val)@higher
	sldi 6, 6, 32
	oris 6, 6, (\val)@h
	ori 6, 6, (\val)@l
	li 7, 0
	sc 1
.endm

	.text
	.globl _start
	. = 0x100
_start:
	/* The thread starts with machine checks enabled, as under KVM and QEMU. */
	mfmsr 3
	andi. 3, 3, 0x1000
	beq 1f
	PUT8 5, 0x4d453d310a000000		/* "ME=1\n" */
1:
	/* DEC written with its most significant bit set while MSR[EE]=1: the
	   Decrementer interrupt comes before the next instruction. */
	lis 3, 0x7fff
	mtspr SPR_DEC, 3
	mfmsr 4
	ori 4, 4, 0x8000
	mtmsrd 4, 1
	li 5, 0
	li 3, -1
	mtspr SPR_DEC, 3
	li 5, 1				/* only when the interrupt came late */
	PUT8 8, 0x444543206c617465		/* "DEC late" */
	b keys

	. = 0x900
	cmpwi 5, 0
	bne keys
	PUT8 7, 0x444543206f6b0a00		/* "DEC ok\n" */
keys:
	/* Storage keys guard translated accesses only: with every key denying
	   everything, real-mode fetches, loads and stores go on (POWER8+). */
	li 3, -1
	mtspr SPR_IAMR, 3
	isync
	PUT8 8, 0x49414d52206f6b0a		/* "IAMR ok\n" */
	li 3, -1
	mtspr SPR_AMR, 3
	isync
	lwz 8, 0x100(0)
	stw 8, 0x1000(0)
	PUT8 7, 0x414d52206f6b0a00		/* "AMR ok\n" */
	.long 0
	. = 0xa00
