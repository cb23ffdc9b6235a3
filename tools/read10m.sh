#!/bin/bash
# Reads at 10M over HTTP (issue 17): every console queue, the console, the dashboard,
# the tickets list with filters and sorts, search, the ticket page; 1 client then 8.
# usage (from the repository root): tools/read10m.sh BIN DATA CLIENTS DURATION
# DATA is a SQLite desk directory (dev generate), whose ticket and agent sqlite3 (Debian)
# picks, or a PostgreSQL desk's postgres:// URL, picked with psql.
BIN=$1; DATA=$2; C=${3:-1}; D=${4:-5s}
case $DATA in
postgres://* | postgresql://*)
  sql() { psql "$DATA" -Atc "$1"; }
  WHERE="-database $DATA"; SIZE=$(sql "select pg_size_pretty(pg_database_size(current_database()))") ;;
*)
  sql() { sqlite3 "$DATA/tierdesk.db" "$1"; }
  WHERE="-data $DATA"; SIZE=$(du -sh "$DATA" | cut -f1) ;;
esac
REF=$(sql "select number from tickets where id = (select max(id)/2 from tickets)")
OPENREF=$(sql "select number from tickets where state='in_progress' order by id desc limit 1")
AGENT=$(sql "select assignee_id from tickets where assignee_id is not null order by id desc limit 1")
P="/console /console/queues/mine /console/queues/groups /console/queues/unassigned /console/queues/about_to_breach /console/queues/breached /console/queues/on_hold /console/dashboard"
P="$P /tickets /tickets?state=open /tickets?state=open&sort=priority /tickets?state=resolved&sort=updated /tickets?group=2&sort=updated /tickets?assignee=$AGENT&state=open /tickets?priority=P1&sort=created /tickets?category=3 /tickets?q=printer /tickets?q=printer&state=open&group=1"
P="$P /tickets/$REF /tickets/$OPENREF ${EXTRA:-}"
[ -n "${ONLY:-}" ] && P=$ONLY   # ONLY="/console /tickets?…": just these; EXTRA: these besides; ADDR: where to serve
echo "desk $SIZE, ref $REF $OPENREF agent $AGENT, load $(cut -d' ' -f1 /proc/loadavg)"
go run ./tools/deskbench -bin $BIN $WHERE -addr ${ADDR:-127.0.0.1:18590} -web -clients $C -duration $D -warmup 1s -get "$P"
