#!/bin/sh
# Spoken guidance (--speak, [ui] speech): the headless demo writes each
# prompt as a WAV file through eSpeak NG. For Budi's status-by-card
# session every screen gets one prompt, named and numbered like the
# screens, in Bahasa Indonesia; after a tap on the language button they
# are in English. Each file is checked as audio: 16-bit mono PCM, between
# half a second and 20 seconds long, and not silent.
set -eu
: "${STATION:?}" "${SRCDIR:?}"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/station-speech.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
fail() {
	echo "FAIL: $*" >&2
	exit 1
}

check_wavs() { # DIR: every WAV is speech
	python3 - "$1" <<'EOP' || fail "bad WAV files in $1"
import array, math, os, sys, wave
d = sys.argv[1]
names = sorted(os.listdir(d))
assert names, "no WAV files"
for n in names:
    with wave.open(os.path.join(d, n)) as w:
        assert w.getnchannels() == 1 and w.getsampwidth() == 2, n
        rate, frames = w.getframerate(), w.getnframes()
        secs = frames / rate
        assert 0.5 <= secs <= 20, "%s: %.2f s" % (n, secs)
        pcm = array.array("h", w.readframes(frames))
        rms = math.sqrt(sum(x * x for x in pcm) / len(pcm))
        assert rms > 300, "%s: RMS %.0f, silent" % (n, rms)
        print("%s: %.2f s, RMS %.0f" % (n, secs, rms))
EOP
}

"$STATION" demo --headless --speak --backend sim --printers sim --out "$tmp/id" \
	--scenario "$SRCDIR/tests/scenarios/status-by-card.scn" >"$tmp/id.log" 2>&1 ||
	fail "demo failed: $(cat "$tmp/id.log")"
grep -q "^spoken prompts: 7 of 7" "$tmp/id.log" || fail "not 7 prompts: $(grep spoken "$tmp/id.log")"
screens=$(cd "$tmp/id/screens" && ls | sed 's/\.png$//')
speech=$(cd "$tmp/id/speech" && ls | sed 's/-id\.wav$//')
[ "$screens" = "$speech" ] || fail "prompts do not follow the screens: $screens / $speech"
check_wavs "$tmp/id/speech"

cat >"$tmp/en.scn" <<'EOS'
expect-screen welcome
touch language
tap-card budi
expect-screen showing-status
EOS
"$STATION" demo --headless --speak --backend sim --printers sim --out "$tmp/en" \
	--scenario "$tmp/en.scn" >"$tmp/en.log" 2>&1 || fail "demo failed: $(cat "$tmp/en.log")"
ls "$tmp/en/speech" >"$tmp/en.list"
grep -q "^001-welcome-id.wav$" "$tmp/en.list" || fail "no Indonesian welcome: $(cat "$tmp/en.list")"
grep -q "^002-welcome-en.wav$" "$tmp/en.list" || fail "no English welcome after the tap"
grep -q "^[0-9]*-showing-status-en.wav$\|^[0-9]*-status-en.wav$" "$tmp/en.list" ||
	fail "the status prompt is not in English: $(cat "$tmp/en.list")"
check_wavs "$tmp/en/speech"

# Nothing personal in the log, even at debug level.
"$STATION" demo --headless --speak --backend sim --printers sim --log-level debug \
	--out "$tmp/dbg" --scenario "$SRCDIR/tests/scenarios/status-by-card.scn" >"$tmp/dbg.log" 2>&1 ||
	fail "demo failed at debug level"
grep -q "speech: said" "$tmp/dbg.log" || fail "no speech lines at debug level"
if grep -i "budi\|permohonan" "$tmp/dbg.log" | grep -q "speech"; then
	fail "the speech log carries text"
fi
echo "speech: one prompt a screen, in the session's language, as real audio"
