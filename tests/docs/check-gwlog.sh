#!/usr/bin/env bash
# The gatewayLog field table of docs/streaming.md is generated from
# runtime/common/gwlog_fields.def by docs/gen/gwlog.py: regenerate it and
# require the page unchanged. After changing the table, run
#   python3 docs/gen/gwlog.py > /tmp/s.md && mv /tmp/s.md docs/streaming.md
set -u
root=$1
tmp=$(mktemp)
trap 'rm -f "$tmp"' EXIT
python3 "$root/docs/gen/gwlog.py" > "$tmp" || { echo "docs/gen/gwlog.py failed"; exit 1; }
if ! diff -u "$root/docs/streaming.md" "$tmp"; then
    echo "FAIL: docs/streaming.md's gatewayLog fields are out of date (regenerate them with docs/gen/gwlog.py)"
    exit 1
fi
echo "docs: streaming.md lists the $(grep -c '^GWLOG_FIELD(' "$root/runtime/common/gwlog_fields.def") gatewayLog fields of gwlog_fields.def"
