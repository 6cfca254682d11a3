#!/usr/bin/env bash
# compile-scale.sh - is checking a configuration linear in its size?
#
# Generated configurations (compile-scale.py), each checked by
# 'apim validate' and compiled by 'apim compile', with the time, peak memory
# and the ratio of each size's time to the previous one's: for a doubling
# about 2.0 is linear and 4.0 quadratic.
#   1. N, 2N, 4N, 8N APIs (five resources each);
#   2. 1 000 and 5 000 operations of one API, each with an operation policy
#      holding two policy expressions (ratio ~5 is linear);
#   3. a folder of 10 templates of 5 000 such operations: 50 000 in one
#      deployment.
# Figures, not a test: nothing is asserted. Usage:
#   tests/bench/compile-scale.sh [N]        (default N=1000)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
N=${1:-1000}
bench_init
ensure_apim
command -v python3 >/dev/null || die "python3 is needed to generate the templates"
say "apim: $APIM ($APIM_BUILD_TYPE)"

# measure LABEL COMMAND...: seconds and peak KB of one run (warnings are
# expected: policies the gateway does not apply yet).
measure() {
    /usr/bin/time -f '%e %M' -o "$WORK/time" "$@" >/dev/null 2>&1 || true
    tail -n 1 "$WORK/time" # time writes "Command exited with ..." first on warnings
}

# row SIZE RESOURCES CONFIG: validate and compile CONFIG, one table row.
prev_v=""
prev_c=""
row() {
    local v c
    read -r vs vm < <(measure "$APIM" validate -q "$3")
    read -r cs cm < <(measure "$APIM" compile "$3" --file-path "$WORK/plan.bin")
    v=$([ -n "$prev_v" ] && awk -v a="$vs" -v b="$prev_v" \
        'BEGIN { if (b > 0) printf "%.2f", a / b; else print "-" }' || echo -)
    c=$([ -n "$prev_c" ] && awk -v a="$cs" -v b="$prev_c" \
        'BEGIN { if (b > 0) printf "%.2f", a / b; else print "-" }' || echo -)
    printf '%10s %10s %10s %10sKB %7s %10s %10sKB %7s\n' "$1" "$2" "$vs" "$vm" "$v" "$cs" "$cm" "$c"
    prev_v=$vs
    prev_c=$cs
}

header() {
    say ""
    say "$1"
    printf '%10s %10s %10s %12s %7s %10s %12s %7s\n' size resources validate 'max RSS' ratio \
        compile 'max RSS' ratio
}

count() { cat "$@" | grep -c '"type": "Microsoft.ApiManagement'; }

header "APIs (each: operation, product link, named value, policy; every 10th a version and a revision)"
for k in 1 2 4 8; do
    n=$((N * k))
    python3 "$BENCH_DIR/compile-scale.py" apis "$n" "$WORK/apis$n.json"
    row "$n" "$(count "$WORK/apis$n.json")" "$WORK/apis$n.json"
done

header "operations of one API, each with a policy holding two expressions"
prev_v="" prev_c=""
for n in 1000 5000; do
    python3 "$BENCH_DIR/compile-scale.py" ops "$n" "$WORK/ops$n.json"
    row "$n" "$(count "$WORK/ops$n.json")" "$WORK/ops$n.json"
done

header "a folder of 10 templates of 5 000 such operations (one deployment)"
prev_v="" prev_c=""
python3 "$BENCH_DIR/compile-scale.py" folder 10 5000 "$WORK/folder"
row 50000 "$(count "$WORK"/folder/*.json)" "$WORK/folder"
