#include "suggest.h"

#include <stdio.h>

static size_t edit_distance(struct str a, struct str b)
{
    if (a.len > 64 || b.len > 64)
        return 99;
    size_t row[65];
    for (size_t j = 0; j <= b.len; j++)
        row[j] = j;
    for (size_t i = 1; i <= a.len; i++) {
        size_t diag = row[0];
        row[0] = i;
        for (size_t j = 1; j <= b.len; j++) {
            size_t up = row[j];
            int ca = a.ptr[i - 1] | 0x20, cb = b.ptr[j - 1] | 0x20;
            size_t best = diag + (ca != cb);
            if (up + 1 < best)
                best = up + 1;
            if (row[j - 1] + 1 < best)
                best = row[j - 1] + 1;
            row[j] = best;
            diag = up;
        }
    }
    return row[b.len];
}

const char *suggest(struct str name, const struct str *candidates, size_t n)
{
    size_t best = 99;
    const struct str *pick = NULL;
    for (size_t i = 0; i < n; i++) {
        size_t d = edit_distance(name, candidates[i]);
        if (d < best) {
            best = d;
            pick = &candidates[i];
        }
    }
    size_t limit = name.len < 4 ? 1 : name.len < 9 ? 2 : 3;
    if (pick == NULL || best > limit)
        return NULL;
    static char out[128];
    snprintf(out, sizeof(out), "%.*s", STR_FMT(*pick));
    return out;
}
