#!/usr/bin/env bash
# The apim command line itself: help (for every command and subcommand),
# version, exit statuses, usage errors with "did you mean", the completion
# scripts (sourced in bash and zsh and driven as the shells do), and that
# machine-readable outputs are well-formed JSON (read back with apim's own
# JSON reader: the only complaint may be that it is no template). YAML is
# read back with libfyaml in tests/unit/test_cli.c.
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
check "validate bad output" 2 "$apim" validate -o xml "$seed"
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
check "compile" 0 "$apim" compile "$echo_api" -p backendUrl=http://127.0.0.1:5000 --file-path "$plan"
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
check "compile nowhere" 1 "$apim" compile "$echo_api" -p backendUrl=http://x --file-path /nonexistent/dir/x.plan
contains "compile nowhere" "cannot write"
check "compile no --file-path" 2 "$apim" compile "$echo_api"
contains "compile no --file-path" "missing --file-path FILE"
# -o is the output format everywhere; a file name there says which flag to use.
check "compile -o FILE" 2 "$apim" compile "$echo_api" -o "$plan"
contains "compile -o FILE" "to write a file, use --file-path $plan"
printf 'not a plan' > "$plan"
check "plan show bad" 1 "$apim" plan show "$plan";   contains "plan show bad" "plan"
check "compile unknown api" 1 "$apim" compile "$echo_api" -p backendUrl=http://x --file-path "$plan" --api-name nope
contains "compile unknown api" "APIM6003"

# ---- api import: flags API Management would refuse are usage errors, so a
# template written always validates (--strict) ----
spec="$root/tests/openapi/oas30-json.json"
imp=(api import --specification-format OpenApiJson --specification-path "$spec" --path p)
for bad in "--api-id a/b" "--api-id x;rev=2" "--api-id a:b" "--service-name a/b" \
           "--protocols http,ftp" "--service-url notaurl" "--service-url https:///x"; do
    read -r -a flag <<< "$bad"
    check "import $bad" 2 "$apim" "${imp[@]}" "${flag[@]}" --file-path /tmp/cli.$$.imp.json
    contains "import $bad" "${flag[0]} '${flag[1]}'"
    [[ ! -e /tmp/cli.$$.imp.json ]] || { echo "FAIL import $bad: wrote a template"; fail=1; }
done
check "import all flags" 0 "$apim" "${imp[@]}" --api-id pets --service-name shop \
    --protocols http,HTTPS --service-url http://127.0.0.1:5000/v1 --subscription-required false \
    --display-name Pets --description "The pets" --file-path /tmp/cli.$$.imp.json
check "import all flags validates" 0 "$apim" validate --strict /tmp/cli.$$.imp.json
rm -f /tmp/cli.$$.imp.json

# ---- help: every command and subcommand, found by walking 'apim help' ----
subcommands() { awk '/^commands:/{on=1; next} on && /^  [a-z]/{print $1}'; }
nhelp=0
walk() { # the words of a command path
    local out err
    out=$("$apim" "$@" --help 2>/tmp/cli.$$.err) || { echo "FAIL apim $* --help: exit $?"; fail=1; }
    err=$(cat /tmp/cli.$$.err)
    nhelp=$((nhelp + 1))
    [[ -z "$err" ]] || { echo "FAIL apim $* --help wrote to stderr: $err"; fail=1; }
    [[ "$out" == "usage: apim $*"* ]] || { echo "FAIL apim $* --help: $(head -1 <<<"$out")"; fail=1; }
    [[ "$("$apim" help "$@")" == "$out" ]] || { echo "FAIL apim help $* differs from --help"; fail=1; }
    [[ "$("$apim" "$@" -h)" == "$out" ]] || { echo "FAIL apim $* -h differs from --help"; fail=1; }
    local c
    for c in $(subcommands <<<"$out"); do walk "$@" "$c"; done
}
for c in $("$apim" help | subcommands); do walk "$c"; done
[[ $nhelp -ge 21 ]] || { echo "FAIL only $nhelp commands have help"; fail=1; }
# The help of each subcommand is its own (they all used to print 'start's).
for sub in stop status list; do
    "$apim" gateway "$sub" --help | head -1 | grep -q "^usage: apim gateway $sub" \
        || { echo "FAIL gateway $sub --help is not its own"; fail=1; }
done
check "plan show --help" 0 "$apim" plan show --help;  contains "plan show --help" "--show-keys"
check "help --help" 0 timeout 5 "$apim" help --help;   contains "help --help" "usage: apim help"
check "help gateway start" 0 "$apim" help gateway start
contains "help gateway start" "--foreground"
check "group alone" 2 "$apim" gateway;                 contains "group alone" "usage: apim gateway <command>"

