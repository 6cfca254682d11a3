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
fuzz_policy)
    # Policy files, each after a scope byte (0 global .. 3 operation).
    i=0
    find "$corpus" -name '*.xml' -size -64k -print0 |
        while IFS= read -r -d '' f; do
            i=$((i + 1))
            { printf "\\x0$((i % 4))"; cat "$f"; } >"$out/$(echo "$f" | md5sum | cut -c1-16).xml"
        done
    ;;
fuzz_policy_xml)
    # Policy files as they are, and the policy values of the corpus
    # templates (JSON strings that start with '<policies' or '<fragment'),
    # decoded.
    find "$corpus" -name '*.xml' -size -64k -print0 |
        while IFS= read -r -d '' f; do cp "$f" "$out/$(echo "$f" | md5sum | cut -c1-16).xml"; done
    find "$corpus" -name '*.json' -size -2M -print0 | xargs -0 python3 -c '
import json, hashlib, os, sys
out = sys.argv[1]
def walk(v):
    if isinstance(v, dict):
        for x in v.values(): yield from walk(x)
    elif isinstance(v, list):
        for x in v: yield from walk(x)
    elif isinstance(v, str) and v.lstrip().startswith(("<policies", "<fragment")):
        yield v
for f in sys.argv[2:]:
    try:
        doc = json.load(open(f, encoding="utf-8-sig"))
    except Exception:
        continue
    for s in walk(doc):
        b = s.encode()
        open(os.path.join(out, hashlib.md5(b).hexdigest()[:16] + ".xml"), "wb").write(b)
' "$out"
    ;;
fuzz_openapi)
    # Every specification of the corpus and of tests/openapi.
    root=$(cd "$(dirname "$0")/../.." && pwd)
    { find "$corpus/openapi" "$corpus/apiops" -type f \( -name '*.json' -o -name '*.yaml' -o -name '*.yml' \) -print0
      find "$root/tests/openapi" "$root/tests/compiler/bad" -type f \( -name '*.yaml' -o -name '*.json' \) -print0; } |
        while IFS= read -r -d '' f; do cp "$f" "$out/$(echo "$f" | md5sum | cut -c1-16)"; done
    ;;
fuzz_apiops_config)
    find "$corpus" \( -name '*.yaml' -o -name '*.yml' \) -size -200k -print0 |
        while IFS= read -r -d '' f; do cp "$f" "$out/$(echo "$f" | md5sum | cut -c1-16).yaml"; done
    ;;
fuzz_arm_expr)
    find "$corpus" -name '*.json' -print0 | xargs -0 grep -ohE '"\[[^"]{1,400}\]"' 2>/dev/null |
        sed -E 's/^"\[//; s/\]"$//' | sort -u | head -3000 |
        while IFS= read -r e; do printf '%s' "$e" > "$out/$(printf '%s' "$e" | md5sum | cut -c1-16)"; done
    ;;
fuzz_csx)
    # Every @(...) and @{...} of the corpus, one per file.
    root=$(cd "$(dirname "$0")/../.." && pwd)
    ASAN_OPTIONS=detect_leaks=0 "${CSX_CORPUS:-$root/build-fuzz/tests/fuzz/csx_corpus}" "$corpus" --dump "$out"
    ;;
