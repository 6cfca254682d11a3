#!/usr/bin/env bash
# run.sh - throughput and latency of the apimlocal gateway against nginx.
#
#   tests/bench/run.sh [options] [SECONDS]
#     SECONDS                 length of each measured wrk run (default 10)
#     --threads N             nginx worker_processes = gateway --threads = N (default 1)
#     --mode shared|pinned|both
#                             shared: nothing pinned (default); pinned: wrk on CPU 0,
#                             every server on CPU 1 (req/s then reads as server CPU cost)
#     --reps N                measured runs per case, interleaved; medians reported (default 3)
#     --latency-seconds S     unloaded-latency phase (wrk -t1 -c1) per run; 0 skips it (default 5)
#   Environment: APIM (the apim binary, default build-bench/runtime/cli/apim, built
#   as Release if missing), WRK_THREADS (2), CONNS (64), OUT (where wrk logs and
#   raw.tsv are kept; default a new /tmp/apim-bench-results.* dir).
#
# What it compares, on 127.0.0.1 only, in one run so that the ratios are fair
# (this VM drifts by 20-30 % between runs; see reference/perf.md):
#   direct       wrk -> nginx backend (return 200 "hello")
#   nginx-proxy  wrk -> nginx reverse proxy (upstream keep-alive) -> backend
#   gateway      wrk -> apim gateway (one pass-through API "bench") -> backend
# all with the same backend and the same number of workers. It prints req/s,
# p50 and p99 per case, the server CPU spent per request, and the two
# targets: gateway >= 0.8 x nginx-proxy req/s, gateway p99 <= nginx-proxy p99 + 1 ms.
# This is a benchmark, not a test: ctest never runs it.
set -euo pipefail

source "$(cd "$(dirname "$0")" && pwd)/lib.sh"

# ---- options -----------------------------------------------------------------

usage() { sed -n '2,/^# What/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit "${1:-2}"; }

THREADS=${THREADS:-1}
MODE=${MODE:-shared}
REPS=${REPS:-3}
LAT_SECONDS=${LAT_SECONDS:-5}
WRK_THREADS=${WRK_THREADS:-2}
CONNS=${CONNS:-64}
DURATION=10
while [ $# -gt 0 ]; do
    case "$1" in
    --threads) THREADS=${2:?}; shift 2 ;;
    --mode) MODE=${2:?}; shift 2 ;;
    --reps) REPS=${2:?}; shift 2 ;;
    --latency-seconds) LAT_SECONDS=${2:?}; shift 2 ;;
    -h | --help) usage 0 ;;
    -*) say "unknown option $1" >&2; usage ;;
    *) DURATION=$1; shift ;;
    esac
done
[[ "$DURATION" =~ ^[1-9][0-9]*$ ]] || die "SECONDS must be a positive number, not '$DURATION'"
[[ "$THREADS" =~ ^[1-9][0-9]*$ ]] || die "--threads wants a positive number"
[[ "$REPS" =~ ^[1-9][0-9]*$ ]] || die "--reps wants a positive number"
[[ "$LAT_SECONDS" =~ ^[0-9]+$ ]] || die "--latency-seconds wants a number"
case "$MODE" in
shared | pinned) MODES=$MODE ;;
both) MODES="shared pinned" ;;
*) die "--mode wants shared, pinned or both" ;;
esac

CASES="direct nginx-proxy gateway"
CLK_TCK=$(getconf CLK_TCK)

bench_init
ensure_tools
ensure_apim
OUT=${OUT:-$(mktemp -d /tmp/apim-bench-results.XXXXXX)}
mkdir -p "$OUT"
RAW="$OUT/raw.tsv"
printf 'mode\tphase\tcase\trep\trps\tp50_ms\tp99_ms\trequests\terrors\tfront_cpu_us\tbackend_cpu_us\tnoise_pct\n' >"$RAW"

# ---- one wrk run -------------------------------------------------------------

# url_of CASE: where wrk sends its requests (same path everywhere).
url_of() {
    case "$1" in
    direct) echo "http://127.0.0.1:$BACKEND_PORT/bench/hello" ;;
    nginx-proxy) echo "http://127.0.0.1:$PROXY_PORT/bench/hello" ;;
    gateway) echo "http://127.0.0.1:$GATEWAY_PORT/bench/hello" ;;
    esac
}

# front_pid CASE: the proxy in front of the backend ("" for direct).
front_pid() {
    case "$1" in
    direct) echo "" ;;
    nginx-proxy) echo "$PROXY_PID" ;;
    gateway) echo "$GATEWAY_PID" ;;
    esac
}

# all_server_ticks: CPU ticks of every server we run (busy or idle).
all_server_ticks() {
    local pid total=0
    for pid in "${BENCH_PIDS[@]}"; do total=$((total + $(cpu_ticks "$pid"))); done
    echo "$total"
}

