#!/usr/bin/env bash
# APIOps folder -> what it deploys: each line of cases.tsv is a case name and
# the arguments of one apim command run on a fixture: shop/ (an APIOps
# artifact folder with a clean workspace, configuration.local.yaml its
# publisher configuration) or workspace-typos/ (a workspace with a mistake
# in each kind of policy, workspace-typos.yaml its configuration); its
# exit status, stderr and stdout must equal expected/<case>.out byte for
# byte. @PLAN@ stands for a plan file in a
# private scratch folder. UPDATE=1 rewrites the expectations.
set -u
apim=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
cd "$(dirname "$0")"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export APIM_HOME="$tmp/home"
unset CONFIGURATION_YAML_PATH API_MANAGEMENT_SERVICE_NAME
fail=0 total=0
while IFS=$'\t' read -r name args; do
    [[ -z "$name" || "$name" == \#* ]] && continue
    total=$((total + 1))
    read -r -a argv <<< "${args//@PLAN@/$tmp/shop.plan}"
    actual=$("$apim" "${argv[@]}" 2>"$tmp/err" >"$tmp/out"; echo "exit: $?")
    actual=$(printf '%s\n--- stderr\n%s\n--- stdout\n%s\n' "$actual" "$(cat "$tmp/err")" \
             "$(cat "$tmp/out")" | sed "s|$tmp/shop.plan|@PLAN@|g")
    # No case is about the command line: a usage error means the case
    # checks nothing (and UPDATE=1 must not pin one).
    if [[ "$actual" == "exit: 2"* ]]; then
        echo "FAIL $name: usage error"; sed -n '3,4p' <<< "$actual"; fail=$((fail + 1))
    elif [[ "${UPDATE:-0}" == 1 ]]; then
        mkdir -p expected
        printf '%s\n' "$actual" > "expected/$name.out"
    elif [[ ! -f "expected/$name.out" ]]; then
        echo "FAIL $name: no expected/$name.out (UPDATE=1 creates it)"; fail=$((fail + 1))
    elif ! diff -u "expected/$name.out" <(printf '%s\n' "$actual") > "$tmp/diff"; then
        echo "FAIL $name"; cat "$tmp/diff"; fail=$((fail + 1))
    fi
done < cases.tsv
echo "apiops: $((total - fail)) of $total cases match"
[[ $total -gt 0 && $fail -eq 0 ]]
