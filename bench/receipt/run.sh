#!/bin/sh
# Receipt render + raster + ESC/POS encode, median and p95, bytes per
# receipt, at 576 and 384 dots.
#   sh bench/receipt/run.sh [RUNS]   (default 200; tools/bench sets $BUILDDIR)
set -eu
build=${BUILDDIR:-build}
bench=$build/bench/receipt/bench-receipt
[ -x "$bench" ] || { echo "build first: cmake --build $build" >&2; exit 1; }
"$bench" "${1:-200}"
