#!/usr/bin/env bash
# profile.sh - where the gateway's time goes under load, next to nginx.
#
#   tests/bench/profile.sh [--threads N] [SECONDS]      (default 1 thread, 8 s)
#
# Starts the same backend, nginx proxy and gateway as run.sh (nothing pinned),
# puts wrk -t2 -c64 on each proxy and collects into OUT (default a new
# /tmp/apim-bench-profile.* dir):
#   perf-*.txt     perf record of the gateway process (flat by DSO and by
#                  symbol, and with callers, DWARF call graphs); perf-nginx-*.txt
#                  the same, flat, for one nginx-proxy worker
#   strace-c.txt   strace -c -f of the gateway: syscall counts and time
#   syscalls.txt   syscalls per proxied request, gateway and nginx-proxy worker,
#                  from a full strace -f: a request = one "GET /" sent upstream
# Needs perf and strace (apt-get install linux-perf strace). Tracing slows the
# servers down a lot: the req/s printed meanwhile mean nothing; the counts do.
set -euo pipefail

source "$(cd "$(dirname "$0")" && pwd)/lib.sh"

THREADS=1
DURATION=8
while [ $# -gt 0 ]; do
    case "$1" in
    --threads) THREADS=${2:?}; shift 2 ;;
    -h | --help) sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) DURATION=$1; shift ;;
    esac
done
[[ "$DURATION" =~ ^[1-9][0-9]*$ ]] || die "SECONDS must be a positive number"
command -v perf >/dev/null || die "perf is not installed"
command -v strace >/dev/null || die "strace is not installed"

bench_init
ensure_tools
ensure_apim
OUT=${OUT:-$(mktemp -d /tmp/apim-bench-profile.XXXXXX)}
mkdir -p "$OUT"
set_mode shared
start_backend "$THREADS"
start_proxy "$THREADS"
start_gateway "$THREADS"
GW_URL="http://127.0.0.1:$GATEWAY_PORT/bench/hello"
PX_URL="http://127.0.0.1:$PROXY_PORT/bench/hello"
check_hello "$GW_URL"
check_hello "$PX_URL"
say "gateway pid $GATEWAY_PID (:$GATEWAY_PORT), nginx-proxy pid $PROXY_PID (:$PROXY_PORT), $THREADS worker(s)"
say "output: $OUT"

# load URL SECONDS: wrk in the background; sets LOAD_PID (waited for by the caller).
load() {
    wrk -t2 -c64 -d"${2}s" "$1" >"$OUT/wrk-$LOAD_NAME.txt" &
    LOAD_PID=$!
    remember "$LOAD_PID" wrk
}

# Warm-up, so that pools are full and pages faulted in before we look.
wrk -t2 -c64 -d2s "$GW_URL" >/dev/null
wrk -t2 -c64 -d2s "$PX_URL" >/dev/null

# ---- perf: where the CPU goes -------------------------------------------------
# Sampled while wrk runs, starting 1 s in and ending 1 s before it stops.
say "perf record (${DURATION} s)"
LOAD_NAME=perf load "$GW_URL" $((DURATION + 2))
sleep 1
perf record -q -F 999 --call-graph dwarf,16384 -p "$GATEWAY_PID" -o "$OUT/perf.data" \
    -- sleep "$DURATION" 2>"$OUT/perf-record.log"
wait "$LOAD_PID"; forget "$LOAD_PID"
grep -E 'Requests/sec' "$OUT/wrk-perf.txt" | sed 's/^/  gateway under perf: /'
perf report -i "$OUT/perf.data" --no-children --sort dso --stdio 2>/dev/null |
    grep -v '^$' >"$OUT/perf-dso.txt"
perf report -i "$OUT/perf.data" --no-children --sort dso,sym --stdio -g none 2>/dev/null |
    grep -v '^$' >"$OUT/perf-sym.txt"
# Inclusive ("children") time per symbol: which of our functions lead to the cost.
perf report -i "$OUT/perf.data" --children --sort sym --stdio -g none 2>/dev/null |
    grep -v '^$' >"$OUT/perf-children.txt"
say "  by DSO:"
grep -E '^ +[0-9]' "$OUT/perf-dso.txt" | sed -n '1,12p' | sed 's/^/   /'
say "  top symbols (self):"
grep -E '^ +[0-9]' "$OUT/perf-sym.txt" | sed -n '1,30p' | sed 's/^/   /'

