#!/bin/bash
# tools/statusbench.sh: the public status page under load, as its visitors
# meet it (issue 15). Builds the binary and tools/statusbench, starts
# `tierdesk serve` on a fresh SQLite desk, sets the page up through the API
# and the CLI (four components, an incident declared major and published
# with a component in partial outage), then loads GET /status at 1,000
# requests a second from 8 clients for DURATION while 20 tickets a second
# are created through the API, and prints the latencies and the server's
# CPU time (utime + stime from /proc) over the run.
#
#   tools/statusbench.sh [ROUNDS] [DURATION]     (defaults: 3 rounds of 30s)
set -euo pipefail
rounds=${1:-3}
duration=${2:-30s}
port=18431
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$(dirname "$0")/.."
go build -o "$work/tierdesk" ./cmd/tierdesk
go build -o "$work/statusbench" ./tools/statusbench
td=$work/tierdesk
export TIERDESK_SERVER=http://127.0.0.1:$port
api() { curl -sf -X "$1" -H "Authorization: Bearer $TIERDESK_TOKEN" -H 'Content-Type: application/json' "$TIERDESK_SERVER/api/v1$2" -d "$3"; }
field() { python3 -c "import json,sys; print(json.load(sys.stdin)['$1'])"; }
for round in $(seq "$rounds"); do
	rm -rf "$work/desk"
	TIERDESK_TOKEN=$("$td" user add --data "$work/desk" --email admin@example.com --name Admin --role admin --token | tail -1)
	export TIERDESK_TOKEN
	"$td" serve --data "$work/desk" --addr 127.0.0.1:$port >"$work/serve.log" 2>&1 &
	srv=$!
	for _ in $(seq 50); do curl -sf "$TIERDESK_SERVER/readyz" >/dev/null && break; sleep 0.2; done
	mail=$(api POST /status-components '{"name":"Mail delivery"}' | field id)
	api POST /status-components '{"name":"VPN"}' >/dev/null
	api POST /status-components '{"name":"Web portal"}' >/dev/null
	api POST /status-components '{"name":"Printing","group":"Office"}' >/dev/null
	ticket=$(api POST /tickets '{"type":"incident","title":"Relay mx3 full","description":"the mail queue grows","impact":"high","urgency":"high","requester":{"email":"boris@example.com"}}' | field number)
	major=$("$td" major declare "$ticket" --commander 1 --json | field id)
	"$td" major publish "$major" --name "Mail is slow" --body "Some mail is late." --component "$mail=partial_outage" >/dev/null
	for _ in $(seq 50); do curl -s "$TIERDESK_SERVER/status" | grep -q "Mail is slow" && break; sleep 0.2; done
	echo "round $round: $(uptime)"
	before=$(awk '{print $14 + $15}' /proc/$srv/stat)
	"$work/statusbench" -base "$TIERDESK_SERVER" -rate 1000 -clients 8 -duration "$duration" -creates 20
	after=$(awk '{print $14 + $15}' /proc/$srv/stat)
	echo "server CPU during the run: $(( (after - before) * 10 )) ms; $(uptime)"
	kill "$srv"
	wait "$srv" || true
done
