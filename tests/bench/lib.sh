# lib.sh - shared by run.sh and profile.sh (source it; it only defines things).
#
# It knows how to: find or build a Release apim, install nginx and wrk, pick
# free loopback ports, start the three servers of the benchmark (nginx
# backend, nginx reverse proxy, apimlocal gateway) and stop them again.
# Every process is started from the calling shell itself (never inside $(...)),
# so it stays our child: bench_cleanup stops each one by its PID and reaps it.
# Only 127.0.0.1 is used.

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_DIR=$(cd "$BENCH_DIR/../.." && pwd)
BUILD_DIR="$REPO_DIR/build-bench"
APIM=${APIM:-"$BUILD_DIR/runtime/cli/apim"}

BENCH_PIDS=()      # every process we started, in start order
BENCH_NAMES=()     # a label per PID, for messages
BENCH_USED_PORTS=" "
SRV_PREFIX=(env)   # prefix for server commands ("taskset -c 1" when pinned)
WRK_PREFIX=(env)   # prefix for wrk ("taskset -c 0" when pinned)
WORK=""            # scratch dir: configs, nginx prefix, APIM_HOME, server logs

say() { printf '%s\n' "$*"; }
die() { printf 'bench: %s\n' "$*" >&2; exit 1; }

# ---- set-up ------------------------------------------------------------------

# A scratch dir per run, removed at exit together with every process we started.
bench_init() {
    WORK=$(mktemp -d /tmp/apim-bench.XXXXXX)
    trap 'bench_cleanup; rm -rf "$WORK"' EXIT
    # A signal must still run the EXIT trap (plain bash would just die).
    trap 'exit 130' INT
    trap 'exit 143' TERM
}

# nginx and wrk come from Debian; install only what is missing.
ensure_tools() {
    local need=() t
    for t in nginx wrk curl; do
        command -v "$t" >/dev/null 2>&1 || need+=("$t")
    done
    if [ "${#need[@]}" -gt 0 ]; then
        say "installing: ${need[*]}"
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}"
    fi
}

# The benchmark measures a Release apim: build the default one if it is absent.
# A binary given in $APIM is used as is (it is the caller's job to make it Release).
ensure_apim() {
    if [ ! -x "$APIM" ]; then
        [ "$APIM" = "$BUILD_DIR/runtime/cli/apim" ] || die "APIM=$APIM is not an executable"
        say "building a Release apim in $BUILD_DIR"
        cmake -S "$REPO_DIR" -B "$BUILD_DIR" -DCMAKE_BUILD_TYPE=Release >/dev/null
        cmake --build "$BUILD_DIR" -j2 >/dev/null
    fi
    # A binary older than its sources (runtime or compiler) measures yesterday's code.
    local newer
    newer=$(find "$REPO_DIR/runtime" "$REPO_DIR/compiler" -name '*.[chly]' -newer "$APIM" \
        -print -quit)
    [ -z "$newer" ] ||
        say "warning: $APIM is older than $newer; rebuild: cmake --build $(cd "$(dirname "$APIM")/../.." && pwd) -j2"
    local cache="$(dirname "$APIM")/../../CMakeCache.txt" type=""
    [ -f "$cache" ] && type=$(sed -n 's/^CMAKE_BUILD_TYPE:[A-Z]*=//p' "$cache")
    APIM_BUILD_TYPE=${type:-unknown}
    [ "$APIM_BUILD_TYPE" = Release ] ||
        say "warning: $APIM is a '$APIM_BUILD_TYPE' build, not Release: figures are not comparable"
}

# "shared": no pinning. "pinned": wrk on CPU 0 and every server on CPU 1, so
# the load generator never steals the servers' CPU and req/s reads as cost.
set_mode() {
    case "$1" in
    shared) SRV_PREFIX=(env); WRK_PREFIX=(env) ;;
    pinned)
        [ "$(nproc)" -ge 2 ] || die "pinned mode needs 2 CPUs, this machine has $(nproc)"
        SRV_PREFIX=(taskset -c 1); WRK_PREFIX=(taskset -c 0) ;;
    *) die "unknown mode '$1' (shared, pinned)" ;;
    esac
}

# ---- ports -------------------------------------------------------------------

# True if something accepts connections on 127.0.0.1:$1.
port_in_use() {
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# pick_port VAR: a port nobody listens on, below the ephemeral range (so it
# never collides with the source ports of wrk's or the proxies' connections),
# and not handed out before in this run.
pick_port() {
    local low p i
    read -r low _ </proc/sys/net/ipv4/ip_local_port_range
    [ "$low" -gt 21000 ] || low=32768
    for i in $(seq 1 500); do
        p=$((20000 + RANDOM % (low - 20000)))
        case "$BENCH_USED_PORTS" in *" $p "*) continue ;; esac
        if ! port_in_use "$p"; then
            BENCH_USED_PORTS+="$p "
            printf -v "$1" '%s' "$p"
            return 0
        fi
    done
    die "no free port found"
}

