#!/usr/bin/env bash
# docs/cli.md must keep up with the binary: every command of `apim help` has a
# "## apim <command>" section, and every long option that a command's --help
# lists is mentioned in the page.
set -u
apim=$1 root=$2
doc="$root/docs/cli.md"
[[ -f "$doc" ]] || { echo "missing $doc"; exit 1; }
fail=0 n=0
commands=$("$apim" help | awk '/^commands:/{on=1; next} on && /^  [a-z]/{print $1}')
for c in $commands; do
    n=$((n + 1))
    if ! grep -qE "^## (.*, )?apim $c\b" "$doc"; then
        echo "FAIL: 'apim $c' has no '## apim $c' section in docs/cli.md"
        fail=1
    fi
    [[ "$c" == help || "$c" == version ]] && continue
    for opt in $("$apim" "$c" --help 2>&1 | grep -oE -- '--[a-z][a-z-]+' | sort -u); do
        [[ "$opt" == --help ]] && continue
        if ! grep -q -- "\`$opt" "$doc"; then
            echo "FAIL: option $opt of 'apim $c' is not in docs/cli.md"
            fail=1
        fi
    done
done
echo "docs: $n commands checked against docs/cli.md"
[[ $n -gt 5 && $fail -eq 0 ]]
