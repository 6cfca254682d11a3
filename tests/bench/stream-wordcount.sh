#!/usr/bin/env bash
# The seed's word count as a streaming job, measured (not a test): words per
# second `apim job run` sustains from a socket on one core, against a plain
# single-threaded C word counter (split on ' ', hash count) over the same
# text, the ratio of the two (target >= 0.5), and the time from starting the
# job to its first printed batch.
#   tests/bench/stream-wordcount.sh [MB]      (default 50)
# Uses $APIM (default build/runtime/cli/apim), python3 and cc.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
apim=${APIM:-$root/build/runtime/cli/apim}
mb=${1:-50}
work=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# The text: lines of 10 words from a 5000-word vocabulary (deterministic).
python3 - "$work/text" "$mb" <<'PY'
import random, sys
random.seed(1)
vocab = ["w%d" % i for i in range(5000)]
out, target = open(sys.argv[1], "w"), int(sys.argv[2]) << 20
size = 0
while size < target:
    line = " ".join(random.choice(vocab) for _ in range(10)) + "\n"
    out.write(line)
    size += len(line)
PY
lines=$(wc -l <"$work/text")
words=$((lines * 10))

# The baseline: read lines, split on ' ', count in an open-addressing table.
cat >"$work/wc.c" <<'C'
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#define N (1 << 16)
static char *keys[N]; static long counts[N];
int main(void) {
    char *line = NULL; size_t cap = 0; ssize_t n; long words = 0;
    while ((n = getline(&line, &cap, stdin)) > 0) {
        if (line[n - 1] == '\n') line[--n] = 0;
        for (char *p = line, *e; ; p = e + 1) {
            e = strchr(p, ' '); size_t l = e ? (size_t)(e - p) : strlen(p);
            unsigned long h = 1469598103934665603ul;
            for (size_t i = 0; i < l; i++) h = (h ^ (unsigned char)p[i]) * 1099511628211ul;
            size_t s = h & (N - 1);
            while (keys[s] && (strlen(keys[s]) != l || memcmp(keys[s], p, l))) s = (s + 1) & (N - 1);
            if (!keys[s]) keys[s] = strndup(p, l);
            counts[s]++; words++;
            if (!e) break;
        }
    }
    fprintf(stderr, "%ld\n", words);
    return 0;
}
C
cc -O2 -o "$work/wc" "$work/wc.c"
t0=$(date +%s.%N)
"$work/wc" <"$work/text" 2>/dev/null
t1=$(date +%s.%N)
c_rate=$(python3 -c "print(int($words / ($t1 - $t0)))")

# The job: a data server that sends the text once the job connects.
src=$(free_port) serve=$(free_port)
python3 - "$work/text" "$src" <<'PY' &
import socket, sys, time
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", int(sys.argv[2]))); s.listen(1)
c, _ = s.accept()
with open(sys.argv[1], "rb") as f:
    c.sendall(f.read())
time.sleep(3600)
PY
pids+=($!)
sleep 0.3
cat >"$work/wc.json" <<JSON
{"batchInterval":1000,"sources":[{"name":"lines","type":"socketText","host":"127.0.0.1","port":$src}],
 "pipeline":[{"op":"flatMap","split":" "},{"op":"map","pair":{"key":"\$","value":1}},
             {"op":"reduceByKey","func":"sum"}],
 "outputs":[{"type":"print","num":10},{"type":"serve","listen":"127.0.0.1:$serve","retain":10}],
 "rate":{"queueCapacity":10000000}}
JSON
start=$(date +%s.%N)
taskset -c 0 "$apim" job run --definition "$work/wc.json" >"$work/out" 2>"$work/err" &
job=$!
pids+=($job)
until grep -q '^Time: ' "$work/out" 2>/dev/null; do sleep 0.01; done
first=$(python3 -c "print(round($(date +%s.%N) - $start, 3))")
# Done when the source's offset reaches every line.
until curl -s "http://127.0.0.1:$serve/status" | python3 -c "
import json,sys; s=json.load(sys.stdin); sys.exit(0 if s['sources'][0]['offset'] >= $lines else 1)" 2>/dev/null
do sleep 0.05; done
end=$(date +%s.%N)
elapsed=$(python3 -c "print(round($end - $start, 3))")
# CPU seconds the job used (utime + stime): what one core sustains, without
# the waits for batch times that dominate a run this short.
cpu=$(python3 -c "
import os; f=open('/proc/$job/stat').read().rsplit(')',1)[1].split()
print((int(f[11]) + int(f[12])) / os.sysconf('SC_CLK_TCK'))")
job_rate=$(python3 -c "print(int($words / max($cpu, 0.01)))")
echo "text: $mb MB, $lines lines, $words words"
echo "plain C word counter: $c_rate words/s"
echo "apim job run (one core): $job_rate words per CPU second ($cpu s of CPU; $elapsed s from start to the last line counted, with the waits for 1 s batch times)"
python3 -c "print('ratio: %.2f (target >= 0.5)' % ($job_rate / $c_rate))"
echo "start to first printed batch: ${first}s (the first batch time is the next whole second)"
