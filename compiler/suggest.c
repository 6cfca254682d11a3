#include "suggest.h"

#include <stdio.h>

static int fold(char c)
{
    return c | 0x20;
}

/* Optimal string alignment distance: insertions, deletions, substitutions
 * and swaps of two neighbours ("stauts" is one edit from "status"), the
 * typos people make; ASCII case is ignored. */
static size_t edit_distance(struct str a, struct str b)
{
    if (a.len > 64 || b.len > 64)
        return 99;
    size_t rows[3][65];
    size_t *prev2 = rows[0], *prev = rows[1], *row = rows[2];
    for (size_t j = 0; j <= b.len; j++)
        prev[j] = j;
    for (size_t i = 1; i <= a.len; i++) {
        row[0] = i;
        for (size_t j = 1; j <= b.len; j++) {
            size_t best = prev[j - 1] + (fold(a.ptr[i - 1]) != fold(b.ptr[j - 1]));
            if (prev[j] + 1 < best)
                best = prev[j] + 1;
            if (row[j - 1] + 1 < best)
                best = row[j - 1] + 1;
            if (i > 1 && j > 1 && fold(a.ptr[i - 1]) == fold(b.ptr[j - 2]) &&
                fold(a.ptr[i - 2]) == fold(b.ptr[j - 1]) && prev2[j - 2] + 1 < best)
                best = prev2[j - 2] + 1;
            row[j] = best;
        }
        size_t *t = prev2;
        prev2 = prev;
        prev = row;
        row = t;
    }
    return prev[b.len];
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

void suggest_unknown_keys(struct diag *d, struct arena *a, const struct jval *obj,
                          const char *const *known, enum diag_code code,
                          enum unknown_key_wording wording, const char *what, unknown_key_note note)
{
    if (obj == NULL || obj->kind != JV_OBJECT || known == NULL)
        return;
    size_t nk = 0;
    while (known[nk])
        nk++;
    struct str *names = ARENA_ARRAY(a, struct str, nk + 1);
    for (size_t i = 0; i < nk; i++)
        names[i] = str_from_cstr(known[i]);
    for (size_t i = 0; i < obj->u.o.n; i++) {
        const struct jval_member *m = &obj->u.o.v[i];
        bool found = false;
        for (size_t k = 0; k < nk && !found; k++)
            found = str_ieq(m->key, names[k]);
        if (found)
            continue;
        struct diag_entry *e = wording == UNKNOWN_KEY_PROPERTY
                                   ? diag_emit(d, code, m->key_loc, "unknown %s property '%.*s'",
                                               what, STR_FMT(m->key))
                                   : diag_emit(d, code, m->key_loc, "%s has no property '%.*s'",
                                               what, STR_FMT(m->key));
        if (note && note(d, e, m))
            continue;
        const char *hint = suggest(m->key, names, nk);
        if (hint)
            diag_note(d, e, m->key_loc, "did you mean '%s'?", hint);
    }
}
