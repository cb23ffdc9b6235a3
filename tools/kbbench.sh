#!/bin/sh
# kbbench.sh BIN (--data DIR | --database URL) N : the article search over
# HTTP against the served binary (issue 12). Fills the desk with N
# published articles through the API (tools/kbgen: ordinary writes, not a
# bulk load), then times GET /api/v1/articles?q=... for each search of
# storetest.ArticleQueries with one client for 5 s each (tools/deskbench,
# which starts `BIN serve` itself): latency p50/p95/p99/max a query.
#   go build -o /tmp/td ./cmd/tierdesk && go build -o /tmp/kbgen ./tools/kbgen && go build -o /tmp/deskbench ./tools/deskbench
#   flock /tmp/heavy.lock nice -n 10 tools/kbbench.sh /tmp/td --data /tmp/kbdesk 10000
# KBGEN and DESKBENCH name the built tools (default /tmp/kbgen, /tmp/deskbench);
# CSV the ticket texts (default ../shared/data/ticket-text/train.csv.gz).
set -e
bin=$1 where=$2 place=$3 n=$4
kbgen=${KBGEN:-/tmp/kbgen} deskbench=${DESKBENCH:-/tmp/deskbench}
texts=${CSV:-../shared/data/ticket-text/train.csv.gz}
addr=127.0.0.1:18591
token=$("$bin" user add --email "kbbench-$(date +%s%N)@example.com" --name "KB bench" --role admin --token "$where" "$place" | tail -n 1)
"$bin" serve --addr "$addr" "$where" "$place" >/tmp/kbbench-serve.log 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null' EXIT
i=0; until curl -sf -o /dev/null "http://$addr/healthz" || [ $i -ge 100 ]; do sleep 0.1; i=$((i+1)); done
"$kbgen" -base "http://$addr" -token "$token" -csv "$texts" -n "$n"
kill $pid; wait $pid 2>/dev/null || true
trap - EXIT
where_flag=-data; [ "$where" = --database ] && where_flag=-database
for q in printer laptop 'password+reset' access '%D0%BF%D1%80%D0%B8%D0%BD%D1%82%D0%B5%D1%80%D1%8B' please 'visual+studio+license' zzzunknown; do
  "$deskbench" -bin "$bin" "$where_flag" "$place" -addr "$addr" -get "/api/v1/articles?q=$q" -clients 1 -warmup 1s -duration 5s |
    sed "s|^|q=$q: |"
done
