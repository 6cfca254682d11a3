#!/usr/bin/env bash
# Golden diagnostics: every bad/<case>.json (or bad/<case>/ folder) is
# validated and the exact output is compared with bad/<case>.expected:
# exit status, stderr and stdout, byte for byte. bad/<case>.args, if present,
# holds the arguments after "apim validate" (default: the case itself).
# UPDATE=1 rewrites the expectations instead of comparing.
set -u
apim=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
cd "$(dirname "$0")"
fail=0 total=0
for input in bad/*.json bad/*/; do
    [[ -e "$input" ]] || continue
    input=${input%/}
    case=${input%.json}
    [[ "$case" == *.parameters ]] && continue
    total=$((total + 1))
    if [[ -f "$case.args" ]]; then
        read -r -a args < "$case.args"
    else
        args=("$input")
    fi
    actual=$("$apim" validate "${args[@]}" 2>"$case.stderr.tmp" >"$case.stdout.tmp"; echo "exit: $?")
    actual=$(printf '%s\n--- stderr\n%s--- stdout\n%s' "$actual" "$(cat "$case.stderr.tmp")
" "$(cat "$case.stdout.tmp")
")
    rm -f "$case.stderr.tmp" "$case.stdout.tmp"
    if [[ "${UPDATE:-0}" == 1 ]]; then
        printf '%s\n' "$actual" > "$case.expected"
        continue
    fi
    if [[ ! -f "$case.expected" ]]; then
        echo "FAIL $case: no $case.expected (run with UPDATE=1 to create it)"
        fail=$((fail + 1))
        continue
    fi
    if ! diff -u "$case.expected" <(printf '%s\n' "$actual") > /tmp/golden.$$.diff; then
        echo "FAIL $case"
        cat /tmp/golden.$$.diff
        fail=$((fail + 1))
    fi
    rm -f /tmp/golden.$$.diff
done
echo "golden: $((total - fail)) of $total cases match"
[[ $total -ge 1 && $fail -eq 0 ]]
