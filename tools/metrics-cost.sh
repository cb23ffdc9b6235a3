#!/bin/sh
# metrics-cost.sh BIN ROUNDS N : the cost of metrics on ticket creation over
# HTTP. Starts the served binary twice on fresh SQLite desks, one with
# --metrics-addr (every counter, the store decorator and the request
# histogram on) and one without (nothing measured), then alternates ROUNDS
# rounds of N POST /api/v1/tickets on each (tools/httpbench.sh DATA mode,
# one kept-alive connection), so that the machine's load falls on both
# alike (each goes first in every other round). Prints each round's medians and the median of the rounds' ratios.
set -e
bin=$1 rounds=$2 n=$3
dir=$(mktemp -d /tmp/obs-metrics-cost.XXXXXX)
here=$(dirname "$0")
cat > "$dir/body.json" <<'JSON'
{"type":"incident","title":"Printer on floor 3 jams","description":"Paper jams on every job","channel":"phone","requester":{"email":"sam@example.com"},"impact":"medium","urgency":"medium"}
JSON
pids=""
start() { # name port extra-args...
  name=$1 port=$2; shift 2
  "$bin" user add --data "$dir/$name" --email "l1@example.com" --name "Lena" --group 1 --token 2>/dev/null | tail -1 > "$dir/$name.token"
  "$bin" serve --data "$dir/$name" --addr "127.0.0.1:$port" "$@" 2>"$dir/$name.log" &
  pids="$pids $!"
}
start off 18481
start on 18482 --metrics-addr 127.0.0.1:18483
trap 'kill $pids; rm -rf "$dir"' EXIT
sleep 3
for r in $(seq 1 "$rounds"); do
  order="off on"; [ $((r % 2)) = 0 ] && order="on off" # neither side always goes first
  for side in $order; do
    port=18481; [ $side = on ] && port=18482
    DATA="$dir/body.json" TOKEN=$(cat "$dir/$side.token") sh "$here/httpbench.sh" "http://127.0.0.1:$port" - - "$n" /api/v1/tickets |
      awk -v s=$side -v r="$r" '{for (i=1;i<=NF;i++) if ($i=="median") print r, s, $(i+1)}'
  done
done | tee "$dir/rounds" | awk '{print "round " $1 " " $2 " median " $3 " ms"}'
awk '$2=="off"{off[$1]=$3} $2=="on"{on[$1]=$3} END {for (r in off) print on[r]/off[r]}' "$dir/rounds" | sort -n |
  awk '{x[NR]=$1} END {m=x[int((NR+1)/2)]; printf "median ratio on/off over %d rounds: %.4f (%+.2f%%)\n", NR, m, (m-1)*100}'
curl -s http://127.0.0.1:18483/metrics | grep '^tierdesk_tickets_created_total'
