#!/bin/sh
# e-KTP taps through a real pcscd + vpcd and the virtual card: card
# detected -> identity on the queue, median and p95 over 200 taps, APDUs
# per read and our overhead per APDU. Needs root (a private mount
# namespace for pcscd's socket).
set -eu
: "${BUILDDIR:?}"
exec "$BUILDDIR/bench/card/bench-card-tap" --taps "${TAPS:-200}" "$BUILDDIR/tests/vcard/vcard"
