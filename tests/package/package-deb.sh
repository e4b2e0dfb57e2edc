#!/bin/sh
# Builds the Debian package with CPack and unpacks it into a scratch root
# with dpkg -x (nothing is installed on this machine), then checks that
# every file the service needs is there, the control data, and that the
# packaged binary runs.
set -eu
for tool in cpack dpkg-deb; do
	if ! command -v $tool >/dev/null 2>&1; then
		echo "package-deb: $tool not installed" >&2
		exit 77
	fi
done
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

cpack --config "$BUILDDIR/CPackConfig.cmake" -G DEB -B "$tmp/out" >"$tmp/cpack.log" 2>&1 || {
	cat "$tmp/cpack.log" >&2
	echo "package-deb: cpack failed" >&2
	exit 1
}
deb=$(ls "$tmp"/out/anjungan_*.deb)
echo "package-deb: built $(basename "$deb")"

dpkg-deb --field "$deb" Package | grep -qx anjungan
depends=$(dpkg-deb --field "$deb" Depends)
echo "Depends: $depends"
for lib in libc6 libpcsclite1 libusb-1.0-0 libcurl4 libjansson4 libsqlite3-0 libsodium23 \
	libsystemd0 libcups2; do
	case "$depends" in
	*"$lib"*) ;;
	*)
		echo "package-deb: Depends lacks $lib" >&2
		exit 1
		;;
	esac
done

root="$tmp/root"
dpkg -x "$deb" "$root"
for f in usr/bin/station usr/bin/mpp-sim etc/station/station.conf \
	usr/lib/systemd/system/station.service usr/lib/udev/rules.d/60-station.rules \
	usr/lib/sysusers.d/station.conf usr/share/man/man1/station.1 \
	usr/share/man/man1/mpp-sim.1 usr/share/doc/anjungan/diag.schema.json \
	usr/share/locale/en/LC_MESSAGES/anjungan.mo; do
	if [ ! -f "$root/$f" ] && [ ! -f "$root/$f.gz" ]; then
		echo "package-deb: /$f is not in the package" >&2
		find "$root" -type f >&2
		exit 1
	fi
done
test -x "$root/usr/bin/station"
cmp "$root/usr/lib/systemd/system/station.service" "$SRCDIR/config/station.service"
cmp "$root/etc/station/station.conf" "$SRCDIR/config/station.conf"
# The translations as the build compiled them, where the binary looks
# (<prefix>/share/locale beside /usr/bin).
cmp "$root/usr/share/locale/en/LC_MESSAGES/anjungan.mo" \
	"$BUILDDIR/share/locale/en/LC_MESSAGES/anjungan.mo"
grep -q '^ExecStart=/usr/bin/station run' "$root/usr/lib/systemd/system/station.service"

# The maintainer scripts and the configuration as a conffile.
dpkg-deb --ctrl-tarfile "$deb" | tar -t >"$tmp/ctrl"
grep -qx './postinst' "$tmp/ctrl"
grep -qx './prerm' "$tmp/ctrl"
dpkg-deb --ctrl-tarfile "$deb" | tar -xO ./conffiles | grep -qx /etc/station/station.conf

# The packaged binary runs, and its shipped configuration passes its own
# check.
"$root/usr/bin/station" --version | grep -q '^station '
"$root/usr/bin/station" config check "$root/etc/station/station.conf" >/dev/null
echo "package-deb: $(find "$root" -type f | wc -l) files unpacked and checked"
