#!/bin/sh
# The translations (po/README.md): the committed po/anjungan.pot is what
# xgettext extracts from the sources now; every language of po/LINGUAS
# passes msgfmt --check and translates every msgid of the .pot, none empty
# or fuzzy; the build tree's .mo files are those .po files compiled. Then
# where the station finds them: beside its own prefix first, the build
# tree, $STATION_LOCALEDIR instead of both; and a missing or broken
# catalogue said on stderr with the Bahasa Indonesia msgids shown instead.
# Each check is shown to fail on a broken input.
set -eu
: "${SRCDIR:?}" "${BUILDDIR:?}"
gallery="$BUILDDIR/ui/ui-gallery"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/station-po.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
for tool in xgettext msgfmt msgattrib msgcmp; do
	command -v $tool >/dev/null 2>&1 || fail "$tool missing (apt-get install gettext)"
done
[ -x "$gallery" ] || fail "no $gallery"

# The .pot: the build extracts it from the sources (po/CMakeLists.txt);
# only its creation date may differ from the committed one.
pot_current() { # BUILT COMMITTED
	grep -v '^"POT-Creation-Date:' "$1" >"$tmp/pot.built"
	grep -v '^"POT-Creation-Date:' "$2" >"$tmp/pot.committed"
	diff -u "$tmp/pot.committed" "$tmp/pot.built" >"$tmp/pot.diff"
}
pot="$SRCDIR/po/anjungan.pot"
[ -s "$BUILDDIR/po/anjungan.pot" ] || fail "the build extracted no $BUILDDIR/po/anjungan.pot"
pot_current "$BUILDDIR/po/anjungan.pot" "$pot" || {
	cat "$tmp/pot.diff" >&2
	fail "po/anjungan.pot differs from the sources: run tools/update-po"
}

# A language is complete when msgfmt --check passes and counts only
# translated messages, msgattrib finds nothing untranslated or fuzzy, and
# msgcmp finds every msgid of the .pot translated in it.
po_complete() { # PO POT
	stats=$(msgfmt --check --statistics -o /dev/null "$1" 2>&1) || {
		echo "$1: msgfmt --check: $stats"
		return 1
	}
	case "$stats" in
	*untranslated* | *fuzzy*)
		echo "$1: $stats"
		return 1
		;;
	esac
	case "$stats" in
	*" translated message"*) ;;
	*)
		echo "$1: unexpected msgfmt statistics: $stats"
		return 1
		;;
	esac
	left=$(msgattrib --untranslated --no-obsolete "$1")
	[ -z "$left" ] || {
		echo "$1: untranslated:"
		echo "$left"
		return 1
	}
	left=$(msgattrib --only-fuzzy --no-obsolete "$1")
	[ -z "$left" ] || {
		echo "$1: fuzzy:"
		echo "$left"
		return 1
	}
	msgcmp "$1" "$2" 2>&1 || {
		echo "$1: msgcmp against $2 failed"
		return 1
	}
}

