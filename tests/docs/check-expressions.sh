#!/usr/bin/env bash
# The member table of docs/expressions.md is generated from
# runtime/common/csx_members.def by docs/gen/expressions.py: regenerate it and
# require the page unchanged. After changing the table, run
#   python3 docs/gen/expressions.py build/runtime/cli/apim > /tmp/e.md && mv /tmp/e.md docs/expressions.md
set -u
apim=$1 root=$2
tmp=$(mktemp)
trap 'rm -f "$tmp"' EXIT
python3 "$root/docs/gen/expressions.py" "$apim" > "$tmp" || { echo "docs/gen/expressions.py failed"; exit 1; }
if ! diff -u "$root/docs/expressions.md" "$tmp"; then
    echo "FAIL: docs/expressions.md's member table is out of date (regenerate it with docs/gen/expressions.py)"
    exit 1
fi
echo "docs: expressions.md matches the member table ($(grep -c '^| `' "$tmp") members)"
