#!/usr/bin/env bash
# compile-scale.sh - is checking a template linear in its size?
#
# Validates generated templates of N, 2N, 4N and 8N APIs (five resources
# each, see compile-scale.py) and prints the time of each and its ratio to
# the previous size: about 2.0 per doubling is linear; 4.0 is quadratic.
# Figures, not a test: nothing is asserted. Usage:
#   tests/bench/compile-scale.sh [N]        (default N=1000)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
N=${1:-1000}
bench_init
ensure_apim
command -v python3 >/dev/null || die "python3 is needed to generate the templates"
say "apim: $APIM ($APIM_BUILD_TYPE)"
printf '%8s %10s %9s %10s %7s\n' APIs resources seconds 'max RSS' ratio
prev=""
for k in 1 2 4 8; do
    n=$((N * k))
    python3 "$BENCH_DIR/compile-scale.py" "$n" "$WORK/t$n.json"
    resources=$(grep -c '"type": "Microsoft.ApiManagement' "$WORK/t$n.json")
    # Warnings are expected (policies the gateway does not apply yet).
    /usr/bin/time -f '%e %M' -o "$WORK/time" "$APIM" validate -q "$WORK/t$n.json" \
        >/dev/null 2>&1 || true
    read -r secs rss <"$WORK/time"
    ratio=$([ -n "$prev" ] && awk -v a="$secs" -v b="$prev" \
        'BEGIN { if (b > 0) printf "%.2f", a / b; else print "-" }' || echo -)
    printf '%8d %10d %9s %8sKB %7s\n' "$n" "$resources" "$secs" "$rss" "$ratio"
    prev=$secs
done
