#!/usr/bin/env bash
# The desktop window (Wails + WebKitGTK, under Xvfb) guards unsaved edits:
#   1. a window with nothing unsaved closes at once;
#   2. edit the flow name, close the window (WM_DELETE_WINDOW, as the title
#      bar's close button): it stays open and asks Save / Discard / Cancel;
#      Escape cancels (still open); close again, Save: the window closes and
#      the edit is stored;
#   3. edit again, close, Discard: it closes and the stored flow is unchanged;
#   4. edit again and send SIGTERM (logout, shutdown): it quits without asking;
#   5. edit again and kill the app (a crash): on the next start the designer
#      offers the kept draft.
# Needs xvfb-run, ImageMagick's import, gcc with libX11/libXtst (scripts/xwin.c).
# Screenshots go to WINDOW_SHOTS (default: a temp folder).
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=$(realpath "${FLOWBENCH_BIN:-build/bin/flowbench}")
for t in xvfb-run import convert gcc; do command -v $t >/dev/null || { echo "window-close-test: $t missing" >&2; exit 1; }; done
SHOTS=${WINDOW_SHOTS:-$(mktemp -d /tmp/flowbench-close-XXXXXX)}
mkdir -p "$SHOTS"
WORK=$(mktemp -d /tmp/flowbench-close-work-XXXXXX)
trap 'rm -rf "$WORK"' EXIT
gcc -O1 -o "$WORK/xwin" scripts/xwin.c -lX11 -lXtst
export FLOWBENCH_DATA="$WORK/data" FLOWBENCH_NO_KEYRING=1 FLOWBENCH_OPEN=seed
echo "window-close-test: screenshots in $SHOTS"

# session NAME SCRIPT: start the window under Xvfb, wait for the designer, run SCRIPT (bash, with
# $X = xwin, $app = the app's pid, shot NAME = screenshot), then make sure the app is gone.
session() {
  local name=$1 body=$2
  xvfb-run -a -s "-screen 0 1280x800x24" bash -c '
    X=$1; SHOTS=$2; name=$3; log=$SHOTS/$name.log
    shot() { import -window root "$SHOTS/$name-$1.png"; }
    alive() { kill -0 $app 2>/dev/null; }
    gone() { for i in $(seq 1 100); do alive || return 0; sleep 0.1; done; return 1; }
    "$4" > "$log" 2>&1 & app=$!
    for i in $(seq 1 600); do grep -q "flowbench: rendered designer" "$log" && break; alive || break; sleep 0.1; done
    grep -q "flowbench: rendered designer" "$log" || { echo "FAIL: $name: the designer did not render"; cat "$log"; exit 1; }
    sleep 1
    edit() { $X click 150 72; sleep 0.3; $X key End; $X type "$1"; sleep 0.5; }
    rc=0
    eval "$5" || rc=$?
    if alive; then kill $app; wait $app 2>/dev/null || true; fi
    exit $rc
  ' _ "$WORK/xwin" "$SHOTS" "$name" "$BIN" "$body"
}
name() { "$BIN" flows 2>/dev/null | awk -F'  +' '$1 == "okta-is-member-of-group" {print $3}'; }

session clean '
  $X close Flowbench
  gone || { echo "FAIL: a window with nothing unsaved did not close"; exit 1; }'
echo "window-close-test: 1 clean window closes at once"
[ "$(name)" = "Okta: mark user isMemberOfGroup" ] || { echo "FAIL: name $(name)"; exit 1; }

session save '
  edit " edited"
  $X close Flowbench; sleep 1.5
  alive || { echo "FAIL: closed with unsaved changes"; exit 1; }
  shot asked
  $X key Escape; sleep 0.5
  alive || { echo "FAIL: Cancel closed the window"; exit 1; }
  $X close Flowbench; sleep 1
  alive || { echo "FAIL: second close with unsaved changes"; exit 1; }
  $X key Tab; $X key Tab; sleep 0.2; shot save-focused; $X key Return
  gone || { echo "FAIL: Save did not close the window"; exit 1; }'
[ "$(name)" = "Okta: mark user isMemberOfGroup edited" ] || { echo "FAIL: after Save the name is \"$(name)\""; exit 1; }
echo "window-close-test: 2 close asks; Cancel stays; Save stores and closes"

session discard '
  edit " twice"
  $X close Flowbench; sleep 1.5
  alive || { echo "FAIL: closed with unsaved changes"; exit 1; }
  $X key Tab; sleep 0.2; shot discard-focused; $X key Return
  gone || { echo "FAIL: Discard did not close the window"; exit 1; }'
[ "$(name)" = "Okta: mark user isMemberOfGroup edited" ] || { echo "FAIL: after Discard the name is \"$(name)\""; exit 1; }
echo "window-close-test: 3 Discard closes and stores nothing"

session term '
  edit " term"
  kill -TERM $app
  gone || { echo "FAIL: SIGTERM with unsaved changes did not quit"; exit 1; }'
[ "$(name)" = "Okta: mark user isMemberOfGroup edited" ] || { echo "FAIL: after SIGTERM the name is \"$(name)\""; exit 1; }
echo "window-close-test: 4 SIGTERM (logout, shutdown) quits without asking"

session crash '
  edit " crashed"
  kill -9 $app; wait $app 2>/dev/null || true'
session restore '
  sleep 1; shot draft'
# the draft banner (warm yellow, under the toolbar) offers the crashed edit
px=$(convert "$SHOTS/restore-draft.png" -format '%[pixel:p{700,122}]' info:)
case "$px" in
  "srgb(255,244,224)") ;;
  *) echo "FAIL: no draft banner after the crash (pixel $px): $SHOTS/restore-draft.png"; exit 1 ;;
esac
echo "window-close-test: 5 after a crash the designer offers the kept draft"

# the window's storage is shared by every data folder; another folder's seed
# flow has the same id, but the draft belongs to the first folder only
FLOWBENCH_DATA="$WORK/data2" session other '
  sleep 1; shot folder'
px=$(convert "$SHOTS/other-folder.png" -format '%[pixel:p{700,122}]' info:)
[ "$px" != "srgb(255,244,224)" ] || { echo "FAIL: another data folder offers this folder's draft: $SHOTS/other-folder.png"; exit 1; }
session again '
  sleep 1; shot draft'
px=$(convert "$SHOTS/again-draft.png" -format '%[pixel:p{700,122}]' info:)
[ "$px" = "srgb(255,244,224)" ] || { echo "FAIL: back in the first folder the draft is gone (pixel $px)"; exit 1; }
echo "window-close-test: 6 another data folder does not see this folder's draft; the first still does"
echo "window-close-test: PASS"
