#!/usr/bin/env bash
# Golden diagnostics: every bad/<case>.json (or bad/<case>/ folder) is
# validated and the exact output is compared with bad/<case>.expected:
# exit status, stderr and stdout, byte for byte. bad/<case>.args, if present,
# holds the arguments after "apim validate" (default: the case itself), and
# bad/<case>.cmd another command to run instead of validate ("compile").
# UPDATE=1 rewrites the expectations instead of comparing.
set -u
apim=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
cd "$(dirname "$0")"
# The APIOps publisher's variables would change what APIOps folders deploy.
unset CONFIGURATION_YAML_PATH API_MANAGEMENT_SERVICE_NAME
# Outputs go to a private folder: several build trees may run this at once.
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
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
    cmd=validate
    [[ -f "$case.cmd" ]] && read -r cmd < "$case.cmd"
    actual=$("$apim" "$cmd" "${args[@]}" 2>"$tmp/stderr" >"$tmp/stdout"; echo "exit: $?")
    actual=$(printf '%s\n--- stderr\n%s--- stdout\n%s' "$actual" "$(cat "$tmp/stderr")
" "$(cat "$tmp/stdout")
")
    # Paths a job declares are made absolute (the declaring file's folder):
    # shown relative to this folder, as on any checkout.
    actual=${actual//"$PWD/"/}
    if [[ "${UPDATE:-0}" == 1 ]]; then
        printf '%s\n' "$actual" > "$case.expected"
        continue
    fi
    if [[ ! -f "$case.expected" ]]; then
        echo "FAIL $case: no $case.expected (run with UPDATE=1 to create it)"
        fail=$((fail + 1))
        continue
    fi
    if ! diff -u "$case.expected" <(printf '%s\n' "$actual") > "$tmp/diff"; then
        echo "FAIL $case"
        cat "$tmp/diff"
        fail=$((fail + 1))
    fi
done
echo "golden: $((total - fail)) of $total cases match"
[[ $total -ge 1 && $fail -eq 0 ]]
