# shellcheck shell=bash
# Sourced by the gdb-multiarch tests: start an lpar gdb stub, drive it with a
# gdb script, wait for the guest to end, and the checks on what was printed.
# The caller sets WORK (a directory for every file written here) first.

fail=0

# Exit 77 (skipped) when a tool the test needs is missing.
need() {
  for t; do command -v "$t" >/dev/null || { echo "SKIP: $t is not installed"; exit 77; }; done
}

check() {  # check DESCRIPTION FILE EXTENDED-REGEX
  if grep -Eq -- "$3" "$2"; then echo "ok: $1"; else echo "FAIL: $1 (no /$3/ in $(basename "$2"))"; fail=1; fi
}

# start_stub CMD...: run an emulator whose stub listens on port 0 (it picks
# a free port and names it on stderr), output in $WORK/prog.{out,err}.  Sets
# PID and PORT; the test fails here if no port is named within 10 s.
start_stub() {
  # Emptied here, not only by the redirection below: that happens in the
  # child after the fork, and a re-used WORK would show the last run's port.
  : >"$WORK/prog.out"
  : >"$WORK/prog.err"
  "$@" >"$WORK/prog.out" 2>"$WORK/prog.err" &
  PID=$!
  PORT=
  for _ in $(seq 100); do
    PORT=$(sed -n 's/.* for gdb on [^:]*:\([0-9]*\).*/\1/p' "$WORK/prog.err")
    [ -n "$PORT" ] && break
    sleep 0.1
  done
  if [ -z "$PORT" ]; then
    echo "FAIL: $(basename "$1") did not start its gdb stub"; cat "$WORK/prog.err"; kill "$PID" 2>/dev/null; exit 1
  fi
}

# run_session TEMPLATE FILE: gdb-multiarch runs TEMPLATE (its @PORT@ filled
# in) against the stub with FILE's symbols, output in $WORK/gdb.out; the
# script ends by detaching, and the guest must then run to its end by itself.
run_session() {
  sed "s/@PORT@/$PORT/" "$1" >"$WORK/session.gdb"
  timeout 120 gdb-multiarch -batch -nx -x "$WORK/session.gdb" "$2" >"$WORK/gdb.out" 2>&1
  local rc=$?
  guest_ends || { echo "FAIL: guest still running after detach"; exit 1; }
  [ "$rc" = 0 ] || { echo "FAIL: gdb-multiarch exited $rc"; fail=1; }
}

# guest_ends: the guest must end by itself within 10 s (it is killed and this
# is false otherwise).  PROG_RC: its exit status.
guest_ends() {
  local ended=0
  for _ in $(seq 100); do kill -0 "$PID" 2>/dev/null || break; sleep 0.1; done
  if kill -0 "$PID" 2>/dev/null; then kill "$PID"; ended=1; fi
  wait "$PID"
  PROG_RC=$?
  return $ended
}

# The value of a NAME=HEX line the gdb script printed.
hexval() { sed -n "s/^$1=//p" "$WORK/gdb.out" | head -1; }

# stepi moved the pc from the PC1= line to the PC2= line, one instruction on.
check_stepi() {
  local pc1 pc2
  pc1=$(hexval PC1); pc2=$(hexval PC2)
  if [ -n "$pc1" ] && [ -n "$pc2" ] && [ $((16#$pc2)) = $((16#$pc1 + 4)) ]; then echo "ok: stepi"; else
    echo "FAIL: stepi moved pc from '$pc1' to '$pc2'"; fail=1; fi
}

# finish FILE...: the verdict; on failure FILE... show what was said.
finish() {
  [ "$PROG_RC" = 0 ] || { echo "FAIL: guest exit status $PROG_RC"; fail=1; }
  if [ "$fail" != 0 ]; then for f; do echo "--- $(basename "$f"):"; cat "$f"; done; fi
  exit "$fail"
}