# ---- did you mean ----
check "dym command" 2 "$apim" valdate "$seed";         contains "dym command" "did you mean 'validate'?"
check "dym subcommand" 2 "$apim" gateway strat;        contains "dym subcommand" "did you mean 'start'?"
check "dym option" 2 "$apim" gateway start --gatway-name x --config y
contains "dym option" "did you mean '--gateway-name'?"
check "dym old option" 2 "$apim" api list --service x;  contains "dym old option" "did you mean '--service-name'?"
check "dym value" 2 "$apim" validate -o jsn "$seed";   contains "dym value" "did you mean 'json'?"
check "dym help" 2 "$apim" help gatway;                contains "dym help" "did you mean 'gateway'?"
check "old text format" 2 "$apim" validate -o text "$seed"
contains "old text format" "use one of table, json, yaml, sarif, github"
check "table format" 1 "$apim" validate -o table --strict "$seed"
contains "table format" "1 file checked"
check "bad parameters in a listing" 2 "$apim" api list -c "$echo_api" -p nonsense
contains "bad parameters in a listing" "expected @FILE, FILE or NAME=VALUE"

# ---- completion: bash ----
mkdir -p /tmp/cli.$$.d && touch /tmp/cli.$$.d/tmpl.json /tmp/cli.$$.d/app.plan
"$apim" completion bash > /tmp/cli.$$.bash || { echo "FAIL completion bash"; fail=1; }
complete_bash() { # words... (the last is the one being completed): prints COMPREPLY
    (cd /tmp/cli.$$.d && bash --norc -c 'source "$1"; shift; COMP_WORDS=("$@")
        COMP_CWORD=$((${#COMP_WORDS[@]} - 1)); _apim; printf "%s\n" "${COMPREPLY[@]}" | sort | xargs' \
        _ /tmp/cli.$$.bash "$@")
}
expect_bash() { # want words...
    local want=$1 got
    shift
    got=$(complete_bash "$@")
    [[ "$got" == "$want" ]] || { echo "FAIL bash completion of '$*': '$got', want '$want'"; fail=1; }
}
expect_bash "api compile completion expr gateway help job plan policy product subscription validate version" apim ""
expect_bash "start status stop" apim gateway st
expect_bash "import list operation show" apim api ""
expect_bash "list" apim api operation ""
expect_bash "github json sarif table yaml" apim validate -o ""
expect_bash "json table tsv yaml" apim gateway status --output ""
expect_bash "yaml" apim plan show --output = y
expect_bash "app.plan tmpl.json" apim compile ""
expect_bash "app.plan tmpl.json" apim gateway start --config ""
expect_bash "@app.plan @tmpl.json" apim validate -p @
expect_bash "--drain-timeout" apim gateway start --dr
expect_bash "bash zsh" apim completion ""
expect_bash "start status stop" apim help gateway st
expect_bash "" apim gateway start --gateway-name ""
# ---- completion: zsh ----
if command -v zsh >/dev/null; then
    "$apim" completion zsh > /tmp/cli.$$.zsh
    zsh -n /tmp/cli.$$.zsh || { echo "FAIL zsh -n: the zsh script does not parse"; fail=1; }
    # Driven with compsys's functions stubbed to print what they are given.
    got=$(cd /tmp/cli.$$.d && zsh -f -c '
        compdef() { :; }; compset() { :; }
        _describe() { local -a got; got=("${(@P)${@[-1]}}"); print -r -- ${(j:|:)${(@)got%%:*}}; }
        compadd() { local -a got; got=("${(@P)2}"); print -r -- "${(j:|:)got}"; }
        _files() { print files; }
        _message() { print message; }
        source "$1"
        t() { words=("$@"); CURRENT=${#words}; _apim; }
        t apim ""; t apim gateway st; t apim gateway start --; t apim validate -o ""
        t apim validate --output=y; t apim compile ""; t apim help gateway ""
        t apim completion ""; t apim gateway start --gateway-name ""' _ /tmp/cli.$$.zsh)
    want="validate|compile|plan|gateway|api|product|subscription|policy|job|expr|help|version|completion
start|stop|status|list
--gateway-name|-n|--config|-c|--parameters|-p|--resource-group|-g|--service-name|--api-name|--port|--host|--admin-port|--threads|--backend-timeout|--drain-timeout|--header-timeout|--body-timeout|--connection-limit|--backend-idle-timeout|--body-memory|--watch|--strict|--allow-unenforced-policies|--import-file|--path|--configuration|--foreground|--help
table|json|yaml|sarif|github
table|json|yaml|sarif|github
files
start|stop|status|list
bash|zsh
message"
    [[ "$got" == "$want" ]] || { echo "FAIL zsh completion:"; diff <(echo "$want") <(echo "$got"); fail=1; }
    # And once for real: an interactive zsh with compinit, TAB typed in a pty.
    got=$(cd /tmp/cli.$$.d && timeout 30 zsh -f -c '
        zmodload zsh/zpty || exit 1
        zpty z zsh -f -i
        zpty -w z "PS1=\"> \"; autoload -Uz compinit; compinit -u -D; source $1"
        zpty -n -w z "apim gateway st"$'"'"'\t\t'"'"'
        acc=
        for i in {1..200}; do
            while zpty -r -t z chunk; do acc+=$chunk; done
            [[ $acc == *"status"*"--"*"show what a running gateway reports"* ]] && break
            sleep 0.05
        done
        zpty -d z
        print -r -- "$acc"' _ /tmp/cli.$$.zsh)
    [[ "$got" == *"status"*"show what a running gateway reports"* ]] \
        || { echo "FAIL zsh: TAB after 'apim gateway st' did not list the subcommands"; fail=1; }
else
    echo "FAIL zsh is not installed (scripts/setup installs it)"; fail=1
fi

# apim policy show: the scopes composed (the goldens pin the full output of
# policy-show-scopes with a product; these the other calls).
show="$root/tests/compiler/bad/policy-show-scopes.json"
check "policy show no product" 0 "$apim" policy show -c "$show" --api-id orders --operation-id list
contains "policy show no product" "without a product"
if grep -q "product 'gold'\|rate-limit" /tmp/cli.$$.out; then
    echo "FAIL policy show no product: the product's policy is shown"; fail=1
fi
check "policy show other op" 0 "$apim" policy show -c "$show" --api-id orders --operation-id get
contains "policy show other op" "<!-- api 'orders' · "
contains "policy show other op" "<value>orders</value>"
check "policy show unknown api" 1 "$apim" policy show -c "$show" --api-id nope --operation-id list
contains "policy show unknown api" "apim: no API 'nope' (see 'apim api list')"
check "policy show unknown product" 1 "$apim" policy show -c "$show" --api-id orders \
    --operation-id list --product-id silver
contains "policy show unknown product" "apim: no product 'silver'"
check "policy show errors" 1 "$apim" policy show -c "$root/tests/compiler/bad/policy-expr-fragment.json" \
    --api-id orders-api --operation-id list-orders
contains "policy show errors" "has errors"
check "policy show no operation-id" 2 "$apim" policy show -c "$show" --api-id orders

# apim expr: one expression compiled, verified and run by the VM, or listed.
check "expr eval" 0 "$apim" expr eval '@(context.Request.Headers.GetValueOrDefault("Accept", "none") + "/" + context.Request.Url.Query.GetValueOrDefault("q", ""))' \
    --header 'Accept: text/plain' --url 'https://h.example/p?q=a%20b'
contains "expr eval" "text/plain/a b"
check "expr eval variable" 0 "$apim" expr eval '@{ var v = (string)context.Variables["v"]; return v.ToUpper(); }' --variable v=abc
contains "expr eval variable" "ABC"
check "expr runtime error" 1 "$apim" expr eval '@(context.User.Email)'
contains "expr runtime error" "expression:1:16: error: expression evaluation failed: Object reference not set to an instance of an object."
check "expr syntax error" 1 "$apim" expr eval '@(1 +)'
contains "expr syntax error" "error[APIM8001]"
check "expr bind error" 1 "$apim" expr eval '@(context.Requst.Method)'
contains "expr bind error" "error[APIM8011]: 'IProxyRequestContext' has no member 'Requst'"
check "expr bad header" 2 "$apim" expr eval '@(1)' --header novalue
contains "expr bad header" "'novalue' is not NAME:VALUE"
check "expr disasm" 0 "$apim" expr disasm '@(context.Request.Method == "GET")'
contains "expr disasm" 'GETM "Method"                 ; @18 Method == "GET")'
# compile -> plan show: the effective pipelines are in the plan (2.2), the
# operation's steps with their scope and location, the product slot, the
# product's and the no-product pipelines.
flow="$root/tests/compiler/bad/policy-show-json.json"
check "compile pipelines" 0 "$apim" compile "$flow" --file-path /tmp/cli.$$.plan
check "plan show pipelines" 0 "$apim" plan show /tmp/cli.$$.plan
contains "plan show pipelines" '"minor": 2'
contains "plan show pipelines" '"pipeline": 0'
contains "plan show pipelines" '"noProductPipeline": 2'
contains "plan show pipelines" '"product": "the section of the request'"'"'s product pipeline, or noProductPipeline"'
contains "plan show pipelines" '"policy": "set-header"'
contains "plan show pipelines" '"fragment": "cors"'
contains "plan show pipelines" '"expression": "@(context.Request.Headers.ContainsKey(\"Origin\"))"'
contains "plan show pipelines" '"at": "'"$flow"':79:117"'
check "policy show yaml" 0 "$apim" policy show -c "$flow" --api-id orders --operation-id list -o yaml
contains "policy show yaml" "fragment: cors"
check "policy show xml" 0 "$apim" policy show -c "$flow" --api-id orders --operation-id list -o xml
contains "policy show xml" "<!-- fragment 'cors' (in operation 'list')"

rm -rf /tmp/cli.$$.*
[[ $fail -eq 0 ]] && echo "cli: all checks passed ($nhelp commands with their own help)"
exit $fail
