#!/bin/sh
# httpbench.sh BASE EMAIL PASSWORD N PATH... : signs in through the login
# form, then GETs each PATH N times (after 3 warm-ups) and prints the median,
# p95 and max of the total time (curl's time_total) and the HTTP status.
#
# With DATA=FILE and TOKEN=API-TOKEN it POSTs FILE as JSON to each PATH
# instead (EMAIL and PASSWORD are ignored; pass -), N times in one curl
# process over one kept-alive connection, so that curl's start-up is not
# in the figures: e.g. ticket creation, POST /api/v1/tickets.
set -e
base=$1 email=$2 pass=$3 n=$4; shift 4
if [ -n "$DATA" ]; then
  for path in "$@"; do
    urls=$(i=0; while [ $i -lt $((n + 3)) ]; do echo "-o /dev/null $base$path"; i=$((i+1)); done)
    # shellcheck disable=SC2086
    curl -s -w '%{http_code} %{time_total}\n' -H "Authorization: Bearer $TOKEN" \
      -H 'Content-Type: application/json' --data-binary "@$DATA" $urls | tail -n "$n" |
      sort -k2 -n | awk -v p="POST $path" '{a[NR]=$2; s[$1]++} END {st=""; for (c in s) st=st c "x" s[c] " ";
        printf "%s status %sn=%d median %.2f ms p95 %.2f ms max %.2f ms\n", p, st, NR, a[int(NR/2)+1]*1000, a[int(NR*0.95+0.999)]*1000, a[NR]*1000}'
  done
  exit 0
fi
jar=$(mktemp)
csrf=$(curl -s -c "$jar" -b "$jar" "$base/login" | sed -n 's/.*name="csrf" value="\([^"]*\)".*/\1/p' | head -1)
curl -s -o /dev/null -c "$jar" -b "$jar" --data-urlencode "csrf=$csrf" --data-urlencode "email=$email" \
  --data-urlencode "password=$pass" --data-urlencode "next=/tickets" "$base/login"
for path in "$@"; do
  for i in 1 2 3; do curl -s -o /dev/null -b "$jar" "$base$path"; done
  status=$(curl -s -o /dev/null -w '%{http_code}' -b "$jar" "$base$path")
  i=0; : > "$jar.t"
  while [ $i -lt "$n" ]; do
    curl -s -o /dev/null -w '%{time_total}\n' -b "$jar" "$base$path" >> "$jar.t"; i=$((i+1))
  done
  sort -n "$jar.t" | awk -v p="$path" -v s="$status" '{a[NR]=$1} END {printf "%s status %s n=%d median %.1f ms p95 %.1f ms max %.1f ms\n", p, s, NR, a[int(NR/2)+1]*1000, a[int(NR*0.95+0.999)]*1000, a[NR]*1000}'
done
rm -f "$jar" "$jar.t"
