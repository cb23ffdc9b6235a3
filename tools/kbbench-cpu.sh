#!/bin/sh
# kbbench-cpu.sh BIN (--data DIR | --database URL) : Tierdesk's own CPU
# (utime + stime of the served process, start-up and 2 warm-ups left out)
# for 60 searches of each query of tools/kbbench.sh over HTTP with curl, on a
# desk filled by tools/kbgen. Same work for every binary, so two binaries
# run in turn (before, after, after, before) compare by their CPU even on a
# loaded machine, where latencies do not:
#   TOKEN=$T flock /tmp/heavy.lock nice -n 10 tools/kbbench-cpu.sh /tmp/td-before --data /tmp/kbdesk-a
# TOKEN is an API token of the desk (staff).
set -e
bin=$1 where=$2 place=$3 addr=127.0.0.1:18695
[ -n "$TOKEN" ] || { echo "kbbench-cpu.sh: set TOKEN" >&2; exit 2; }
"$bin" serve --addr "$addr" "$where" "$place" >/dev/null 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null' EXIT
i=0; until curl -sf -o /dev/null "http://$addr/healthz" || [ $i -ge 100 ]; do sleep 0.1; i=$((i+1)); done
get() { curl -sf -o /dev/null -H "Authorization: Bearer $TOKEN" "http://$addr/api/v1/articles?q=$1"; }
get printer; get please
t0=$(awk '{print $14 + $15}' /proc/$pid/stat)
for q in printer laptop 'password+reset' access '%D0%BF%D1%80%D0%B8%D0%BD%D1%82%D0%B5%D1%80%D1%8B' please 'visual+studio+license' zzzunknown; do
  n=0; while [ $n -lt 60 ]; do get "$q"; n=$((n+1)); done
done
t1=$(awk '{print $14 + $15}' /proc/$pid/stat)
echo "$bin: $(( (t1 - t0) * 1000 / $(getconf CLK_TCK) )) ms of CPU for 480 searches"
