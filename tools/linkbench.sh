#!/bin/sh
# linkbench.sh BIN (--data DIR | --database URL) NUMBERS ADDR : links
# incidents to a new problem over HTTP against the served binary, one
# request per incident (POST /api/v1/problems/{id}/incidents), and prints
# p50/p95/max of the timed requests (issue 12: linking at 1M tickets).
# NUMBERS is a file of open incident numbers not linked to any problem,
# one a line; the first 10 warm up and are not timed. For example, on a
# desk made by `tierdesk dev generate --tickets 1000000`:
#   sqlite3 DIR/tierdesk.db "SELECT number FROM tickets t WHERE type='incident'
#     AND state NOT IN ('resolved','closed','canceled') AND NOT EXISTS
#     (SELECT 1 FROM problem_incidents p WHERE p.ticket_id = t.id) ORDER BY random() LIMIT 210" > nums
#   tools/linkbench.sh ./tierdesk --data DIR nums 127.0.0.1:18611
set -e
bin=$1 where=$2 place=$3 nums=$4 addr=$5
times=$(mktemp)
token=$("$bin" user add --email "linkbench-$(date +%s%N)@example.com" --name "Link bench" --role admin --token "$where" "$place" | tail -n 1)
"$bin" serve --addr "$addr" "$where" "$place" >/tmp/linkbench-serve.log 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null; rm -f "$times"' EXIT
i=0; until curl -sf -o /dev/null "http://$addr/healthz" || [ $i -ge 300 ]; do sleep 0.1; i=$((i+1)); done
api() { curl -s -H "Authorization: Bearer $token" -H 'Content-Type: application/json' "$@"; }
problem=$(api -d '{"title":"Link bench problem","impact":"medium"}' "http://$addr/api/v1/problems" |
  python3 -c 'import json, sys; print(json.load(sys.stdin)["id"])')
head -n 10 "$nums" | while read -r n; do
  api -o /dev/null -d "{\"tickets\":[\"$n\"]}" "http://$addr/api/v1/problems/$problem/incidents"
done
tail -n +11 "$nums" | while read -r n; do
  api -o /dev/null -w '%{http_code} %{time_total}\n' -d "{\"tickets\":[\"$n\"]}" "http://$addr/api/v1/problems/$problem/incidents"
done >"$times"
python3 - "$times" <<'PY'
import sys
rows = [l.split() for l in open(sys.argv[1])]
codes = {}
for c, _ in rows:
    codes[c] = codes.get(c, 0) + 1
ms = sorted(float(t) * 1000 for _, t in rows)
at = lambda p: ms[min(len(ms) - 1, int(p * len(ms)))]
print(f"links {len(ms)} status {codes} p50 {at(0.5):.1f} ms p95 {at(0.95):.1f} ms max {ms[-1]:.1f} ms")
PY
