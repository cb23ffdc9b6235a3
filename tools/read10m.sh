#!/bin/bash
# Reads at 10M over HTTP (issue 17): every console queue, the console, the dashboard,
# the tickets list with filters and sorts, search, the ticket page; 1 client then 8.
# usage (from the repository root): tools/read10m.sh BIN DATA CLIENTS DURATION
# DATA is a SQLite desk (dev generate); sqlite3 (Debian) picks a ticket and an agent of it.
BIN=$1; DATA=$2; C=${3:-1}; D=${4:-5s}
DB=$DATA/tierdesk.db
REF=$(sqlite3 $DB "select number from tickets where id = (select max(id)/2 from tickets)")
OPENREF=$(sqlite3 $DB "select number from tickets where state='in_progress' order by id desc limit 1")
AGENT=$(sqlite3 $DB "select assignee_id from tickets where assignee_id is not null order by id desc limit 1")
P="/console /console/queues/mine /console/queues/groups /console/queues/unassigned /console/queues/about_to_breach /console/queues/breached /console/queues/on_hold /console/dashboard"
P="$P /tickets /tickets?state=open /tickets?state=open&sort=priority /tickets?state=resolved&sort=updated /tickets?group=2&sort=updated /tickets?assignee=$AGENT&state=open /tickets?priority=P1&sort=created /tickets?category=3 /tickets?q=printer /tickets?q=printer&state=open&group=1"
P="$P /tickets/$REF /tickets/$OPENREF"
echo "desk $(du -sh $DATA | cut -f1), ref $REF $OPENREF agent $AGENT, load $(cut -d' ' -f1 /proc/loadavg)"
go run ./tools/deskbench -bin $BIN -data $DATA -web -clients $C -duration $D -warmup 1s -get "$P"
