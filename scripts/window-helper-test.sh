#!/usr/bin/env bash
# A helper flow picked in the desktop window (Wails + WebKitGTK under Xvfb),
# with real pointer and keyboard input (scripts/xwin.c, XTest):
#   1. a flow whose For Each has no helper yet opens (FLOWBENCH_OPEN) with the
#      problem "no helper flow chosen" on the card;
#   2. Choose… opens the picker; typing "greet" and Enter picks "Win greet",
#      whose inputs item and index come mapped (item, index) and the problem goes;
#   3. the card's helper link opens the helper (the caller is saved first),
#      "← back to Win parent" comes back;
#   4. Run (the panel fills with the sample ["Ann", "Bob"]): the run succeeds
#      and opens in history.
# Then the CLI checks the stored flow and the two child runs' Return values.
# Every step waits for what it caused (a log line, the dialog's overlay, a
# colour on screen), never a fixed time. Screenshots go to WINDOW_SHOTS.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=$(realpath "${FLOWBENCH_BIN:-build/bin/flowbench}")
for t in xvfb-run import convert gcc; do command -v $t >/dev/null || { echo "window-helper-test: $t missing" >&2; exit 1; }; done
SHOTS=${WINDOW_SHOTS:-$(mktemp -d /tmp/flowbench-helper-XXXXXX)}
mkdir -p "$SHOTS"
WORK=$(mktemp -d /tmp/flowbench-helper-work-XXXXXX)
trap 'rm -rf "$WORK"' EXIT
gcc -O1 -o "$WORK/xwin" scripts/xwin.c -lX11 -lXtst
export FLOWBENCH_DATA="$WORK/data" FLOWBENCH_NO_KEYRING=1
"$BIN" import scripts/testdata/window-helper-greet.flow.json >/dev/null
"$BIN" import scripts/testdata/window-helper-parent.flow.json >/dev/null
echo "window-helper-test: screenshots in $SHOTS"

FLOWBENCH_OPEN=win-parent xvfb-run -a -s "-screen 0 1280x800x24" bash -c '
  set -u
  X=$1; SHOTS=$2; BIN=$3; WORK=$4; log=$SHOTS/helper.log
  "$BIN" > "$log" 2>&1 & app=$!
  trap "kill $app 2>/dev/null; wait $app 2>/dev/null" EXIT
  grab() { import -window root "$WORK/now.png"; }
  shot() { import -window root "$SHOTS/helper-$1.png"; }
  px() { grab; convert "$WORK/now.png" -format "%[pixel:p{$1,$2}]" info:; }
  # the pink of a problem box on the canvas (toolbar and palette left out): WxH+X+Y, empty when none
  problem() { grab; convert "$WORK/now.png" -crop 1030x700+250+100 +repage -fill black +opaque "srgb(253,236,236)" \
    -fill white -opaque "srgb(253,236,236)" -format "%@" info: 2>/dev/null | grep -v "^0x0" || true; }
  # seen SCREEN N: the frontend has said "rendered SCREEN" at least N times
  seen() { [ "$(grep -c "flowbench: rendered $1" "$log" || true)" -ge "$2" ]; }
  a_problem() { [ -n "$(problem)" ]; }
  # until_ DESC CMD...: wait up to 60 s for CMD (run anew each time) to succeed
  until_() {
    local what=$1; shift
    local end=$((SECONDS + 60))
    while [ $SECONDS -lt $end ]; do "$@" && return 0; kill -0 $app 2>/dev/null || break; sleep 0.2; done
    shot failure; echo "FAIL: $what (screenshot helper-failure.png)"; tail -20 "$log"; exit 1
  }
  overlay() { [ "$(px 3 600)" != "srgb(255,255,255)" ]; }
  until_ "the designer renders" seen designer 1
  until_ "the For Each card shows \"no helper flow chosen\"" a_problem
  read -r w h x y <<<"$(problem | tr "x+" "  ")"
  bx=$((250 + x)); by=$((100 + y)); right=$((bx + w))
  shot 1-no-helper
  echo "window-helper-test: 1 the card asks for a helper (problem box at $bx,$by)"

  $X click $((right - 41)) $((by - 36))          # Choose…
  until_ "the helper picker opens" overlay
  shot 2-picker
  $X type greet; $X key Return
  until_ "the picker closes" eval "! overlay"
  until_ "the problem goes once a helper is chosen" eval "! a_problem"
  shot 3-picked
  echo "window-helper-test: 2 picked Win greet with the keyboard"

  $X click $((bx + 40)) $((by - 36))             # ↗ Win greet
  until_ "the helper opens" seen designer 2
  shot 4-helper
  $X click 80 101                                # ← back to Win parent (the bar under the toolbar)
  until_ "back to the caller" seen designer 3
  echo "window-helper-test: 3 opened the helper from the card and came back"

  blank() { [ "$(px 1200 400)" = "srgb(238,241,245)" ]; }
  until_ "the canvas is drawn" blank
  $X click 1240 66                               # ▶ Run
  until_ "the Run panel opens" eval "! blank"
  # the names come from the trigger sample (the value in the fixture): wait for the text in the form
  filled() { grab; [ "$(convert "$WORK/now.png" -crop 280x18+966+238 -colorspace gray -format "%[fx:minima.r < 0.5]" info:)" = 1 ]; }
  until_ "the sample input fills the Run panel" filled
  shot 5-run-panel
  $X click 1110 774                              # Run
  green() { case "$(px 3 100)" in "srgb(230,245,236)") return 0;; *) return 1;; esac; }
  until_ "the run succeeds (green run bar)" green
  shot 6-ran
  $X click 1174 103                              # open in history
  until_ "the run opens in history" seen execution 1
  shot 7-history
  echo "window-helper-test: 4 ran and opened the run in history"
' _ "$WORK/xwin" "$SHOTS" "$BIN" "$WORK"

# what the window stored and ran
flow=$("$BIN" export win-parent)
grep -q '"flow": "win-greet"' <<<"$flow" || { echo "window-helper-test: FAIL: For Each does not call win-greet"; echo "$flow"; exit 1; }
grep -q '"index": true' <<<"$flow" || { echo "window-helper-test: FAIL: index is not mapped"; echo "$flow"; exit 1; }
outs=$("$BIN" history list --flow win-greet --status success | awk 'NR > 1 {print $1}' | while read -r id; do "$BIN" history show "$id" | grep '^outputs:'; done | sort)
want=$'outputs: {"text":"Hello Ann #0"}\noutputs: {"text":"Hello Bob #1"}'
[ "$outs" = "$want" ] || { echo "window-helper-test: FAIL: child runs returned:"; echo "$outs"; exit 1; }
echo "window-helper-test: the stored For Each calls Win greet; its child runs returned Hello Ann #0 and Hello Bob #1"
echo "window-helper-test: PASS"
