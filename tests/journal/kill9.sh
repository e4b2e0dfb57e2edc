# kill -9 at every step of a document job, then a start-up recovery:
# nothing lost, nothing printed twice, no confirmation without a print,
# nothing unfinished, nothing sendable again. Then random kills of a
# process running jobs back to back.
set -eu
: "${HELPERDIR:?}"
h="$HELPERDIR/journal-helper-steps"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/station-journal.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

for stop in 1 2 3 4 5 6 7 8 0; do
	d="$tmp/step$stop"
	mkdir "$d"
	st=0
	"$h" run "$d/journal.db" "$d/printer" "$stop" || st=$?
	if [ "$stop" -eq 0 ]; then
		[ "$st" -eq 0 ] || fail "the full job failed ($st)"
	else
		[ "$st" -eq 137 ] || fail "step $stop: not killed ($st)"
	fi
	out=$("$h" check "$d/journal.db" "$d/printer") || fail "step $stop: $out"
	case "$out" in jobs=1\ *) ;; *) fail "step $stop: the job was lost: $out" ;; esac
	# A second start changes nothing and still finds it consistent.
	"$h" check "$d/journal.db" "$d/printer" >/dev/null || fail "step $stop: second start"
	echo "step $stop: $out"
done

d="$tmp/random"
mkdir "$d"
for i in 1 2 3 4 5 6 7 8 9 10; do
	"$h" loop "$d/journal.db" "$d/printer" &
	pid=$!
	sleep "0.0$i"
	kill -9 "$pid"
	wait "$pid" 2>/dev/null || true
	out=$("$h" check "$d/journal.db" "$d/printer") || fail "random kill $i: $out"
done
echo "random: $out"
echo ok
