#!/bin/sh
# kbbench-ab.sh BEFORE AFTER (--data DIR | --database URL) : the article
# search of tools/kbbench.sh timed for two binaries in one run, on two
# copies of one desk filled by tools/kbgen (DIR-a, DIR-b / URL's database
# with _a, _b appended, made by the caller), in the order BEFORE, AFTER,
# AFTER, BEFORE so that a drift of the machine's load weighs on both:
#   flock /tmp/heavy.lock nice -n 10 tools/kbbench-ab.sh /tmp/td-before /tmp/td-after --data /tmp/kbdesk
set -e
before=$1 after=$2 where=$3 place=$4
deskbench=${DESKBENCH:-/tmp/deskbench}
paths=""
for q in printer laptop 'password+reset' access '%D0%BF%D1%80%D0%B8%D0%BD%D1%82%D0%B5%D1%80%D1%8B' please 'visual+studio+license' zzzunknown; do
  paths="$paths /api/v1/articles?q=$q"
done
copy() { # copy a|b: the desk of that side
  if [ "$where" = --data ]; then echo "-data $place-$1"; else echo "-database $(echo "$place" | sed "s|/\([a-z0-9_]*\)?|/\1_$1?|")"; fi
}
for side in before:a after:b after:b before:a; do
  bin=$before; [ "${side%%:*}" = after ] && bin=$after
  echo "== ${side%%:*} ($bin) load $(cut -d' ' -f1-3 /proc/loadavg)"
  "$deskbench" -bin "$bin" $(copy "${side#*:}") -addr 127.0.0.1:18592 -get "$paths" -clients 1 -warmup ${WARMUP:-1s} -duration ${DURATION:-3s}
done
