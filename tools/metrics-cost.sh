#!/bin/sh
# metrics-cost.sh BIN ROUNDS N : the cost of metrics on ticket creation over
# HTTP. Starts the served binary twice on fresh SQLite desks, one with
# --metrics-addr (every counter, the store decorator and the request
# histogram on) and one without (nothing measured), then alternates ROUNDS
# rounds of N POST /api/v1/tickets on each (tools/httpbench.sh DATA mode,
# one kept-alive connection), so that the machine's load falls on both
# alike (each goes first in every other round). Prints each round's medians
# and the server's CPU time per ticket (user + system, from /proc/PID/stat,
# which other processes' load disturbs far less than latency), then the
# median of the rounds' on/off ratios of both.
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
  echo $! > "$dir/$name.pid"
}
cpu() { awk '{print $14 + $15}' "/proc/$(cat "$dir/$1.pid")/stat"; } # clock ticks
start off 18481
start on 18482 --metrics-addr 127.0.0.1:18483
trap 'kill $pids; rm -rf "$dir"' EXIT
sleep 3
for r in $(seq 1 "$rounds"); do
  order="off on"; [ $((r % 2)) = 0 ] && order="on off" # neither side always goes first
  for side in $order; do
    port=18481; [ $side = on ] && port=18482
    before=$(cpu $side)
    med=$(DATA="$dir/body.json" TOKEN=$(cat "$dir/$side.token") sh "$here/httpbench.sh" "http://127.0.0.1:$port" - - "$n" /api/v1/tickets |
      awk '{for (i=1;i<=NF;i++) if ($i=="median") print $(i+1)}')
    after=$(cpu $side)
    # n + 3 requests (httpbench's warm-ups); ticks of 1/100 s -> ms a ticket
    echo "$r $side $med $(awk -v a="$after" -v b="$before" -v n="$n" 'BEGIN {printf "%.3f", (a - b) * 10 / (n + 3)}')"
  done
done | tee "$dir/rounds" | awk '{print "round " $1 " " $2 " median " $3 " ms, server CPU " $4 " ms a ticket"}'
for col in 3 4; do
  what="latency median"; [ $col = 4 ] && what="server CPU a ticket"
  awk -v c=$col '$2=="off"{off[$1]=$c} $2=="on"{on[$1]=$c} END {for (r in off) if (off[r] > 0) print on[r]/off[r]}' "$dir/rounds" | sort -n |
    awk -v w="$what" '{x[NR]=$1} END {m=x[int((NR+1)/2)]; printf "%s: median ratio on/off over %d rounds: %.4f (%+.2f%%)\n", w, NR, m, (m-1)*100}'
done
awk '$2=="off"{off+=$4} $2=="on"{on+=$4} END {printf "server CPU a ticket, all rounds: on %.3f ms, off %.3f ms, ratio %.4f (%+.2f%%)\n", on/(NR/2), off/(NR/2), on/off, (on/off-1)*100}' "$dir/rounds"
curl -s http://127.0.0.1:18483/metrics | grep '^tierdesk_tickets_created_total'