# The same for one nginx-proxy worker, for comparison (flat, no call graphs).
say "perf record of the nginx-proxy worker (${DURATION} s), for comparison"
LOAD_NAME=perf-nginx load "$PX_URL" $((DURATION + 2))
sleep 1
perf record -q -F 999 -p "$(pgrep -P "$PROXY_PID" | sed -n 1p)" -o "$OUT/perf-nginx.data" \
    -- sleep "$DURATION" 2>>"$OUT/perf-record.log"
wait "$LOAD_PID"; forget "$LOAD_PID"
grep -E 'Requests/sec' "$OUT/wrk-perf-nginx.txt" | sed 's/^/  nginx-proxy under perf: /'
perf report -i "$OUT/perf-nginx.data" --sort dso --stdio 2>/dev/null | grep -v '^$' >"$OUT/perf-nginx-dso.txt"
perf report -i "$OUT/perf-nginx.data" --sort dso,sym --stdio 2>/dev/null | grep -v '^$' >"$OUT/perf-nginx-sym.txt"
say "  by DSO:"
grep -E '^ +[0-9]' "$OUT/perf-nginx-dso.txt" | sed -n '1,8p' | sed 's/^/   /'
say "  top symbols (self):"
grep -E '^ +[0-9]' "$OUT/perf-nginx-sym.txt" | sed -n '1,12p' | sed 's/^/   /'

# ---- strace -c: the gateway's syscalls, counts and time ------------------------
say "strace -c -f of the gateway (${DURATION} s)"
status_requests() {  # the gateway's request counter, from its admin port
    local admin
    admin=$(sed -n 's/.*"adminUrl": *"\([^"]*\)".*/\1/p' "$GATEWAY_STATE/gateway.json")
    curl -s --max-time 2 "$admin/status" | sed -n 's/.*"requests": *\([0-9]*\).*/\1/p' | sed -n 1p
}
LOAD_NAME=strace-c load "$GW_URL" $((DURATION + 2))
sleep 1
r0=$(status_requests)
strace -c -f -o "$OUT/strace-c.txt" -p "$GATEWAY_PID" &
ST=$!
remember "$ST" strace
sleep "$DURATION"
kill -INT "$ST"
wait "$ST" || true
forget "$ST"
r1=$(status_requests)
wait "$LOAD_PID"; forget "$LOAD_PID"
say "  requests served while traced: $((r1 - r0)) (from the admin /status counter)"
awk -v n=$((r1 - r0)) 'NR <= 2 || /^-/ { print "   " $0; next }
    NF >= 5 { printf "   %s   %.2f/request\n", $0, n ? $4 / n : 0 }' "$OUT/strace-c.txt" |
    tee "$OUT/strace-c-per-request.txt"

# ---- syscalls per request: gateway vs nginx ----------------------------------
# A full trace; the requests are counted as upstream sends that start with "GET /"
# (the client's requests are only ever received, never sent, by a proxy).
per_request() {  # per_request LABEL PID URL
    local label=$1 pid=$2 url=$3 st
    LOAD_NAME="syscalls-$label" load "$url" 5
    sleep 1.5
    strace -f -qq -s 16 -o "$OUT/strace-$label.txt" -p "$pid" 2>/dev/null &
    st=$!
    remember "$st" strace
    sleep 2
    kill -INT "$st"
    wait "$st" 2>/dev/null || true
    forget "$st"
    wait "$LOAD_PID"; forget "$LOAD_PID"
    awk -v l="$label" '
        / resumed>/ { next }                          # second half of a call already counted
        { line = $0; sub(/^[0-9]+ +/, "", line)
          if (line !~ /^[a-z_0-9]+\(/) next           # signals, exits
          name = line; sub(/\(.*/, "", name); n[name]++; total++
          if (name ~ /^(sendto|sendmsg|writev|write|send)$/ && line ~ /"GET \//) req++ }
        END { printf "%-12s requests=%d syscalls/request=%.2f:", l, req, req ? total / req : 0
              for (k in n) if (req && n[k] / req >= 0.01) printf " %s=%.2f", k, n[k] / req
              printf "\n" }' "$OUT/strace-$label.txt"
}
say "syscalls per proxied request (full strace -f, ~2 s under wrk -c64)"
# Not in a pipeline: a pipeline's subshell would own the processes, out of
# reach of our cleanup.
: >"$OUT/syscalls.txt"
per_request gateway "$GATEWAY_PID" "$GW_URL" >>"$OUT/syscalls.txt"
# nginx's work is in its worker processes; trace the first (with 2 workers the
# per-request mix is the same, only half of the requests pass through it).
per_request nginx-proxy "$(pgrep -P "$PROXY_PID" | sed -n 1p)" "$PX_URL" >>"$OUT/syscalls.txt"
sed 's/^/  /' "$OUT/syscalls.txt"
say "output: $OUT"
