#!/bin/sh
# The texts' figures (reported, never asserted): the first ui_text() with
# the catalogue read from disk, ui_mo_parse() of the English catalogue,
# ui_mo_lookup() per msgid, ui_text() per call.
set -eu
: "${BUILDDIR:?}"
"$BUILDDIR/bench/i18n/bench-i18n" "${RUNS:-201}"
