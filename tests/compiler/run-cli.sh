#!/usr/bin/env bash
# The apim command line itself: help, version, exit statuses, usage errors,
# and that machine-readable outputs are well-formed JSON (read back with
# apim's own JSON reader: the only complaint may be that it is no template).
set -u
apim=$1 root=$2
fail=0
check() { # name expected-status command...
    local name=$1 want=$2
    shift 2
    "$@" >/tmp/cli.$$.out 2>&1
    local got=$?
    if [[ $got != "$want" ]]; then
        echo "FAIL $name: exit $got, want $want"; sed 's/^/  | /' /tmp/cli.$$.out; fail=1
    fi
}
contains() { # name text
    if ! grep -qF -- "$2" /tmp/cli.$$.out; then
        echo "FAIL $1: output lacks '$2'"; sed 's/^/  | /' /tmp/cli.$$.out; fail=1
    fi
}
seed="$root/examples/seed/simple-api.json"
check "no args" 2 "$apim";                               contains "no args" "usage: apim"
check "help" 0 "$apim" help;                             contains "help" "validate"
check "--help" 0 "$apim" --help
check "--version" 0 "$apim" --version;                   contains "--version" "apim "
check "unknown command" 2 "$apim" frobnicate;            contains "unknown command" "'frobnicate' is not a command"
check "validate --help" 0 "$apim" validate --help;       contains "validate --help" "--parameters"
check "help validate" 0 "$apim" help validate;           contains "help validate" "--output"
check "validate no file" 2 "$apim" validate
check "validate bad option" 2 "$apim" validate --frob "$seed"
check "validate bad output" 2 "$apim" validate -o yaml "$seed"
check "validate bad parameters" 2 "$apim" validate -p nonsense "$seed"
check "validate seed" 0 "$apim" validate "$seed";        contains "validate seed" "valid simple-api"
check "validate seed strict" 1 "$apim" validate --strict "$seed"
check "validate missing" 1 "$apim" validate /nonexistent.json; contains "validate missing" "cannot read"
check "list codes" 0 "$apim" validate --list-codes;      contains "list codes" "APIM1001 error json-syntax"
for fmt in json sarif; do
    "$apim" validate -o "$fmt" "$seed" > /tmp/cli.$$.$fmt 2>/dev/null
    check "$fmt is JSON" 1 "$apim" validate -q /tmp/cli.$$.$fmt
    contains "$fmt is JSON" "APIM1015"
    if grep -q "APIM1001\|APIM1002\|APIM1003" /tmp/cli.$$.out; then
        echo "FAIL $fmt output is not well-formed JSON"; cat /tmp/cli.$$.out; fail=1
    fi
done
"$apim" validate -o sarif "$seed" > /tmp/cli.$$.sarif
grep -q '"version": "2.1.0"' /tmp/cli.$$.sarif || { echo "FAIL sarif version"; fail=1; }
grep -q '"ruleId": "APIM1011"' /tmp/cli.$$.sarif || { echo "FAIL sarif result"; fail=1; }
"$apim" validate -o github "$seed" > /tmp/cli.$$.gh
grep -q '^::warning file=.*simple-api.json,line=14,col=5,.*title=APIM1011::duplicate key' /tmp/cli.$$.gh \
    || { echo "FAIL github annotation"; cat /tmp/cli.$$.gh; fail=1; }
# The shipped templates are valid for Azure without a single warning (what
# the local gateway does not apply, APIM6xxx, is not about Azure).
check "azure-templates" 0 "$apim" validate "$root/azure-templates"
if grep -q "warning\[APIM[1-5]" /tmp/cli.$$.out; then
    echo "FAIL azure-templates: warnings"; sed 's/^/  | /' /tmp/cli.$$.out; fail=1
fi
# compile -> plan show: the round trip through the binary plan.
echo_api="$root/azure-templates/echo-api.json"
plan=/tmp/cli.$$.plan
check "compile" 0 "$apim" compile "$echo_api" -p backendUrl=http://127.0.0.1:5000 -o "$plan"
contains "compile" "wrote $plan"
check "plan show" 0 "$apim" plan show "$plan"
contains "plan show" '"id": "echo-api"'
contains "plan show" '"urlTemplate": "/items/{id}"'
contains "plan show" '"serviceUrl": "http://127.0.0.1:5000"'
contains "plan show" '"primaryKey": "****0001"'
if grep -q "starter-primary-key-0001" /tmp/cli.$$.out; then
    echo "FAIL plan show: a key is shown without --show-keys"; fail=1
fi
check "plan show keys" 0 "$apim" plan show "$plan" --show-keys
contains "plan show keys" '"primaryKey": "starter-primary-key-0001"'
cp /tmp/cli.$$.out /tmp/cli.$$.json
check "plan show is JSON" 1 "$apim" validate -q /tmp/cli.$$.json
contains "plan show is JSON" "APIM1015"
check "compile nowhere" 1 "$apim" compile "$echo_api" -p backendUrl=http://x -o /nonexistent/dir/x.plan
contains "compile nowhere" "cannot write"
check "compile no -o" 2 "$apim" compile "$echo_api"
printf 'not a plan' > "$plan"
check "plan show bad" 1 "$apim" plan show "$plan";   contains "plan show bad" "plan"
check "compile unknown api" 1 "$apim" compile "$echo_api" -p backendUrl=http://x -o "$plan" --api-name nope
contains "compile unknown api" "APIM6003"
rm -f /tmp/cli.$$.*
[[ $fail -eq 0 ]] && echo "cli: all checks passed"
exit $fail
