#!/usr/bin/env bash
# snap.sh OUT.png COLS ROWS "ARGS" KEYS...: run finwait (or $FINWAIT) under tmux with ARGS,
# press KEYS (sleep:N waits N s), and render the frame to PNG with aha and headless
# Chromium (Debian packages tmux, aha, chromium, fonts-wqy-microhei).
set -e
out=$1; cols=$2; rows=$3; shift 3; args=$1; shift
tmux kill-server 2>/dev/null || true; sleep 0.2
rm -rf /tmp/xdgsnap
tmux new-session -d -x $cols -y $rows -e XDG_STATE_HOME=/tmp/xdgsnap -e TERM=xterm-256color "${FINWAIT:-finwait} $args"
sleep 1
for k in "$@"; do
  case $k in sleep:*) sleep ${k#sleep:};; *) tmux send-keys "$k"; sleep 0.25;; esac
done
tmux capture-pane -e -p > /tmp/snap.ans
aha --black --no-header < /tmp/snap.ans > /tmp/snap-body.html
{ echo '<!doctype html><html><head><meta charset="utf-8"><style>body{margin:0;background:#111}pre{margin:0;padding:14px 18px;font-family:"DejaVu Sans Mono","WenQuanYi Micro Hei Mono",monospace;font-size:15px;line-height:1.2;color:#ddd;background:#111;display:inline-block}</style></head><body><pre>'; cat /tmp/snap-body.html; echo '</pre></body></html>'; } > /tmp/snap.html
w=$((cols*9+40)); h=$((rows*18+32))
chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking --disable-component-update --disable-sync --user-data-dir=/tmp/chr --hide-scrollbars --window-size=$w,$h --screenshot=$out file:///tmp/snap.html >/dev/null 2>&1
tmux kill-server 2>/dev/null || true
