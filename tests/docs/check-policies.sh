#!/usr/bin/env bash
# docs/policies.md is generated from the policy catalog (compiler/policies.def,
# compiler/policy_attrs.def)
# by docs/gen/policies.py: regenerate it and require it to be unchanged. After
# changing the catalog, run
#   python3 docs/gen/policies.py build/runtime/cli/apim > docs/policies.md
set -u
apim=$1 root=$2
tmp=$(mktemp)
trap 'rm -f "$tmp"' EXIT
python3 "$root/docs/gen/policies.py" "$apim" > "$tmp" || { echo "docs/gen/policies.py failed"; exit 1; }
if ! diff -u "$root/docs/policies.md" "$tmp"; then
    echo "FAIL: docs/policies.md is out of date (regenerate it with docs/gen/policies.py)"
    exit 1
fi
echo "docs: policies.md matches the catalog ($(grep -c '^### `' "$tmp") policies)"
