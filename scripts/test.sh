#!/usr/bin/env bash
# The test command (README, .ci/run): build, run the whole suite, then the
# unit tests and the fuzzer again under AddressSanitizer and UBSan.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup-deps.sh
scripts/fetch-guests.sh
scripts/build.sh build
status=0
(cd build && ctest -j"$(nproc)" --output-on-failure --timeout 1200) || status=1
echo "== AddressSanitizer + UBSan build"
scripts/build.sh build-asan -DLPAR_SANITIZE=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo
(cd build-asan && ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
   ctest -j"$(nproc)" --output-on-failure --timeout 1800 -R 'unit|fuzz|diff-int_ops-power9') || status=1
exit $status
