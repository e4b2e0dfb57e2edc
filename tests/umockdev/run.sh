#!/bin/sh
# Runs the umockdev test program under umockdev-wrapper, which preloads
# libumockdev-preload. Under AddressSanitizer that preload comes before
# the ASan runtime in the library list, which ASan refuses by default;
# the preload only forwards system calls, so the order is harmless here.
set -eu
test_bin=$1
case "${ASAN_OPTIONS:-}" in
"") ;;
*) export ASAN_OPTIONS="$ASAN_OPTIONS:verify_asan_link_order=0" ;;
esac
exec umockdev-wrapper "$test_bin"
