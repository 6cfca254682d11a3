/* stream_words.c - the fused word count's table: text key -> running sum,
 * in first-seen order. It is the keyed table cut down to what a word
 * count touches per word, so that the per-word cost is close to a plain C
 * counter's: one hash over the bytes (eight at a time), a probe in an array
 * of slots that holds part of the hash (most other keys are rejected
 * without a second memory access), then length + memcmp against key bytes
 * kept together in one buffer rather than one allocation per key. */
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "stream_int.h"

#define K1 0x9e3779b97f4a7c15ull
#define K2 0xff51afd7ed558ccdull

/* A fast hash over the bytes: eight at a time, then a final mix so both
 * the low bits (the slot) and the high bits (kept in the slot) depend on
 * every byte. */
static uint64_t hash(const char *p, size_t n)
{
    uint64_t h = K1 ^ n, w;
    for (; n >= 8; n -= 8, p += 8) {
        memcpy(&w, p, 8);
        h = (h ^ w) * K2;
        h ^= h >> 31;
    }
    /* The last 0..7 bytes as whole loads (a byte-wise copy into w stalls
     * the load that follows it): the first and last four overlap and
     * together cover them all; n is already in h. */
    w = 0;
    if (n >= 4) {
        uint32_t a, b;
        memcpy(&a, p, 4);
        memcpy(&b, p + n - 4, 4);
        w = a | (uint64_t)b << 32;
    } else if (n > 0) {
        w = (uint64_t)(unsigned char)p[0] | (uint64_t)(unsigned char)p[n / 2] << 8 |
            (uint64_t)(unsigned char)p[n - 1] << 16;
    }
    h = (h ^ w) * K1;
    h ^= h >> 29;
    h *= K2;
    return h ^ (h >> 32);
}

void swords_init(struct swords *t)
{
    memset(t, 0, sizeof(*t));
}

void swords_release(struct swords *t)
{
    free(t->e);
    free(t->slot);
    free(t->bytes);
    swords_init(t);
}

static void grow_slots(struct swords *t)
{
    size_t nslot = t->nslot ? t->nslot * 2 : 1024;
    free(t->slot);
    t->slot = xcalloc(nslot, sizeof(*t->slot));
    t->nslot = nslot;
    for (size_t i = 0; i < t->n; i++) {
        size_t s = t->e[i].hash & (nslot - 1);
        while (t->slot[s])
            s = (s + 1) & (nslot - 1);
        t->slot[s] = (t->e[i].hash & 0xffffffff00000000ull) | (uint64_t)(i + 1);
    }
}

static struct swent *add(struct swords *t, size_t s, uint64_t h, const char *p, size_t n)
{
    if (t->n == t->cap) {
        t->cap = t->cap ? t->cap * 2 : 256;
        t->e = xrealloc(t->e, t->cap * sizeof(*t->e));
    }
    if (t->blen + n >= t->bcap) { /* ">=": the buffer exists even for one empty key */
        t->bcap = (t->blen + n) * 2 + 4096;
        t->bytes = xrealloc(t->bytes, t->bcap);
    }
    memcpy(t->bytes + t->blen, p, n);
    t->slot[s] = (h & 0xffffffff00000000ull) | (uint64_t)(t->n + 1);
    t->e[t->n] = (struct swent){ .off = t->blen, .len = n, .hash = h };
    t->blen += n;
    return &t->e[t->n++];
}

struct swent *swords_get(struct swords *t, const char *p, size_t n)
{
    if ((t->n + 1) * 2 > t->nslot)
        grow_slots(t);
    uint64_t h = hash(p, n);
    size_t mask = t->nslot - 1, s = h & mask;
    for (uint64_t v; (v = t->slot[s]) != 0; s = (s + 1) & mask) {
        if ((v ^ h) >> 32)
            continue;
        struct swent *e = &t->e[(v & 0xffffffffu) - 1];
        if (e->len == n && memcmp(t->bytes + e->off, p, n) == 0)
            return e;
    }
    return add(t, s, h, p, n);
}
