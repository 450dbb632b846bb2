/* The smallest program: text through the debug device, exit status 0. */
#include "common.inc"
	VECTORS
	PASS
