#!/usr/bin/env bash
# `hotline serve` and the hot-topics index snapshot, as a real process: the first start loads
# the index in full and SIGTERM writes the snapshot; the next start loads from it (faster);
# a damaged snapshot is ignored with a line saying why and the index is built in full; and
# SIGTERM in the middle of a full load stops the server promptly without a snapshot.
source "$(dirname "$0")/lib.sh" "$1"

SNAP="$DIR/h.db.hot-snapshot"
check demo 0 "$HOTLINE" demo "${S[@]}" --tickets "${HOT_SNAPSHOT_TICKETS:-1500}" --days 10 --seed 11

PID=""
start() {  # start LOG: serve in the background, waits until it listens
  "$HOTLINE" serve "${S[@]}" --listen 127.0.0.1:0 --jobs-interval 0 >"$1" 2>&1 &
  PID=$!
  for _ in $(seq 1 600); do
    grep -q "hotline 已启动" "$1" && return 0
    kill -0 "$PID" 2>/dev/null || break
    sleep 0.1
  done
  echo "FAIL serve did not start"; cat "$1"; failures=$((failures + 1)); return 1
}
wait_for() {  # wait_for LOG NEEDLE SECONDS
  for _ in $(seq 1 $(($3 * 10))); do
    grep -q "$2" "$1" && return 0
    sleep 0.1
  done
  return 1
}
stop() {  # stop: SIGTERM, then the seconds it took to exit (in $STOP_S) and its status
  local t0 t1
  t0=$(date +%s.%N)
  kill -TERM "$PID"
  wait "$PID"
  STATUS=$?
  t1=$(date +%s.%N)
  STOP_S=$(python3 -c "print(round($t1 - $t0, 2))")
}
ok() { passes=$((passes + 1)); }
bad() { echo "FAIL $1"; failures=$((failures + 1)); }
seconds_of() {  # the load time that the ready line states
  sed -n 's/.*热点索引已就绪.*用时 \([0-9.]*\) 秒.*/\1/p' "$1" | tail -1
}

# 1. No snapshot yet: a full load; SIGTERM once ready writes the snapshot.
start "$DIR/serve1.log" || exit 1
if wait_for "$DIR/serve1.log" "热点索引已就绪（全量加载）" 600; then ok; else bad "full load never ready"; cat "$DIR/serve1.log"; fi
FULL_S=$(seconds_of "$DIR/serve1.log")
stop
[[ "$STATUS" -eq 0 ]] && ok || bad "serve exited $STATUS"
[[ -s "$SNAP" ]] && ok || bad "no snapshot written at shutdown"
grep -q "未使用" "$DIR/serve1.log" && bad "a missing snapshot is not worth a warning" || ok

# 2. From the snapshot: ready, no full load, and faster.
start "$DIR/serve2.log" || exit 1
if wait_for "$DIR/serve2.log" "热点索引已就绪（快照" 600; then ok; else bad "snapshot load never ready"; cat "$DIR/serve2.log"; fi
SNAP_S=$(seconds_of "$DIR/serve2.log")
# How long each took is printed, not asserted: timings belong to bench/hot, and a busy
# machine may make a small snapshot load as slow as the full one.
echo "full load ${FULL_S}s, from the snapshot ${SNAP_S}s"
grep -q "热点索引已就绪（全量加载）" "$DIR/serve2.log" && bad "a full load despite the snapshot" || ok
stop

# 3. A damaged snapshot: said, ignored, built in full.
python3 -c "
import sys
p = sys.argv[1]
b = bytearray(open(p, 'rb').read())
b[len(b) // 2] ^= 0x55
open(p, 'wb').write(bytes(b))
" "$SNAP"
start "$DIR/serve3.log" || exit 1
if wait_for "$DIR/serve3.log" "热点索引已就绪（全量加载）" 600; then ok; else bad "no full load after a damaged snapshot"; cat "$DIR/serve3.log"; fi
grep -q "未使用（校验和不符" "$DIR/serve3.log" && ok || bad "the damaged snapshot was not reported"
stop
[[ "$STATUS" -eq 0 ]] && ok || bad "serve exited $STATUS"

# 4. SIGTERM while the index is being loaded in full: prompt exit, no snapshot.
rm -f "$SNAP"
if python3 -c "import sys; sys.exit(0 if float('$FULL_S') >= 1.0 else 1)"; then
  start "$DIR/serve4.log" || exit 1
  sleep 0.3
  stop
  grep -q "热点索引已就绪" "$DIR/serve4.log" && bad "the load finished before SIGTERM (${FULL_S}s)" || ok
  [[ "$STATUS" -eq 0 ]] && ok || bad "serve exited $STATUS after SIGTERM mid-load"
  # Promptness is not timed here: had the stop waited for the load, the load would have
  # said it was ready and the loaded index would have written its snapshot (both checked).
  echo "full load ${FULL_S}s, stopped mid-load in ${STOP_S}s"
  [[ -e "$SNAP" ]] && bad "a snapshot was written by an unfinished load" || ok
else
  echo "SKIP mid-load SIGTERM: the full load took ${FULL_S}s, too short to stop in the middle"
fi

finish hot_snapshot_test
