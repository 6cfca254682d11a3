#!/usr/bin/env bash
# docs/cli.md must keep up with the binary. Every command and subcommand is
# found by walking 'apim help' (so a row added to the command table is
# checked at once), and:
#   - every top-level command has a "## apim <command>" section, and every
#     command that runs has a section whose heading names it
#     ("## apim api list, apim api show, ...");
#   - every long option in a command's --help is mentioned (`--name`) in the
#     section of that command;
#   - every `--name` the page mentions is an option apim has (no stale
#     names, such as a renamed option).
set -u
apim=$1 root=$2
doc="$root/docs/cli.md"
[[ -f "$doc" ]] || { echo "missing $doc"; exit 1; }
fail=0 n=0
declare -A known=([--help]=1 [--version]=1)

subcommands() { awk '/^commands:/{on=1; next} on && /^  [a-z]/{print $1}'; }

# The section of docs/cli.md whose "## " heading names 'apim PATH'.
section() {
    awk -v want="apim $1" '
        /^## / { on = 0; h = substr($0, 4) ", "; if (index(h, want ", ")) on = 1; next }
        on { print }' "$doc"
}

check_command() { # path words
    local path="$*" help opt body
    n=$((n + 1))
    help=$("$apim" "$@" --help)
    if grep -q '^commands:' <<<"$help"; then # a group: check what is under it
        local c
        for c in $(subcommands <<<"$help"); do check_command "$@" "$c"; done
        return
    fi
    body=$(section "$path")
    if [[ -z "$body" ]]; then
        echo "FAIL: 'apim $path' has no section in docs/cli.md (a '## ...apim $path' heading)"
        fail=1
        return
    fi
    for opt in $(awk '/^options:/{on=1; next} on' <<<"$help" | grep -oE -- '^ +(-[a-zA-Z], )?--[a-z][a-z-]*' | grep -oE -- '--[a-z-]+'); do
        known[$opt]=1
        [[ "$opt" == --help ]] && continue
        if ! grep -q -- "\`$opt" <<<"$body"; then
            echo "FAIL: option $opt of 'apim $path' is not in its section of docs/cli.md"
            fail=1
        fi
    done
}

for c in $("$apim" help | subcommands); do
    if ! grep -qE "^## (.*, )?apim $c\b" "$doc"; then
        echo "FAIL: 'apim $c' has no '## apim $c' section in docs/cli.md"
        fail=1
    fi
    check_command "$c"
done
for opt in $(grep -oE -- '`--[a-z][a-z-]*' "$doc" | cut -c2- | sort -u); do
    if [[ -z "${known[$opt]:-}" ]]; then
        echo "FAIL: docs/cli.md mentions $opt, which no apim command has"
        fail=1
    fi
done
echo "docs: $n commands and ${#known[@]} options checked against docs/cli.md"
[[ $n -gt 20 && $fail -eq 0 ]]