fuzz_csx_vm)
    # Every expression of the corpus after mode byte 1, and its compiled
    # program after mode byte 0.
    root=$(cd "$(dirname "$0")/../.." && pwd)
    tmp=$(mktemp -d)
    trap 'rm -rf "$tmp"' EXIT
    tool=${CSX_CORPUS:-$root/build-fuzz/tests/fuzz/csx_corpus}
    mkdir -p "$tmp/text" "$tmp/blob"
    ASAN_OPTIONS=detect_leaks=0 "$tool" "$corpus" --dump "$tmp/text"
    ASAN_OPTIONS=detect_leaks=0 "$tool" "$corpus" --dump-blobs "$tmp/blob"
    for f in "$tmp"/text/*; do { printf '\x01'; cat "$f"; } >"$out/text-$(basename "$f")"; done
    for f in "$tmp"/blob/*; do { printf '\x00'; cat "$f"; } >"$out/blob-$(basename "$f")"; done
    ;;
fuzz_plan)
    # Real plans, compiled by the fuzz build's apim from the repository's
    # templates and from every corpus template that makes one, with sample
    # values for parameters that have none (the others make `apim compile`
    # fail and are skipped). Each plan is seeded twice, after mode byte 0
    # (loaded as is) and 1 (CRC recomputed). Plans over scripts/fuzz's
    # -max_len would be cut short, so they are left out.
    root=$(cd "$(dirname "$0")/../.." && pwd)
    apim=${APIM:-$root/build-fuzz/runtime/cli/apim}
    tmp=$(mktemp -d)
    trap 'rm -rf "$tmp"' EXIT
    compile() { ASAN_OPTIONS=detect_leaks=0 "$apim" compile "$@" --file-path "$tmp/p.plan" >/dev/null 2>&1; }
    plan() { # FILE [--parameters name=value]
        compile "$@" || compile "$@" --sample-parameters || return 0
        [[ $(stat -c %s "$tmp/p.plan") -lt 65535 ]] || return 0
        for mode in 0 1; do
            { printf "\\x0$mode"; cat "$tmp/p.plan"; } >"$tmp/seed"
            cp "$tmp/seed" "$out/plan-$(md5sum <"$tmp/seed" | cut -c1-16)"
        done
    }
    plan "$root/azure-templates/echo-api.json" --parameters backendUrl=http://127.0.0.1:5000
    for f in "$root"/azure-templates/*.json "$root"/examples/seed/*.json; do plan "$f"; done
    find "$corpus" -name '*.json' -size -200k -print0 |
        while IFS= read -r -d '' f; do plan "$f"; done
    ;;
fuzz_stream_decl)
    # The declarations of the streaming goldens (sidecars and templates
    # with jobs in their metadata).
    root=$(cd "$(dirname "$0")/../.." && pwd)
    find "$root/tests/compiler/bad" -path '*stream-*' -name '*.json' -print0 |
        while IFS= read -r -d '' f; do cp "$f" "$out/$(echo "$f" | md5sum | cut -c1-16).json"; done
    ;;
fuzz_pathnorm)
    # Issue 11's traversal forms, RFC 3986's dot-segment examples, and
    # ordinary paths with encodings that must stay.
    for p in /pub/files/../../sec/data /pub/files/%2e%2e/%2e%2e/secret/data \
        '/pub/files/..%2F..%2Fsecret' '/pub/files/%2E%2E%5C%2E%2E%5Csecret' \
        '/pub/files/..\..\secret' '/pub/..;/x' /pub/files/%zz /pub/files/%4 \
        /b/c/./../g /b/c/g/./h /b/c/g\;x=1/../y /a/b/c/./../../g /b/c/../../../g \
        '/pub/a%2Fb/c%20d//e' /pub/%41%7e/items/1.json '/orders;rev=2/x' /pub/%252e%252e/x; do
        printf '%s' "$p" >"$out/path-$(printf '%s' "$p" | md5sum | cut -c1-16)"
    done
    ;;
fuzz_cli)
    # One byte for the command (its index in the table), then NUL-separated
    # arguments; and JSON documents, for the YAML writer.
    seed() { printf "$1" > "$out/cli-$(printf "$1" | md5sum | cut -c1-16)"; }
    for i in $(seq 0 24); do
        seed "\\x$(printf %02x "$i")--output\\0json\\0f.json\\0-p\\0a=1\\0--port=0\\0-qh"
        seed "\\x$(printf %02x "$i")-n\\0gw\\0-c\\0x.json\\0--\\0-o\\0--service-name"
    done
    find "$corpus" -name '*.json' -size -20k -print0 |
        while IFS= read -r -d '' f; do cp "$f" "$out/$(echo "$f" | md5sum | cut -c1-16).json"; done
    ;;
fuzz_framing)
    # Request heads, good and refused (the corpus has no raw HTTP).
    printf 'GET /a?b=c HTTP/1.1\r\nHost: a\r\nX-A: b\r\n\r\n' >"$out/good.http"
    printf 'POST /u HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n' >"$out/chunked.http"
    printf 'POST /u HTTP/1.1\r\nContent-Length: 3\r\nContent-Length: 3\r\n\r\nabc' >"$out/cl.http"
    printf 'GET / HTTP/1.1\r\nX-A: one\r\n two\r\n\r\n' >"$out/fold.http"
    printf 'GET / HTTP/1.0\n\n' >"$out/lf.http"
    printf '\x16\x03\x01\x00\xf4\x01\x00\x00\xf0\x03\x03' >"$out/tls.bin"
    # Near the limits, so that the verdict-within-FRAMING_HEAD_MAX rule is reached.
    { printf 'GET /'; head -c 16380 /dev/zero | tr '\0' a; printf ' HTTP/1.1\r\n'; } >"$out/target.http"
    { printf 'GET / HTTP/1.1\r\nX-Big: '; head -c 24570 /dev/zero | tr '\0' b; } >"$out/field.http"
    # Kept-alive streams for the walk: several requests, Content-Length and
    # chunked bodies (extensions, trailers, LF-only lines), and a refused
    # second head, chunk size, chunk end and trailer.
    get='GET /a HTTP/1.1\r\nHost: a\r\n\r\n'
    te='POST /c HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n'
    printf "$get"'POST /b HTTP/1.1\r\nContent-Length: 5\r\n\r\nhello'"$te"'4;n=v\r\nwiki\r\n5; a="b c"\r\npedia\r\n0\r\nX-T: t\r\n\r\n'"$get" >"$out/stream.http"
    printf '\r\nPUT /d HTTP/1.1\nContent-Length: 2\n\nokPOST /e HTTP/1.1\nTransfer-Encoding: chunked\n\n3\nabc\n0\n\n' >"$out/stream-lf.http"
    printf "$get"'GET / HTTP/1.1\r\nX-A: one\r\n two\r\n\r\n' >"$out/stream-fold.http"
    printf "$te"'10000000000000000\r\n' >"$out/stream-size.http"
    printf "$te"'3\r\nabcd\r\n0\r\n\r\n' >"$out/stream-end.http"
    printf "$te"'0\r\nX-T: a\001b\r\n\r\n' >"$out/stream-trailer.http"
    { printf "$te"'1;'; head -c 4100 /dev/zero | tr '\0' e; printf '\r\nx\r\n0\r\n\r\n'; } >"$out/stream-ext.http"
    { printf "$te"'0\r\nX-T: '; head -c 24570 /dev/zero | tr '\0' b; printf '\r\n\r\n'; } >"$out/stream-trailers.http"
    ;;
fuzz_reqguard)
    # fuzz_framing's seeds behind two bytes: the client's write size and
    # the reader's read size (each from 1 byte up).
    tmp=$(mktemp -d)
    "$0" fuzz_framing "$corpus" "$tmp"
    i=0
    for f in "$tmp"/*; do
        i=$((i + 1))
        { printf "\\x$(printf %02x $((i * 7 % 256)))\\x$(printf %02x $((i * 13 % 256)))"; cat "$f"; } >"$out/$(basename "$f")"
    done
    rm -rf "$tmp"
    ;;
esac