# measure MODE PHASE CASE REP WRK_THREADS CONNS SECONDS: one wrk run, one raw.tsv line.
measure() {
    local mode=$1 phase=$2 c=$3 rep=$4 t=$5 conns=$6 secs=$7
    local f="$OUT/$mode-$phase-$c-$rep.txt" front b0 b1 f0=0 f1=0 s0 s1 m0 m1 c0
    front=$(front_pid "$c")
    wait_quiet
    b0=$(cpu_ticks "$BACKEND_PID")
    [ -z "$front" ] || f0=$(cpu_ticks "$front")
    s0=$(all_server_ticks)
    m0=$(machine_ticks)
    children_ticks; c0=$CHILD_TICKS
    "${WRK_PREFIX[@]}" wrk -t"$t" -c"$conns" -d"${secs}s" --latency "$(url_of "$c")" >"$f"
    children_ticks
    m1=$(machine_ticks)
    s1=$(all_server_ticks)
    b1=$(cpu_ticks "$BACKEND_PID")
    [ -z "$front" ] || f1=$(cpu_ticks "$front")
    # wrk's summary: "Requests/sec:", the latency distribution ("50%", "99%"),
    # "N requests in", and error lines that only appear when there are errors.
    local rps p50 p99 reqs errs
    rps=$(awk '/^Requests\/sec:/ { print $2 }' "$f")
    p50=$(to_ms "$(awk '$1 == "50%" { print $2 }' "$f")")
    p99=$(to_ms "$(awk '$1 == "99%" { print $2 }' "$f")")
    reqs=$(awk '/ requests in / { print $1 }' "$f")
    errs=$(awk '/Non-2xx/ { n += $NF }
                /Socket errors/ { gsub(/,/, ""); n += $4 + $6 + $8 + $10 }
                END { print n + 0 }' "$f")
    # Server CPU per request, in microseconds (0 when there is no front).
    local fcpu bcpu noise
    fcpu=$(awk -v d=$((f1 - f0)) -v n="$reqs" -v hz="$CLK_TCK" 'BEGIN { printf "%.1f", n ? d * 1e6 / hz / n : 0 }')
    bcpu=$(awk -v d=$((b1 - b0)) -v n="$reqs" -v hz="$CLK_TCK" 'BEGIN { printf "%.1f", n ? d * 1e6 / hz / n : 0 }')
    # Noise: CPU the machine spent on anything but wrk and our servers (other
    # users, the hypervisor's steal), in % of one CPU. High noise = rerun.
    noise=$(awk -v m0="$m0" -v m1="$m1" -v ours=$((s1 - s0 + CHILD_TICKS - c0)) -v ncpu="$(nproc)" 'BEGIN {
        split(m0, a, " "); split(m1, b, " "); wall = (b[2] - a[2]) / ncpu
        x = (wall > 0 ? ((b[1] - a[1]) - ours) * 100 / wall : 0)
        printf "%.0f", (x > 0 ? x : 0) }')   # tick rounding can make it a little negative
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$mode" "$phase" "$c" "$rep" \
        "$rps" "$p50" "$p99" "$reqs" "$errs" "$fcpu" "$bcpu" "$noise" >>"$RAW"
    printf '  %-6s rep %d  %-12s %9.0f req/s  p50 %8.3f ms  p99 %8.3f ms  errors %s  noise %s%%\n' \
        "$phase" "$rep" "$c" "$rps" "$p50" "$p99" "$errs" "$noise"
}

# ---- report ------------------------------------------------------------------

# summary MODE PHASE: medians per case from raw.tsv, then the comparisons.
summary() {
    awk -F'\t' -v mode="$1" -v phase="$2" -v cases="$CASES" '
    function median(list,   a, n, i, j, t) {
        n = split(list, a, " ")
        for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (a[j] + 0 < a[i] + 0) { t = a[i]; a[i] = a[j]; a[j] = t }
        return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
    }
    $1 == mode && $2 == phase {
        rps[$3] = rps[$3] " " $5; p50[$3] = p50[$3] " " $6; p99[$3] = p99[$3] " " $7
        fc[$3] = fc[$3] " " $10; bc[$3] = bc[$3] " " $11; noise[$3] = noise[$3] " " $12; err[$3] += $9
        runs++; if ($12 > 25) noisy++
    }
    END {
        if (noisy) printf "  WARNING: %d of %d runs had more than 25%% of a CPU used by other programs: rough figures\n", noisy, runs
        n = split(cases, c, " ")
        if (phase == "load") {
            printf "  %-12s %9s %8s %8s %14s %16s %6s %6s\n", "case", "req/s", "p50 ms", "p99 ms", "proxy CPU/req", "backend CPU/req", "errors", "noise"
            for (i = 1; i <= n; i++) {
                k = c[i]; R[k] = median(rps[k]); P99[k] = median(p99[k])
                printf "  %-12s %9.0f %8.3f %8.3f %11s us %13.1f us %6d %5d%%\n", k, R[k], median(p50[k]), P99[k],
                       (k == "direct" ? "-" : sprintf("%.1f", median(fc[k]))), median(bc[k]), err[k], median(noise[k])
            }
            if (R["direct"] * R["nginx-proxy"] * R["gateway"] == 0) { print "  a case completed no request: no ratios"; exit }
            ratio = R["gateway"] / R["nginx-proxy"]; dp99 = P99["gateway"] - P99["nginx-proxy"]
            printf "  nginx-proxy / direct req/s:   %.2f\n", R["nginx-proxy"] / R["direct"]
            printf "  gateway / direct req/s:       %.2f\n", R["gateway"] / R["direct"]
            printf "  gateway / nginx-proxy req/s:  %.2f    (target >= 0.80: %s)\n", ratio, (ratio >= 0.8 ? "met" : "NOT met")
            printf "  gateway - nginx-proxy p99:    %+.3f ms (target <= +1.000 ms: %s)\n", dp99, (dp99 <= 1.0 ? "met" : "NOT met")
            if (err["gateway"] + err["nginx-proxy"] + err["direct"] > 0) print "  WARNING: some requests failed; see the wrk logs"
        } else {
            printf "  %-12s %9s %8s %8s %12s %6s\n", "case", "req/s", "p50 us", "p99 us", "p50 added", "noise"
            for (i = 1; i <= n; i++) {
                k = c[i]; r = median(rps[k]); m50[k] = median(p50[k]) * 1000
                if (r == 0) { printf "  %-12s %9d   no request completed in the run\n", k, 0; continue }
                printf "  %-12s %9.0f %8.0f %8.0f %9s us %5d%%\n", k, r, m50[k], median(p99[k]) * 1000,
                       (k == "direct" ? "-" : sprintf("%+.0f", m50[k] - m50["direct"])), median(noise[k])
            }
        }
    }' "$RAW"
}

# ---- the run -----------------------------------------------------------------

say "# apimlocal gateway benchmark, $(date -u +%FT%TZ)"
say "# $(uname -sr), $(nproc) CPUs:$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2)"
say "# $(nginx -v 2>&1 | sed 's/.*: //'); $(wrk --version 2>&1 | sed -n 1p | cut -d' ' -f1-2)"
say "# apim: $APIM ($APIM_BUILD_TYPE build of $(date -r "$APIM" '+%F %T')); repo HEAD $(git -C "$REPO_DIR" rev-parse --short HEAD 2>/dev/null || echo '?')$(git -C "$REPO_DIR" diff --quiet HEAD -- runtime 2>/dev/null || echo ' + uncommitted runtime changes')"
say "# workers: $THREADS (backend and nginx-proxy worker_processes, gateway --threads)"
say "# load: wrk -t$WRK_THREADS -c$CONNS -d${DURATION}s --latency, 2 s warm-up, $REPS interleaved reps, medians"
if [ "$LAT_SECONDS" -gt 0 ]; then
    say "# unloaded latency: wrk -t1 -c1 -d${LAT_SECONDS}s --latency, $REPS reps, medians"
fi
say "# CPU/req: server CPU time (user+sys, all processes/threads) / requests; 1 tick = $((1000000 / CLK_TCK)) us"
say "# noise: CPU used by anything but wrk and these servers during a run, in % of one CPU;"
say "#   each run first waits up to ${QUIET_WAIT} s for the machine to be below ${QUIET_PCT}% (QUIET_WAIT, QUIET_PCT)"
say "# load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
say "# raw results and wrk logs: $OUT"

for mode in $MODES; do
    set_mode "$mode"
    say ""
    if [ "$mode" = pinned ]; then
        say "== mode: pinned (wrk on CPU 0; backend, nginx-proxy and gateway on CPU 1)"
    else
        say "== mode: shared (nothing pinned; wrk and all servers share the $(nproc) CPUs)"
    fi
    start_backend "$THREADS"
    start_proxy "$THREADS"
    start_gateway "$THREADS"
    for c in $CASES; do check_hello "$(url_of "$c")"; done
    say "  backend :$BACKEND_PORT (pid $BACKEND_PID), nginx-proxy :$PROXY_PORT (pid $PROXY_PID), gateway :$GATEWAY_PORT (pid $GATEWAY_PID)"

    # Warm-up: fills the keep-alive pools and faults pages in.
    for c in $CASES; do
        "${WRK_PREFIX[@]}" wrk -t"$WRK_THREADS" -c"$CONNS" -d2s "$(url_of "$c")" >/dev/null
    done
    # Interleaved (case after case, rep after rep) so slow drift hits all alike.
    for rep in $(seq 1 "$REPS"); do
        for c in $CASES; do
            measure "$mode" load "$c" "$rep" "$WRK_THREADS" "$CONNS" "$DURATION"
        done
    done
    if [ "$LAT_SECONDS" -gt 0 ]; then
        for rep in $(seq 1 "$REPS"); do
            for c in $CASES; do
                measure "$mode" idle "$c" "$rep" 1 1 "$LAT_SECONDS"
            done
        done
    fi
    bench_cleanup
    say ""
    say "-- $mode, $THREADS worker(s): under load (wrk -t$WRK_THREADS -c$CONNS), median of $REPS"
    summary "$mode" load
    if [ "$LAT_SECONDS" -gt 0 ]; then
        say "-- $mode, $THREADS worker(s): unloaded latency (wrk -t1 -c1), median of $REPS"
        summary "$mode" idle
    fi
done
say ""
say "raw results: $RAW"