# ---- processes ---------------------------------------------------------------

remember() { BENCH_PIDS+=("$1"); BENCH_NAMES+=("$2"); }

# forget PID: drop a process we have already reaped, so that cleanup never
# signals its PID again (the kernel may have given it to someone else).
forget() {
    local i pids=() names=()
    for i in "${!BENCH_PIDS[@]}"; do
        [ "${BENCH_PIDS[$i]}" = "$1" ] && continue
        pids+=("${BENCH_PIDS[$i]}"); names+=("${BENCH_NAMES[$i]}")
    done
    BENCH_PIDS=("${pids[@]}"); BENCH_NAMES=("${names[@]}")
}

# wait_http NAME PID URL LOG: until URL answers 200, or fail early if the
# server died (then show its log).
wait_http() {
    local name=$1 pid=$2 url=$3 log=$4 i code
    for i in $(seq 1 150); do
        kill -0 "$pid" 2>/dev/null || { cat "$log" >&2; die "$name (pid $pid) exited while starting"; }
        code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 1 "$url" || true)
        [ "$code" = 200 ] && return 0
        sleep 0.1
    done
    cat "$log" >&2
    die "$name did not answer 200 on $url within 15 s (last status: ${code:-none})"
}

# fill TEMPLATE OUT KEY=VALUE...: replaces @KEY@ by VALUE (values are ports,
# names and URLs: no sed metacharacters other than '/', hence the '|').
fill() {
    local in=$1 out=$2 expr=() kv
    shift 2
    for kv in "$@"; do expr+=(-e "s|@${kv%%=*}@|${kv#*=}|g"); done
    sed "${expr[@]}" "$in" >"$out"
    ! grep -q '@[A-Z_]*@' "$out" || die "unfilled placeholder in $out"
}

# start_nginx NAME CONF.in WORKERS KEY=VALUE...; sets NGINX_PID.
start_nginx() {
    local name=$1 tmpl=$2 workers=$3
    shift 3
    fill "$BENCH_DIR/$tmpl" "$WORK/$name.conf" NAME="$name" "$@"
    mkdir -p "$WORK/$name-tmp"
    # daemon off keeps the master as our child, so its PID is the one to stop
    # (it takes its workers down with it).
    "${SRV_PREFIX[@]}" nginx -p "$WORK/" -e stderr -c "$WORK/$name.conf" \
        -g "daemon off; worker_processes $workers;" 2>>"$WORK/$name.log" &
    NGINX_PID=$!
    remember "$NGINX_PID" "$name"
}

# start_backend WORKERS; sets BACKEND_PORT, BACKEND_PID.
start_backend() {
    pick_port BACKEND_PORT
    start_nginx backend nginx-backend.conf.in "$1" PORT="$BACKEND_PORT"
    BACKEND_PID=$NGINX_PID
    wait_http backend "$BACKEND_PID" "http://127.0.0.1:$BACKEND_PORT/bench/hello" "$WORK/backend.log"
}

# start_proxy WORKERS; sets PROXY_PORT, PROXY_PID (needs the backend).
start_proxy() {
    pick_port PROXY_PORT
    start_nginx proxy nginx-proxy.conf.in "$1" PORT="$PROXY_PORT" BACKEND_PORT="$BACKEND_PORT"
    PROXY_PID=$NGINX_PID
    wait_http nginx-proxy "$PROXY_PID" "http://127.0.0.1:$PROXY_PORT/bench/hello" "$WORK/proxy.log"
}

# start_gateway THREADS; sets GATEWAY_PORT, GATEWAY_PID, GATEWAY_STATE (needs the backend).
start_gateway() {
    pick_port GATEWAY_PORT
    local name="bench-$$"
    fill "$BENCH_DIR/gateway-template.json.in" "$WORK/gateway.json" \
        BACKEND_URL="http://127.0.0.1:$BACKEND_PORT"
    mkdir -p "$WORK/apim-home"
    GATEWAY_STATE="$WORK/apim-home/gateways/$name"
    # --foreground: the gateway is this shell's child (stoppable by PID), its
    # log on stderr and its access log (JSON lines) on stdout, both kept in
    # $WORK, as APIM_HOME keeps its state (the plan). A short drain: nothing
    # is in flight when we stop it.
    APIM_HOME="$WORK/apim-home" "${SRV_PREFIX[@]}" "$APIM" gateway start \
        --gateway-name "$name" --config "$WORK/gateway.json" --port "$GATEWAY_PORT" \
        --threads "$1" --drain-timeout 1 --foreground \
        >>"$WORK/access.log" 2>>"$WORK/gateway.log" &
    GATEWAY_PID=$!
    remember "$GATEWAY_PID" gateway
    wait_http gateway "$GATEWAY_PID" "http://127.0.0.1:$GATEWAY_PORT/bench/hello" "$WORK/gateway.log"
}

