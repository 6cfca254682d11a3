#!/bin/sh
# The shipped examples validate cleanly: no error, no warning.
# usage: run-examples.sh APIM SOURCE_ROOT
set -u
apim=$1
root=$2
fail=0
for ex in api-analytics; do
    out=$("$apim" validate "$root/examples/$ex" 2>&1)
    rc=$?
    case $out in
    *" 0 errors, 0 warnings"*) ;;
    *) rc=1 ;;
    esac
    if [ $rc -ne 0 ]; then
        echo "FAIL examples/$ex:"
        echo "$out"
        fail=1
    else
        echo "ok examples/$ex"
    fi
done
# api-analytics declares its two jobs, both gatewayLog-fed
out=$("$apim" validate "$root/examples/api-analytics" 2>&1)
case $out in
*"valid streaming-jobs (2 jobs)"*) ;;
*) echo "FAIL api-analytics: expected 2 jobs"; fail=1 ;;
esac
exit $fail
