/* router.h - which API and operation a request is for, the way API
 * Management matches them (docs/gateway.md, "How requests are matched"):
 *
 *   1. the API path: the longest API path that is a prefix of the request path
 *      on a segment boundary, compared without case; ";rev=N" on its last
 *      segment asks for revision N;
 *   2. the version, when those APIs form a version set: the next path segment
 *      (Segment), a query parameter (Query) or a header (Header); none given
 *      means the Original (unversioned) API;
 *   3. the revision: the one asked for, else the current one;
 *   4. the operation: the method, then the rest of the path through the API's
 *      segment tree, a literal segment before a pattern ("{id}.json") before a
 *      {parameter} before a "*" wildcard, backtracking when a branch fails; a
 *      trailing slash does not matter; among operations that fit, the one
 *      whose template names the most query parameters present in the request.
 *
 * struct router is built once per plan and is read-only afterwards.
 * Ownership: router_new copies nothing from the plan; route results live in
 * the request arena. Errors: router_match returns a result code, never fails
 * otherwise.
 */
#ifndef APIM_RUNTIME_ROUTER_H
#define APIM_RUNTIME_ROUTER_H

#include "gw.h"
#include "plan.h"

#define ROUTER_MAX_SEGMENTS 128
#define ROUTER_MAX_PARAMS   32

struct router;

struct router *router_new(const struct plan *p);
void router_free(struct router *r);

enum router_result {
    ROUTER_MATCH,
    ROUTER_NO_API,      /* no API path fits, or no version/revision of it does */
    ROUTER_NO_OPERATION /* the API fits, no operation does */
};

struct route {
    uint32_t api, op;
    struct str rest; /* req->path after the API path (and version segment): "/items/1" or "" */
    struct str param_names[ROUTER_MAX_PARAMS];
    /* decoded values of the template's parameters: whole segments ({id}),
     * parts of a pattern ({id}.json), the wildcard ("*", without its leading
     * slash) and query parameters named in the template (?q={q}) */
    struct str param_values[ROUTER_MAX_PARAMS];
    size_t nparams;
};

/* Matches req->path (normalised: pathnorm.h), not req->raw_path. */
enum router_result router_match(const struct router *r, const struct gw_request *req,
                                struct route *out);

#endif
