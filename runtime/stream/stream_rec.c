/* stream_rec.c - batches of records, paths into records, number arithmetic
 * and the keyed table (open addressing over first-seen-ordered entries: one
 * hash lookup per record, never a scan). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "stream_int.h"

void sbatch_push(struct sbatch *b, json_t *key, json_t *val)
{
    if (b->n == b->cap) {
        b->cap = b->cap ? b->cap * 2 : 16;
        b->r = xrealloc(b->r, b->cap * sizeof(*b->r));
    }
    b->r[b->n++] = (struct srec){ key, val };
}

void sbatch_reserve(struct sbatch *b, size_t n)
{
    if (b->cap - b->n >= n)
        return;
    b->cap = b->n + n;
    b->r = xrealloc(b->r, b->cap * sizeof(*b->r));
}

void sbatch_reset(struct sbatch *b)
{
    for (size_t i = 0; i < b->n; i++) {
        json_decref(b->r[i].key);
        json_decref(b->r[i].val);
    }
    b->n = 0;
    if (b->lines) {
        buf_release(&b->lines->bytes);
        free(b->lines);
        b->lines = NULL;
    }
}

size_t sbatch_count(const struct sbatch *b)
{
    return b->n + (b->lines ? b->lines->n : 0);
}

void sbatch_release(struct sbatch *b)
{
    sbatch_reset(b);
    free(b->r);
    b->r = NULL;
    b->cap = 0;
}

void sbatch_move(struct sbatch *dst, struct sbatch *src)
{
    if (src->lines && !dst->lines) { /* only a socket's batch has lines, moved once */
        dst->lines = src->lines;
        src->lines = NULL;
    }
    if (dst->n == 0 && dst->cap <= src->cap) { /* the arrays trade places: no copy */
        struct sbatch t = *dst;
        dst->r = src->r, dst->cap = src->cap, dst->n = src->n;
        src->r = t.r, src->cap = t.cap, src->n = 0;
        return;
    }
    sbatch_reserve(dst, src->n);
    for (size_t i = 0; i < src->n; i++)
        sbatch_push(dst, src->r[i].key, src->r[i].val);
    src->n = 0;
}

json_t *srec_path(const struct srec *r, const char *path, json_t **tmp)
{
    json_t *v = r->val;
    *tmp = NULL;
    if (r->key) {
        *tmp = json_pack("{sOsO}", "key", r->key, "value", r->val);
        v = *tmp;
    }
    const char *p = path + 1;
    while (v && *p == '.') {
        const char *end = strchr(p + 1, '.');
        size_t n = end ? (size_t)(end - p - 1) : strlen(p + 1);
        v = json_is_object(v) ? json_object_getn(v, p + 1, n) : NULL;
        p += n + 1;
    }
    return v;
}

double snum_value(const json_t *v)
{
    return json_is_number(v) ? json_number_value(v) : 0.0;
}

bool snum_is_zero(const json_t *v)
{
    return json_is_integer(v) ? json_integer_value(v) == 0 : snum_value(v) == 0.0;
}

/* Integer arithmetic wraps like Python would not; past 2^63 the sum
 * becomes a float instead of overflowing (undefined behaviour in C). */
static json_t *int_add(json_int_t a, json_int_t b)
{
    json_int_t r;
    if (__builtin_add_overflow(a, b, &r))
        return json_real((double)a + (double)b);
    return json_integer(r);
}

json_t *snum_combine(enum sfunc f, const json_t *a, const json_t *b)
{
    bool ints = json_is_integer(a) && json_is_integer(b);
    double x = snum_value(a), y = snum_value(b);
    switch (f) {
    case SF_MIN:
    case SF_MAX:
        if ((f == SF_MIN) == (y < x))
            return json_incref((json_t *)b);
        return json_incref((json_t *)a);
    case SF_LAST:
        return json_incref((json_t *)b);
    default:
        if (ints)
            return int_add(json_integer_value(a), json_integer_value(b));
        return json_real(x + y);
    }
}

json_t *snum_sub(const json_t *a, const json_t *b)
{
    if (json_is_integer(a) && json_is_integer(b)) {
        json_int_t r;
        if (!__builtin_sub_overflow(json_integer_value(a), json_integer_value(b), &r))
            return json_integer(r);
    }
    return json_real(snum_value(a) - snum_value(b));
}

/* ---- the keyed table ---- */

static uint64_t hash_more(uint64_t h, const char *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)p[i]) * 1099511628211ull; /* FNV-1a */
    return h;
}

static uint64_t hash(const char *p, size_t n)
{
    return hash_more(1469598103934665603ull, p, n);
}

void skmap_init(struct skmap *m)
{
    memset(m, 0, sizeof(*m));
}

