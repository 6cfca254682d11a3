#!/usr/bin/env bash
# seed.sh TARGET CORPUS OUT: copies seed inputs for a fuzz target into OUT.
# JSON targets get the corpus's JSON files; the expression target gets the
# expressions found in them (the text between "[ and ]").
set -euo pipefail
target=$1 corpus=$2 out=$3
mkdir -p "$out"
case "$target" in
fuzz_json|fuzz_template)
    find "$corpus" -name '*.json' -size -200k -print0 |
        while IFS= read -r -d '' f; do cp "$f" "$out/$(echo "$f" | md5sum | cut -c1-16).json"; done
    ;;
fuzz_arm_expr)
    find "$corpus" -name '*.json' -print0 | xargs -0 grep -ohE '"\[[^"]{1,400}\]"' 2>/dev/null |
        sed -E 's/^"\[//; s/\]"$//' | sort -u | head -3000 |
        while IFS= read -r e; do printf '%s' "$e" > "$out/$(printf '%s' "$e" | md5sum | cut -c1-16)"; done
    ;;
esac
