#!/usr/bin/env bash
# cmake --install puts the binary, its completions and the docs where a
# Debian system looks for them; the installed binary runs on its own.
# Usage: check-install.sh BUILD_DIR
set -u
build=$1
prefix=$(mktemp -d)
trap 'rm -rf "$prefix"' EXIT
fail=0
check() { if ! eval "$2"; then echo "FAIL: $1"; fail=1; fi; }
cmake --install "$build" --prefix "$prefix" >/dev/null || { echo "FAIL: cmake --install"; exit 1; }
apim="$prefix/bin/apim"
check "bin/apim is installed and runs" '[[ -x "$apim" ]] && "$apim" --version | grep -q "^apim "'
check "bash completion" 'cmp -s "$prefix/share/bash-completion/completions/apim" <("$apim" completion bash)'
check "zsh completion" 'cmp -s "$prefix/share/zsh/site-functions/_apim" <("$apim" completion zsh)'
check "the bash completion completes commands" \
    'bash -c "source \"$prefix/share/bash-completion/completions/apim\"; COMP_WORDS=(apim gat); COMP_CWORD=1; _apim; [[ \${COMPREPLY[*]} == gateway ]]"'
for doc in README.md cli.md validate.md gateway.md architecture.md plan-format.md; do
    check "doc $doc" '[[ -s "$prefix/share/doc/apimlocal/$doc" ]]'
done
check "no generator sources among the docs" '[[ ! -e "$prefix/share/doc/apimlocal/gen" ]]'
check "the installed examples validate" \
    '"$apim" validate -q "$prefix/share/doc/apimlocal/azure-templates" >/dev/null 2>&1'
echo "install: $(find "$prefix" -type f | wc -l) files installed"
exit $fail
