/* Never ends: for the --timeout check. */
#include "common.inc"
	VECTORS
1:	b 1b
