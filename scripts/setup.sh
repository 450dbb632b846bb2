#!/usr/bin/env bash
# One command on a fresh Debian 12 machine: install what lpar needs, build it,
# and run its main job.  Until the pseries machine boots Linux (issue 6), the
# main job is running a real static ppc64le Linux program under lpar-user.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup-deps.sh
scripts/build.sh build
echo "== lpar-user running a cross-compiled ppc64le program (build/guest/int_ops.power9):"
build/lpar-user -cpu power9 build/guest/int_ops.power9 hello from lpar || echo "(exit status $?)"
