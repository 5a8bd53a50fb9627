#!/usr/bin/env bash
# The packages of `make package`, tried as a user would: the .deb declares
# WebKitGTK 4.1 and GTK 3, installs with dpkg -i into this machine (root),
# its binary answers --version, its desktop entry and icon are in place, the
# installed app opens its window under Xvfb (it renders the home screen; a
# screenshot is kept), and the package is removed again. The .rpm, tarball
# and flowbench.exe are checked for their contents.
set -euo pipefail
cd "$(dirname "$0")/.."
[ "$(id -u)" = 0 ] || { echo "package-test: needs root (dpkg -i)" >&2; exit 1; }
VERSION=${VERSION:-$(sed -n 's/^var Version = "\(.*\)"$/\1/p' app/app.go)}
DIST=build/dist
DEB=$(ls "$DIST"/flowbench_*.deb 2>/dev/null | head -1)
RPM=$(ls "$DIST"/flowbench-*.rpm 2>/dev/null | head -1)
[ -n "$DEB" ] && [ -n "$RPM" ] || { echo "package-test: no packages in $DIST (make package)" >&2; exit 1; }
SHOTS=${WINDOW_SHOTS:-$(mktemp -d /tmp/flowbench-package-XXXXXX)}
mkdir -p "$SHOTS"
DATA=$(mktemp -d /tmp/flowbench-package-data-XXXXXX)
pass=0 fail=0
ok() { pass=$((pass+1)); echo "package-test: ok: $*"; }
bad() { fail=$((fail+1)); echo "package-test: FAIL: $*"; }
check() { local what=$1; shift; if "$@"; then ok "$what"; else bad "$what"; fi; }

if dpkg -s flowbench >/dev/null 2>&1; then
  echo "package-test: a flowbench package is installed on this machine already; not touching it" >&2; exit 1
fi
cleanup() { dpkg -r flowbench >/dev/null 2>&1 || true; rm -rf "$DATA"; }
trap cleanup EXIT

# what the packages declare
deps=$(dpkg-deb -f "$DEB" Depends)
check ".deb depends on WebKitGTK 4.1 and GTK 3 ($deps)" grep -q 'libwebkit2gtk-4.1-0.*libgtk-3-0\|libgtk-3-0.*libwebkit2gtk-4.1-0' <<<"$deps"
if command -v rpm >/dev/null; then
  rdeps=$(rpm -qpR "$RPM" 2>/dev/null | tr '\n' ' ')
  check ".rpm requires webkit2gtk4.1 and gtk3 ($rdeps)" grep -q 'gtk3.*webkit2gtk4.1\|webkit2gtk4.1.*gtk3' <<<"$rdeps"
  check ".rpm holds the binary, desktop entry and icon" bash -c "rpm -qpl '$RPM' | grep -qx /usr/bin/flowbench && rpm -qpl '$RPM' | grep -qx /usr/share/applications/flowbench.desktop && rpm -qpl '$RPM' | grep -q /usr/share/icons/hicolor/.*/apps/flowbench.png"
fi

# install, run, open the window
dpkg -i "$DEB" >/dev/null
check "dpkg -i installed flowbench $VERSION" bash -c "dpkg -s flowbench | grep -qx 'Version: $VERSION-1'"
check "binary at /usr/bin/flowbench" test -x /usr/bin/flowbench
check "desktop entry" grep -qx 'Exec=flowbench' /usr/share/applications/flowbench.desktop
check "icon in the hicolor theme" test -s /usr/share/icons/hicolor/256x256/apps/flowbench.png
check "bash completion" grep -q __start_flowbench /usr/share/bash-completion/completions/flowbench
ver=$(/usr/bin/flowbench --version)
check "--version says '$ver'" grep -Eq "^flowbench $VERSION \(commit ([0-9a-f]{7,}|unknown)\)$" <<<"$ver"

log="$SHOTS/package-window.log"
FLOWBENCH_DATA="$DATA" xvfb-run -a -s "-screen 0 1280x800x24" bash -c '
  flowbench > "$1" 2>&1 & app=$!
  for i in $(seq 1 600); do
    grep -q "flowbench: rendered home" "$1" && break
    kill -0 $app 2>/dev/null || break
    sleep 0.1
  done
  sleep 0.5
  xwininfo -root -tree > "$1.windows" 2>&1 || true
  import -window root "$2"
  kill $app 2>/dev/null; wait $app 2>/dev/null || true
' _ "$log" "$SHOTS/package-window.png"
check "the installed app opened its window and rendered the home screen" grep -q "flowbench: rendered home" "$log"
check "a window titled Flowbench" grep -q '"Flowbench"' "$log.windows"
colours=$(convert "$SHOTS/package-window.png" -format '%k' info: 2>/dev/null || echo 0)
check "the screenshot is not one flat colour ($colours colours)" test "$colours" -ge 20

dpkg -r flowbench >/dev/null
check "dpkg -r removed the binary, entry and icon" bash -c '! test -e /usr/bin/flowbench && ! test -e /usr/share/applications/flowbench.desktop && ! test -e /usr/share/icons/hicolor/256x256/apps/flowbench.png'
check "the package is gone" bash -c '! dpkg -s flowbench >/dev/null 2>&1 || dpkg -s flowbench | grep -q "Status: deinstall"'

# the tarball and the Windows build
TGZ=$(ls "$DIST"/flowbench-*-linux-*.tar.gz | head -1)
check "tarball holds the binary, entry, icon and completions" bash -c "tar tzf '$TGZ' | grep -q '/flowbench$' && tar tzf '$TGZ' | grep -q '/flowbench.desktop$' && tar tzf '$TGZ' | grep -q '/flowbench.png$' && tar tzf '$TGZ' | grep -q '/completions/_flowbench$'"
check "flowbench.exe is a Windows GUI executable (PE32+)" bash -c "head -c 2 '$DIST/flowbench.exe' | grep -q MZ && LC_ALL=C grep -qa 'Flowbench' '$DIST/flowbench.exe'"

echo "package-test: screenshot $SHOTS/package-window.png"
echo "package-test: $pass passed, $fail failed"
[ "$fail" = 0 ]
