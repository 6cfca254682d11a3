/* access.h - subscription keys and products: may this request call this API?
 *
 * API Management's rules (docs/gateway.md, "Subscriptions and products"):
 * a key, when given, must be a primary or secondary key of an active
 * subscription scoped to all APIs, to this API, or to a product holding it;
 * otherwise 401 (invalid key). Without a key, an open product (no
 * subscription required) holding the API, or the API's own
 * subscriptionRequired=false, lets the call through; otherwise 401 (missing
 * key). Keys are found by their SHA-256 and compared in constant time.
 * struct access is built once per plan and is read-only afterwards.
 */
#ifndef APIM_RUNTIME_ACCESS_H
#define APIM_RUNTIME_ACCESS_H

#include "gw.h"
#include "plan.h"

struct access;

struct access *access_new(const struct plan *p);
void access_free(struct access *a);

enum access_result {
    ACCESS_GRANTED,
    ACCESS_NO_KEY, /* 401: missing subscription key */
    ACCESS_BAD_KEY /* 401: invalid key, or not active, or not for this API */
};

struct access_decision {
    enum access_result result;
    uint32_t subscription; /* or PLAN_NONE */
    uint32_t product;      /* the product the call runs in, or PLAN_NONE */
};

/* The key of the request for api: its key header, else its key query
 * parameter (the query is looked at only without the header). */
struct str access_key(const struct plan *p, uint32_t api, const struct gw_request *req,
                      bool *present);

void access_check(const struct access *a, uint32_t api, struct str key, bool present,
                  struct access_decision *out);

#endif
