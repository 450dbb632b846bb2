#!/bin/sh
# Print what binutils' objdump -d shows for instruction words (hex, one per
# line on stdin, or as arguments): "<word>\t<mnemonic operands>".
# Debugging aid for the disassembler; word i sits at address 4*i.
set -e
AS=${AS:-powerpc64le-linux-gnu-as}
OBJDUMP=${OBJDUMP:-powerpc64le-linux-gnu-objdump}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
if [ $# -gt 0 ]; then printf '%s\n' "$@"; else cat; fi | sed 's/^0x//; s/^/.long 0x/' > "$tmp/w.s"
$AS -mpower9 -o "$tmp/w.o" "$tmp/w.s"
$OBJDUMP -d "$tmp/w.o" | awk -F'\t' '/^ *[0-9a-f]+:\t/ { split($2, b, " "); printf "%s%s%s%s\t%s\n", b[4], b[3], b[2], b[1], $3 }'
