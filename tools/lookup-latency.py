#!/usr/bin/env python3
# The requester lookup as you type, against a served tierdesk (docs/benchmarks.md).
# usage: python3 tools/lookup-latency.py HOST:PORT TOKEN — every prefix of what agents type, 3 rounds (the first warms up),
# over one kept-alive HTTP connection, as the form's script does; prints client-side percentiles.
import http.client, sys, time, urllib.parse
typed = ["anna ivanova", "Сергей Морозов", "pavel sokolov", "user01234@corp", "+7 495 123-45", "corp.example",
         "kim walker", "initech", "zzzz", "anna zzzz", "ольга нов", "e.popova"]
c = http.client.HTTPConnection(sys.argv[1]); hdr = {"Authorization": "Bearer " + sys.argv[2]}
v = []
for rnd in range(3):
    for s in typed:
        for n in range(1, len(s) + 1):
            t0 = time.perf_counter()
            c.request("GET", "/api/v1/requesters?q=" + urllib.parse.quote(s[:n]), headers=hdr)
            r = c.getresponse(); r.read()
            assert r.status == 200, (s[:n], r.status)
            if rnd: v.append((time.perf_counter() - t0) * 1000)
v.sort(); p = lambda q: v[int(q * (len(v) - 1))]
print("n=%d p50=%.2fms p95=%.2fms p99=%.2fms max=%.2fms" % (len(v), p(.5), p(.95), p(.99), v[-1]))
