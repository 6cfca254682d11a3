#!/usr/bin/env bash
# The PySpark programs 'apim job export' writes must be valid Python: each
# export golden's program (bad/stream-export-*.args) is exported again and
# byte-compiled with 'python3 -m py_compile', which needs no pyspark.
set -u
apim=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
cd "$(dirname "$0")"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0 total=0
for args_file in bad/stream-export-*.args; do
    [[ -e "$args_file" ]] || continue
    case=$(basename "${args_file%.args}")
    total=$((total + 1))
    read -r -a args < "$args_file"
    if ! "$apim" job "${args[@]}" > "$tmp/$case.py" 2> "$tmp/$case.err"; then
        echo "FAIL $case: export failed"
        cat "$tmp/$case.err"
        fail=$((fail + 1))
    elif ! python3 -m py_compile "$tmp/$case.py"; then
        echo "FAIL $case: not valid Python"
        fail=$((fail + 1))
    fi
done
echo "export: $((total - fail)) of $total programs compile"
[[ $total -ge 3 && $fail -eq 0 ]]