langs=$(grep -v '^#' "$SRCDIR/po/LINGUAS" | grep .) || fail "po/LINGUAS lists no language"
for f in "$SRCDIR"/po/*.po; do
	l=$(basename "$f" .po)
	printf '%s\n' "$langs" | grep -qx "$l" || fail "po/$l.po is not in po/LINGUAS"
done
n_msgids=$(grep -c '^msgid ' "$pot")
for l in $langs; do
	po="$SRCDIR/po/$l.po"
	[ -f "$po" ] || fail "po/LINGUAS names $l but there is no po/$l.po"
	po_complete "$po" "$pot" >"$tmp/why" || {
		cat "$tmp/why" >&2
		fail "po/$l.po is incomplete (translate it, see po/README.md)"
	}
	mo="$BUILDDIR/share/locale/$l/LC_MESSAGES/anjungan.mo"
	msgfmt -o "$tmp/$l.mo" "$po"
	cmp -s "$tmp/$l.mo" "$mo" || fail "$mo is not po/$l.po compiled (rebuild)"
	echo "translations: $l: $(msgfmt --statistics -o /dev/null "$po" 2>&1)" \
		"(the .pot has $((n_msgids - 1)) msgids)"
done

# The checks are not blind: an emptied translation, a fuzzy one, a msgid
# the .po lacks and a stale .pot each fail.
first=$(printf '%s\n' "$langs" | head -n 1)
po="$SRCDIR/po/$first.po"
# Blanks the msgstr of the second entry (the first after the header).
awk '/^msgstr /{n++; if (n == 2) {print "msgstr \"\""; skip = 1; next}}
     skip && /^"/ {next} {skip = 0; print}' "$po" >"$tmp/empty.po"
! po_complete "$tmp/empty.po" "$pot" >"$tmp/why" || fail "an empty translation passed"
grep -q untranslated "$tmp/why" || fail "an empty translation not reported as untranslated"
awk '/^msgid /{n++; if (n == 2) print "#, fuzzy"} {print}' "$po" >"$tmp/fuzzy.po"
! po_complete "$tmp/fuzzy.po" "$pot" >"$tmp/why" || fail "a fuzzy translation passed"
grep -q fuzzy "$tmp/why" || fail "a fuzzy translation not reported as fuzzy"
{
	cat "$pot"
	printf '\n#: ui/i18n.c\nmsgid "Teks baru yang belum diterjemahkan"\nmsgstr ""\n'
} >"$tmp/more.pot"
! po_complete "$po" "$tmp/more.pot" >"$tmp/why" || fail "a msgid missing from the .po passed"
grep -q 'used but not defined' "$tmp/why" || fail "msgcmp did not report the missing msgid"
{
	cat "$BUILDDIR/po/anjungan.pot"
	printf '\n#: ui/i18n.c\nmsgid "Teks baru yang belum diterjemahkan"\nmsgstr ""\n'
} >"$tmp/more-built.pot"
! pot_current "$tmp/more-built.pot" "$pot" || fail "a .pot missing a msgid passed"

# Where the station finds the catalogues. In the build tree (ui-gallery
# is <builddir>/ui/ui-gallery, so <builddir>/share/locale): English
# translated, nothing said on stderr.
texts() { # OUT ERR CMD... : the English and Indonesian texts, one per line
	out=$1 err=$2
	shift 2
	"$@" texts >"$tmp/texts" 2>"$err" || fail "'$* texts' failed"
	grep '^en	' "$tmp/texts" | cut -f 3- >"$out.en"
	grep '^id	' "$tmp/texts" | cut -f 3- >"$out.id"
	[ "$(wc -l <"$out.en")" -gt 100 ] || fail "'$* texts' printed few texts"
}
differing() { # OUT: how many English texts differ from their msgid
	paste -d '\n' "$1.en" "$1.id" | awk 'NR % 2 {en = $0; next} en != $0 {n++} END {print n + 0}'
}
texts "$tmp/build" "$tmp/build.err" "$gallery"
[ ! -s "$tmp/build.err" ] || { cat "$tmp/build.err" >&2; fail "stderr with the build tree's catalogues"; }
n=$(differing "$tmp/build")
total=$(wc -l <"$tmp/build.en")
[ "$n" -gt $((total / 2)) ] || fail "only $n of $total English texts differ from Bahasa Indonesia"

# Installed: <prefix>/bin/ui-gallery reads <prefix>/share/locale first,
# before the build tree. A catalogue whose every one-line translation
# starts with "»" shows which one was read.
mkdir -p "$tmp/prefix/bin" "$tmp/prefix/share/locale/en/LC_MESSAGES"
cp "$gallery" "$tmp/prefix/bin/ui-gallery"
sed 's/^msgstr "\(..*\)"$/msgstr "»\1"/' "$SRCDIR/po/en.po" >"$tmp/marked.po"
msgfmt --check -o "$tmp/prefix/share/locale/en/LC_MESSAGES/anjungan.mo" "$tmp/marked.po"
texts "$tmp/installed" "$tmp/installed.err" "$tmp/prefix/bin/ui-gallery"
[ ! -s "$tmp/installed.err" ] || { cat "$tmp/installed.err" >&2; fail "stderr when installed"; }
marked=$(grep -c '^»' "$tmp/installed.en" || true)
[ "$marked" -gt $((total / 2)) ] || fail "the installed catalogue was not read ($marked marked)"
! grep -q '^»' "$tmp/installed.id" || fail "the Indonesian texts were translated"

# $STATION_LOCALEDIR names the one place to look.
texts "$tmp/env" "$tmp/env.err" \
	env STATION_LOCALEDIR="$BUILDDIR/share/locale" "$tmp/prefix/bin/ui-gallery"
cmp -s "$tmp/env.en" "$tmp/build.en" || fail "STATION_LOCALEDIR was not used"

# Missing: said on stderr with the places tried; English shows the msgids.
texts "$tmp/none" "$tmp/none.err" env STATION_LOCALEDIR="$tmp/none" "$gallery"
grep -q "no English translations.*$tmp/none/en/LC_MESSAGES/anjungan.mo" "$tmp/none.err" ||
	{ cat "$tmp/none.err" >&2; fail "a missing catalogue not said"; }
[ "$(differing "$tmp/none")" -eq 0 ] || fail "without a catalogue English is not the msgids"
cmp -s "$tmp/none.id" "$tmp/build.id" || fail "without a catalogue Indonesian changed"

# Broken: said with the reason; the msgids again.
mkdir -p "$tmp/bad/en/LC_MESSAGES"
printf 'not a catalogue\n' >"$tmp/bad/en/LC_MESSAGES/anjungan.mo"
texts "$tmp/bad" "$tmp/bad.err" env STATION_LOCALEDIR="$tmp/bad" "$gallery"
grep -q "cannot read the English translations.*Bad message" "$tmp/bad.err" ||
	{ cat "$tmp/bad.err" >&2; fail "a broken catalogue not said"; }
[ "$(differing "$tmp/bad")" -eq 0 ] || fail "with a broken catalogue English is not the msgids"
echo "translations: $n of $total English texts differ from their msgid in the build tree; installed," \
	"STATION_LOCALEDIR, missing and broken catalogues found or said"
