#!/bin/sh
# httpbench.sh BASE EMAIL PASSWORD N PATH... : signs in through the login
# form, then GETs each PATH N times (after 3 warm-ups) and prints the median,
# p95 and max of the total time (curl's time_total) and the HTTP status.
set -e
base=$1 email=$2 pass=$3 n=$4; shift 4
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
