#!/bin/sh
# Run one bare-machine test program: PASS on stdout and exit status 0.
# usage: run.sh LPAR CPU ELF [RAM, default 64M]
out=$("$1" -M bare -m "${4:-64M}" -cpu "$2" -kernel "$3" --timeout 60)
rc=$?
printf '%s\n' "$out"
if [ "$rc" -ne 0 ]; then echo "exit status $rc" >&2; exit 1; fi
case "$out" in *PASS*) exit 0 ;; *) echo "no PASS" >&2; exit 1 ;; esac
