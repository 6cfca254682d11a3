#!/usr/bin/env bash
# Golden imports: every specification or template here (<case>.yaml,
# <case>.json) goes through `apim validate`, `apim api list` and, for each
# API, `apim api operation list -o json`, with the arguments of <case>.args
# if there is one; the output must equal <case>.expected byte for byte. So
# the operations an import makes (names, URL templates, parameters, request,
# responses with examples) are pinned as API Management's importer makes
# them. UPDATE=1 rewrites the expectations.
set -u
apim=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
cd "$(dirname "$0")"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0 total=0
run() { # title command...: the command's exit status and output, labelled
    printf '### %s\n' "$1"
    shift
    "$@" >"$tmp/out" 2>"$tmp/err"
    printf 'exit: %s\n--- stderr\n' "$?"
    cat "$tmp/err"
    printf -- '--- stdout\n'
    cat "$tmp/out"
}
for input in *.yaml *.json; do
    [[ -e "$input" ]] || continue
    case=${input%.*}
    total=$((total + 1))
    args=()
    [[ -f "$case.args" ]] && read -r -a args < "$case.args"
    {
        run "apim validate" "$apim" validate "$input" "${args[@]}"
        run "apim api list" "$apim" api list --config "$input" "${args[@]}" -o tsv
        "$apim" api list --config "$input" "${args[@]}" -o tsv 2>/dev/null | cut -f1 |
            while read -r api; do
                run "apim api operation list --api-id $api" \
                    "$apim" api operation list --config "$input" "${args[@]}" --api-id "$api" -o json
            done
    } > "$tmp/actual"
    if [[ "${UPDATE:-0}" == 1 ]]; then
        cp "$tmp/actual" "$case.expected"
    elif [[ ! -f "$case.expected" ]]; then
        echo "FAIL $case: no $case.expected (UPDATE=1 creates it)"; fail=$((fail + 1))
    elif ! diff -u "$case.expected" "$tmp/actual" > "$tmp/diff"; then
        echo "FAIL $case"; cat "$tmp/diff"; fail=$((fail + 1))
    fi
done
echo "openapi: $((total - fail)) of $total imports match"
[[ $total -ge 1 && $fail -eq 0 ]]
