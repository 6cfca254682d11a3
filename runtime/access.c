#include "access.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <string.h>

struct key_slot {
    unsigned char digest[32];
    uint32_t sub; /* PLAN_NONE: empty slot */
};

struct access {
    const struct plan *plan;
    struct key_slot *slots;
    size_t nslots;
    /* products holding each API (all indexes into plan->products) */
    uint32_t **api_products;
    size_t *api_nproducts;
};

static void digest(struct str key, unsigned char out[32])
{
    unsigned int n = 0;
    EVP_Digest(key.ptr, key.len, out, &n, EVP_sha256(), NULL);
}

static size_t slot_of(const unsigned char d[32], size_t nslots)
{
    size_t h = 0;
    memcpy(&h, d, sizeof(h)); /* the digest is uniform: its first bytes are a hash */
    return h % nslots;
}

static void add_key(struct access *a, struct str key, uint32_t sub)
{
    if (key.len == 0)
        return;
    unsigned char d[32];
    digest(key, d);
    size_t j = slot_of(d, a->nslots);
    while (a->slots[j].sub != PLAN_NONE)
        j = (j + 1) % a->nslots;
    memcpy(a->slots[j].digest, d, 32);
    a->slots[j].sub = sub;
}

static void index_products(struct access *a)
{
    const struct plan *p = a->plan;
    a->api_products = xcalloc(p->napis + 1, sizeof(uint32_t *));
    a->api_nproducts = xcalloc(p->napis + 1, sizeof(size_t));
    for (uint32_t pr = 0; pr < p->nproducts; pr++) {
        for (uint32_t k = 0; k < p->products[pr].napis; k++) {
            uint32_t api = p->product_apis[p->products[pr].first_api + k];
            a->api_products[api] =
                xrealloc(a->api_products[api], (a->api_nproducts[api] + 1) * sizeof(uint32_t));
            a->api_products[api][a->api_nproducts[api]++] = pr;
        }
    }
}

struct access *access_new(const struct plan *p)
{
    struct access *a = xcalloc(1, sizeof(*a));
    a->plan = p;
    a->nslots = 4 * p->nsubs + 1;
    a->slots = xmalloc(a->nslots * sizeof(*a->slots));
    for (size_t i = 0; i < a->nslots; i++)
        a->slots[i].sub = PLAN_NONE;
    for (uint32_t i = 0; i < p->nsubs; i++) {
        add_key(a, p->subs[i].primary_key, i);
        add_key(a, p->subs[i].secondary_key, i);
    }
    index_products(a);
    return a;
}

void access_free(struct access *a)
{
    if (a == NULL)
        return;
    for (size_t i = 0; i < a->plan->napis; i++)
        free(a->api_products[i]);
    free(a->api_products);
    free(a->api_nproducts);
    free(a->slots);
    free(a);
}

struct str access_key(const struct plan *p, uint32_t api, const struct gw_request *req,
                      bool *present)
{
    const struct plan_api *a = &p->apis[api];
    char name[256];
    snprintf(name, sizeof(name), "%.*s", (int)a->key_header.len, a->key_header.ptr);
    const struct gw_header *h = gw_headers_get(&req->headers, name);
    if (h) {
        *present = h->value.len > 0;
        return h->value;
    }
    struct str v = gw_query_get(req->arena, req->raw_query, a->key_query, present);
    *present = *present && v.len > 0;
    return v;
}

/* The subscription owning key, or PLAN_NONE. Every slot on the probe path is
 * compared in full, with CRYPTO_memcmp, so timing does not tell how much of
 * a guess was right. */
static uint32_t find_key(const struct access *a, struct str key)
{
    unsigned char d[32];
    digest(key, d);
    uint32_t found = PLAN_NONE;
    for (size_t j = slot_of(d, a->nslots), probes = 0;
         a->slots[j].sub != PLAN_NONE && probes < a->nslots; j = (j + 1) % a->nslots, probes++)
        if (CRYPTO_memcmp(a->slots[j].digest, d, 32) == 0)
            found = a->slots[j].sub;
    return found;
}

static bool same_api(const struct plan *p, uint32_t x, uint32_t y)
{
    return x == y || str_eq(p->apis[x].id, p->apis[y].id);
}

static bool product_has(const struct access *a, uint32_t product, uint32_t api)
{
    for (size_t i = 0; i < a->api_nproducts[api]; i++)
        if (a->api_products[api][i] == product)
            return true;
    return false;
}

void access_check(const struct access *a, uint32_t api, struct str key, bool present,
                  struct access_decision *out)
{
    const struct plan *p = a->plan;
    *out = (struct access_decision){ ACCESS_BAD_KEY, PLAN_NONE, PLAN_NONE };
    if (present) {
        uint32_t sub = find_key(a, key);
        if (sub == PLAN_NONE || p->subs[sub].state != PLAN_SUB_ACTIVE)
            return;
        const struct plan_subscription *s = &p->subs[sub];
        bool ok = s->scope_kind == PLAN_SCOPE_ALL ||
                  (s->scope_kind == PLAN_SCOPE_API && s->scope_target != PLAN_NONE &&
                   same_api(p, s->scope_target, api)) ||
                  (s->scope_kind == PLAN_SCOPE_PRODUCT && s->scope_target != PLAN_NONE &&
                   product_has(a, s->scope_target, api));
        if (ok)
            *out = (struct access_decision){ ACCESS_GRANTED, sub,
                                             s->scope_kind == PLAN_SCOPE_PRODUCT ? s->scope_target
                                                                                 : PLAN_NONE };
        return;
    }
    /* No key: an open product holding the API, then the API's own setting. */
    for (size_t i = 0; i < a->api_nproducts[api]; i++) {
        uint32_t pr = a->api_products[api][i];
        if (!(p->products[pr].flags & PLAN_PRODUCT_SUB_REQUIRED)) {
            *out = (struct access_decision){ ACCESS_GRANTED, PLAN_NONE, pr };
            return;
        }
    }
    if (!(p->apis[api].flags & PLAN_API_SUB_REQUIRED))
        *out = (struct access_decision){ ACCESS_GRANTED, PLAN_NONE, PLAN_NONE };
    else
        out->result = ACCESS_NO_KEY;
}