# Checks that URL really is the benchmark's answer, not an error page: a
# proxy that fails fast would otherwise look very quick.
check_hello() {
    local body
    body=$(curl -s --max-time 2 "$1") || die "$1 does not answer"
    [ "$body" = hello ] || die "$1 answered '$body' instead of 'hello'"
}

# stop_pid PID NAME: SIGTERM, up to 5 s to exit, then SIGKILL; always reaped.
stop_pid() {
    local pid=$1 name=$2 i
    kill -TERM "$pid" 2>/dev/null || return 0
    for i in $(seq 1 50); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.1
    done
    if kill -0 "$pid" 2>/dev/null; then
        say "bench: $name (pid $pid) ignored SIGTERM; killing it" >&2
        kill -KILL "$pid" 2>/dev/null || true
    fi
    wait "$pid" 2>/dev/null || true
}

# Stops everything we started, newest first (proxies before their backend).
bench_cleanup() {
    local i
    for ((i = ${#BENCH_PIDS[@]} - 1; i >= 0; i--)); do
        stop_pid "${BENCH_PIDS[$i]}" "${BENCH_NAMES[$i]}"
    done
    BENCH_PIDS=()
    BENCH_NAMES=()
}

# ---- measuring ---------------------------------------------------------------

# CPU time (clock ticks, user + system) of PID and its children: nginx's
# work happens in the workers, the gateway's in the threads of one process.
cpu_ticks() {
    local pid total=0 p f
    for p in "$1" $(pgrep -P "$1" || true); do
        f=$(cat "/proc/$p/stat" 2>/dev/null) || continue
        f=${f##*) }                    # fields after "(comm) "
        set -- $f
        total=$((total + ${12} + ${13})) # utime, stime (fields 14, 15 of stat)
    done
    echo "$total"
}

# Busy and total CPU ticks of the whole machine (all CPUs) from /proc/stat;
# "busy" counts steal too: time the hypervisor gave to someone else.
machine_ticks() {
    local cpu user nice sys idle iowait irq softirq steal rest
    read -r cpu user nice sys idle iowait irq softirq steal rest </proc/stat
    echo "$((user + nice + sys + irq + softirq + steal)) $((user + nice + sys + idle + iowait + irq + softirq + steal))"
}

# wait_quiet: this VM is shared, and someone else's build or fuzzer halves
# our figures. Waits (at most QUIET_WAIT seconds) until the machine, our idle
# servers included, is busy less than QUIET_PCT % of one CPU over a 1 s
# sample; then goes on regardless, and the run's "noise" column tells.
QUIET_PCT=${QUIET_PCT:-15}
QUIET_WAIT=${QUIET_WAIT:-60}
wait_quiet() {
    local start=$SECONDS m0 m1 pct
    [ "$QUIET_WAIT" -gt 0 ] || return 0
    while :; do
        m0=$(machine_ticks)
        sleep 1
        m1=$(machine_ticks)
        pct=$(awk -v m0="$m0" -v m1="$m1" -v ncpu="$(nproc)" 'BEGIN {
            split(m0, a, " "); split(m1, b, " "); wall = (b[2] - a[2]) / ncpu
            printf "%.0f", (wall > 0 ? (b[1] - a[1]) * 100 / wall : 0) }')
        [ "$pct" -gt "$QUIET_PCT" ] || return 0
        if [ $((SECONDS - start)) -ge "$QUIET_WAIT" ]; then
            say "  (others keep ${pct}% of a CPU busy after ${QUIET_WAIT} s of waiting: measuring anyway)"
            return 0
        fi
    done
}

# children_ticks: sets CHILD_TICKS, the CPU ticks this shell's reaped
# children used so far (wrk, once it has exited). It must run in this shell,
# never in $(...): a subshell would report its own, empty, children.
children_ticks() {
    local hz u s
    hz=$(getconf CLK_TCK)
    # "times" prints the shell's own line, then the children's: "0m1.230s 0m0.450s".
    times >"$WORK/times"
    read -r u s < <(tail -1 "$WORK/times")
    CHILD_TICKS=$(awk -v u="$u" -v s="$s" -v hz="$hz" '
        function sec(t,   m) { m = t; sub(/m.*/, "", m); sub(/^[0-9]+m/, "", t); sub(/s$/, "", t); return m * 60 + t }
        BEGIN { printf "%d", (sec(u) + sec(s)) * hz + 0.5 }')
}

# wrk prints "123.45us", "1.23ms" or "1.02s": convert to milliseconds.
to_ms() {
    awk -v v="$1" 'BEGIN {
        if (v ~ /us$/)      { sub(/us$/, "", v); printf "%.3f", v / 1000 }
        else if (v ~ /ms$/) { sub(/ms$/, "", v); printf "%.3f", v }
        else if (v ~ /m$/)  { sub(/m$/, "", v);  printf "%.3f", v * 60000 }
        else if (v ~ /s$/)  { sub(/s$/, "", v);  printf "%.3f", v * 1000 }
        else                { printf "nan" } }'
}
