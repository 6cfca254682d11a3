#!/usr/bin/env bash
# Every diagnostic code the compiler can emit (apim validate --list-codes)
# must have its own section in docs/validate.md, and every documented code
# must exist.
set -u
apim=$1 root=$2
doc="$root/docs/validate.md"
[[ -f "$doc" ]] || { echo "missing $doc"; exit 1; }
fail=0 n=0
while read -r code level slug; do
    n=$((n + 1))
    if ! grep -qE "^### $code\b" "$doc"; then
        echo "FAIL: $code ($slug) has no '### $code' section in docs/validate.md"
        fail=1
    fi
done < <("$apim" validate --list-codes)
for code in $(grep -oE '^### APIM[0-9]{4}' "$doc" | cut -c5-); do
    if ! "$apim" validate --list-codes | grep -q "^$code "; then
        echo "FAIL: docs/validate.md documents $code, which the compiler does not have"
        fail=1
    fi
done
echo "docs: $n codes checked"
[[ $n -gt 0 && $fail -eq 0 ]]
