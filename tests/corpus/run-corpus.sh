#!/usr/bin/env bash
# Corpus test: every ARM template and parameters file of the public corpus
# (quickstart-templates/, devops-resource-kit/, bicep-avm-apim/**/main.json)
# every OpenAPI specification (openapi/, apiops/**/specification.*) and
# every APIOps artifact folder (apiops/*/) goes through `apim validate` with
# the arguments manifest.tsv gives it (specifications also through `apim api
# operation list`), and the exact output (exit status, stderr, stdout) must
# equal expected/<path>.out, or expected/<path>.<label>.out when the
# manifest line has a third column (the same input checked a second way). A
# corpus input missing from the manifest fails the test, so new files are
# noticed. UPDATE=1 rewrites the expectations.
#
# Runs in a scratch folder holding two links, corpus/ and params/, so the
# paths in the output do not depend on where the checkout lives.
set -u
apim=$(cd "$(dirname "$1")" && pwd)/$(basename "$1") corpus=$2
here=$(cd "$(dirname "$0")" && pwd)
# The APIOps publisher's variables would change what APIOps folders deploy.
unset CONFIGURATION_YAML_PATH API_MANAGEMENT_SERVICE_NAME
[[ -d "$corpus" ]] || { echo "corpus: $corpus not found (it lives in ../shared/corpus)"; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
ln -s "$(cd "$corpus" && pwd)" "$work/corpus"
ln -s "$here/params" "$work/params"
cd "$work"

# An OpenAPI or Swagger file: named on its own, it is one API.
is_spec() {
    [[ "$1" == openapi/* || "$1" == */specification.json || "$1" == */specification.yaml ||
       "$1" == */OpenAPISpecs/* || "$1" == */Input/swaggerPetstore.json ]]
}

fail=0 total=0 valid=0 warned=0 invalid=0
declare -A listed=()
while IFS=$'\t' read -r path args label; do
    [[ -z "$path" || "$path" == \#* ]] && continue
    listed["$path"]=1
    total=$((total + 1))
    read -r -a argv <<< "$args"
    out="$here/expected/${path//\//__}${label:+.$label}.out"
    actual=$("$apim" validate "${argv[@]}" "corpus/$path" 2>"$work/err" >"$work/out"; echo "exit: $?")
    actual=$(printf '%s\n--- stderr\n%s\n--- stdout\n%s\n' "$actual" "$(cat "$work/err")" "$(cat "$work/out")")
    if is_spec "$path"; then # and the operations its import makes
        "$apim" api operation list --config "corpus/$path" -o table "${argv[@]}" \
            >"$work/out" 2>/dev/null
        actual=$(printf '%s\n--- operations\n%s\n' "$actual" "$(cat "$work/out")")
    fi
    case "$actual" in
    "exit: 0"*) if grep -q "warning\[" "$work/err"; then warned=$((warned + 1)); else valid=$((valid + 1)); fi ;;
    *) invalid=$((invalid + 1)) ;;
    esac
    if [[ "${UPDATE:-0}" == 1 ]]; then
        mkdir -p "$here/expected"
        printf '%s\n' "$actual" > "$out"
    elif [[ ! -f "$out" ]]; then
        echo "FAIL $path: no expected output (UPDATE=1 creates it)"; fail=$((fail + 1))
    elif ! diff -u "$out" <(printf '%s\n' "$actual") > "$work/diff"; then
        echo "FAIL $path"; cat "$work/diff"; fail=$((fail + 1))
    fi
done < "$here/manifest.tsv"

while IFS= read -r f; do
    rel=${f#corpus/}
    if [[ -z "${listed[$rel]:-}" ]]; then
        echo "FAIL $rel: in the corpus but not in tests/corpus/manifest.tsv"; fail=$((fail + 1))
    fi
done < <(cd "$work" && { find -L corpus/quickstart-templates corpus/devops-resource-kit -name '*.json';
                         find -L corpus/bicep-avm-apim -name main.json;
                         find -L corpus/openapi -type f;
                         find -L corpus/apiops -name 'specification.json' -o -name 'specification.yaml';
                         find -L corpus/apiops -mindepth 1 -maxdepth 1 -type d; } | sort)

echo "corpus: $total files: $valid valid, $warned valid with warnings, $invalid with errors" \
     "(recorded); $fail mismatches"
[[ $total -gt 0 && $fail -eq 0 ]]
