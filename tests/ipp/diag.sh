# `station diag` against ippeveprinter: ready (ok, supply levels from
# printer-supply), toner low (degraded, exit 1), an empty tray (media-empty:
# failed, exit 2), the printer gone (failed, offline), a printer back (ok:
# healed). Each report is validated against docs/diag.schema.json.
# (ippeveprinter keeps media-empty after a refill through its web form, so
# "back" is a fresh printer.)
. "$(dirname "$0")/common.shlib"
start_printer /bin/true
mkdir -p "$tmp/state"
write_conf() {
cat >"$tmp/diag.conf" <<EOC
[station]
id = diag-ipp-01
state_dir = $tmp/state
[card]
backend = sim
[camera]
backend = sim
[receipt]
printer = sim:$tmp/spool-rcpt
[document]
printer = $uri
[backend]
url = sim:
EOC
}
write_conf
export PCSCLITE_CSOCK_NAME="$tmp/pcscd.comm" # not used: the card is simulated

diag() { # EXPECTED_EXIT: the JSON report in $tmp/out, validated
	set +e
	"$STATION" diag --json --config "$tmp/diag.conf" >"$tmp/out" 2>"$tmp/err"
	got=$?
	set -e
	[ "$got" -eq "$1" ] || { cat "$tmp/out" "$tmp/err" >&2; fail "diag exited $got, not $1"; }
	"$SRCDIR/tools/validate-json" "$SRCDIR/docs/diag.schema.json" "$tmp/out" || fail "schema"
}
is() { # FILTER VALUE
	got=$(jq -r "$1" "$tmp/out")
	[ "$got" = "$2" ] || { jq .sections.document_printer "$tmp/out" >&2; fail "$1 is '$got', not '$2'"; }
}

# Ready: ok, and what ippeveprinter says of its supplies.
diag 0
is .sections.document_printer.reachable true
is .sections.document_printer.verdict ok
is '.sections.document_printer.status | length' 0
is '.sections.document_printer.uri' "$uri"
# ippeveprinter reports its marker(s) with a name and a level in percent.
jq -e '.sections.document_printer.supplies | length > 0 and
	all(.name != "" and (.level_percent | type == "number"))' "$tmp/out" >/dev/null ||
	{ jq .sections.document_printer "$tmp/out" >&2; cp "$tmp/out" /tmp/h8t/ipp-out.json; fail "no supply levels"; }
levels=$(ipptool -t "$uri" get-printer-attributes.test 2>/dev/null |
	sed -n 's/.*marker-levels (.*) = //p' | head -n 1)
[ -z "$levels" ] || is '[.sections.document_printer.supplies[].level_percent] | map(tostring) | join(",")' "$levels"

# The tray empty: media-empty, failed, exit 2; the reason as IPP says it.
set_tray 0
diag 2
is .verdict failed
is .sections.document_printer.verdict failed
is '.sections.document_printer.status | join(",")' media-empty
jq -e '.sections.document_printer.state_reasons | any(startswith("media-empty"))' "$tmp/out" \
	>/dev/null || fail "media-empty not among the state reasons"
jq -e '.sections.document_printer.summary | test("media-empty")' "$tmp/out" >/dev/null ||
	fail "the summary does not say why"

# The printer gone: failed, and not reachable (nothing answers, which is
# not the same as a printer saying it is stopped); never hangs.
kill "$printer_pid"
wait "$printer_pid" 2>/dev/null || true
diag 2
is .sections.document_printer.verdict failed
is .sections.document_printer.reachable false
is '.sections.document_printer.status | join(",")' unreachable
is .sections.document_printer.summary "the document printer does not answer"

# A printer back (a fresh one, possibly on another port): ok again.
start_printer /bin/true
write_conf
diag 0
is .sections.document_printer.verdict ok
is '.sections.document_printer.status | length' 0

# `station diag test document`: a one-page PDF test page, spooled by the
# printer byte for byte; its text and its QR code read back.
"$STATION" diag test document --json --config "$tmp/diag.conf" >"$tmp/out" ||
	fail "diag test document: exit $?"
is .verdict ok
qr=$(jq -r .qr "$tmp/out")
case "$qr" in ANJUNGAN-TEST:diag-ipp-01:[0-9]*) ;; *) fail "test page QR '$qr'" ;; esac
pdf=$(ls "$tmp"/spool/*.pdf 2>/dev/null | tail -n 1)
[ -n "$pdf" ] || fail "no PDF spooled"
pdfinfo "$pdf" | grep -q '^Pages: *1$' || fail "not a one-page PDF"
pdftotext "$pdf" - | grep -q 'Anjungan test page: document printer' || fail "test page text"
pdftotext "$pdf" - | grep -q 'station diag-ipp-01' || fail "station id on the page"
pdftoppm -r 150 -png -singlefile "$pdf" "$tmp/page"
[ "$(zbarimg --nodbus --raw -q "$tmp/page.png")" = "$qr" ] || fail "QR on the test page"

# An empty tray: the test fails (exit 2) and says why.
set_tray 0
set +e
"$STATION" diag test document --config "$tmp/diag.conf" >"$tmp/out" 2>&1
got=$?
set -e
[ "$got" -eq 2 ] || { cat "$tmp/out" >&2; fail "diag test document, empty tray: exit $got"; }
grep -q '^document: failed: the test page did not print: paper-out' "$tmp/out" ||
	fail "$(cat "$tmp/out")"
echo "ok"
