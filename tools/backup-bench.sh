#!/bin/sh
# backup-bench.sh BIN DATA [SECONDS] : what `tierdesk backup` costs a desk
# that keeps serving. Serves the SQLite desk in DATA (for example one made
# by `tierdesk dev generate --tickets 1000000`), then runs two probes
# against it — an agent's ticket list (GET /api/v1/tickets) and a ticket
# creation (POST /api/v1/tickets), each in a loop of its own — for SECONDS
# (default 20) before the backup, during `tierdesk backup --to FILE`, and
# SECONDS after. Prints the backup's wall time and archive size, and each
# probe's median, p99 and worst latency before, during and after.
set -e
bin=$1 data=$2 secs=${3:-20}
port=18491
dir=$(mktemp -d /tmp/backup-bench.XXXXXX)
cat > "$dir/body.json" <<'JSON'
{"type":"incident","title":"Printer on floor 3 jams","description":"Paper jams on every job","channel":"phone","requester":{"email":"sam@example.com"},"impact":"medium","urgency":"medium"}
JSON
"$bin" user add --data "$data" --email "bench-$$@example.com" --name "Bench" --group 1 --token 2>/dev/null | tail -1 > "$dir/token"
token=$(cat "$dir/token")
"$bin" serve --data "$data" --addr "127.0.0.1:$port" 2>"$dir/serve.log" &
server=$!
trap 'kill $server $probes 2>/dev/null; rm -rf "$dir"' EXIT
i=0
until curl -sf -o /dev/null "http://127.0.0.1:$port/readyz"; do
	i=$((i + 1)); [ $i -gt 600 ] && { echo "server did not become ready" >&2; exit 1; }; sleep 0.1
done

now_ms() { date +%s%3N; }
probe() { # name curl-args...: one line "epoch-ms seconds status" a request
	name=$1; shift
	while :; do
		t=$(now_ms)
		curl -s -o /dev/null -w "$t %{time_total} %{http_code}\n" -H "Authorization: Bearer $token" "$@" >> "$dir/$name"
	done
}
probe list "http://127.0.0.1:$port/api/v1/tickets?state=open&limit=50" &
probes=$!
probe create -H 'Content-Type: application/json' --data-binary "@$dir/body.json" "http://127.0.0.1:$port/api/v1/tickets" &
probes="$probes $!"

sleep "$secs"
start=$(now_ms)
"$bin" backup --data "$data" --to "$dir/desk.backup" > "$dir/backup.out" 2>&1 || { cat "$dir/backup.out" >&2; exit 1; }
end=$(now_ms)
sleep "$secs"
kill $probes 2>/dev/null; wait $probes 2>/dev/null || true

echo "backup: $(awk -v s="$start" -v e="$end" 'BEGIN {printf "%.1f s", (e - s) / 1000}'), archive $(du -h "$dir/desk.backup" | cut -f1)"
for name in list create; do
	for phase in before during after; do
		awk -v s="$start" -v e="$end" -v p=$phase '
			(p == "before" && $1 < s) || (p == "during" && $1 >= s && $1 <= e) || (p == "after" && $1 > e) {
				print $2 * 1000, ($3 ~ /^2/ ? 0 : 1) }' "$dir/$name" | sort -n |
			awk -v w="$name $phase" '{ a[++n] = $1; bad += $2 }
				END { if (n == 0) { printf "%-14s no requests\n", w; exit }
					printf "%-14s n=%d median %.1f ms p99 %.1f ms worst %.1f ms non-2xx %d\n",
						w, n, a[int(n / 2) + 1], a[int(n * 0.99 + 0.999)], a[n], bad }'
	done
done