void skmap_release(struct skmap *m)
{
    for (size_t i = 0; i < m->n; i++) {
        free(m->e[i].ks);
        json_decref(m->e[i].key);
        json_decref(m->e[i].val);
        free(m->e[i].aux);
    }
    free(m->e);
    free(m->slot);
    skmap_init(m);
}

/* A slot holds the entry's index + 1 in its low 32 bits and the high 32
 * bits of the key's hash above them, so a probe rejects most other keys
 * without touching the entries. */
static uint64_t slot_of(uint64_t h, size_t idx)
{
    return (h & 0xffffffff00000000ull) | (uint64_t)(idx + 1);
}

static struct skent *slot_entry(const struct skmap *m, size_t s, uint64_t h)
{
    uint64_t v = m->slot[s];
    if ((v ^ h) >> 32)
        return NULL;
    return &m->e[(v & 0xffffffffu) - 1];
}

static void rehash(struct skmap *m, size_t nslot)
{
    free(m->slot);
    m->slot = xcalloc(nslot, sizeof(*m->slot));
    m->nslot = nslot;
    for (size_t i = 0; i < m->n; i++) {
        uint64_t h = hash(m->e[i].ks, m->e[i].kl);
        size_t s = h & (nslot - 1);
        while (m->slot[s])
            s = (s + 1) & (nslot - 1);
        m->slot[s] = slot_of(h, i);
    }
}

/* The key's bytes: strings as themselves (the common case, no allocation
 * beyond the copy), anything else as sorted compact JSON. */
/* A non-string key's bytes: 'j' and its sorted compact JSON. */
static char *key_bytes(const json_t *key, size_t *len)
{
    char *j = json_dumps(key, JSON_COMPACT | JSON_SORT_KEYS | JSON_ENCODE_ANY);
    size_t n = j ? strlen(j) : 0;
    char *s = xmalloc(n + 2);
    s[0] = 'j';
    memcpy(s + 1, j ? j : "", n + 1);
    free(j);
    *len = n + 1;
    return s;
}

static struct skent *add(struct skmap *m, size_t s, uint64_t h, char *ks, size_t kl, json_t *key)
{
    if (m->n == m->cap) {
        m->cap = m->cap ? m->cap * 2 : 16;
        m->e = xrealloc(m->e, m->cap * sizeof(*m->e));
    }
    m->slot[s] = slot_of(h, m->n);
    m->e[m->n] = (struct skent){ .ks = ks, .kl = kl, .key = key };
    return &m->e[m->n++];
}

struct skent *skmap_get_text(struct skmap *m, const char *p, size_t n, bool create)
{
    if ((m->n + 1) * 2 > m->nslot)
        rehash(m, m->nslot ? m->nslot * 2 : 64);
    uint64_t h = hash_more(hash("s", 1), p, n);
    size_t s = h & (m->nslot - 1);
    for (; m->slot[s]; s = (s + 1) & (m->nslot - 1)) {
        struct skent *e = slot_entry(m, s, h);
        if (e && e->kl == n + 1 && e->ks[0] == 's' && memcmp(e->ks + 1, p, n) == 0)
            return e;
    }
    if (!create)
        return NULL;
    char *ks = xmalloc(n + 2);
    ks[0] = 's';
    memcpy(ks + 1, p, n);
    ks[n + 1] = '\0';
    return add(m, s, h, ks, n + 1, json_stringn_nocheck(p, n));
}

struct skent *skmap_get(struct skmap *m, const json_t *key, bool create)
{
    if (json_is_string(key))
        return skmap_get_text(m, json_string_value(key), json_string_length(key), create);
    if ((m->n + 1) * 2 > m->nslot)
        rehash(m, m->nslot ? m->nslot * 2 : 64);
    size_t kl;
    char *ks = key_bytes(key, &kl);
    uint64_t h = hash(ks, kl);
    size_t s = h & (m->nslot - 1);
    for (; m->slot[s]; s = (s + 1) & (m->nslot - 1)) {
        struct skent *e = slot_entry(m, s, h);
        if (e && e->kl == kl && memcmp(e->ks, ks, kl) == 0) {
            free(ks);
            return e;
        }
    }
    if (!create) {
        free(ks);
        return NULL;
    }
    return add(m, s, h, ks, kl, json_incref((json_t *)key));
}

void skmap_compact(struct skmap *m)
{
    size_t w = 0;
    for (size_t i = 0; i < m->n; i++) {
        if (m->e[i].dead) {
            free(m->e[i].ks);
            json_decref(m->e[i].key);
            json_decref(m->e[i].val);
            free(m->e[i].aux);
            continue;
        }
        m->e[w++] = m->e[i];
    }
    if (w == m->n)
        return;
    m->n = w;
    rehash(m, m->nslot);
}
