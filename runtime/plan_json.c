#include "plan_json.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

json_t *plan_json_text(struct str v)
{
    json_t *j = json_stringn(v.ptr ? v.ptr : "", v.len);
    if (j)
        return j;
    char *copy = xmalloc(v.len + 1);
    for (size_t i = 0; i < v.len; i++)
        copy[i] = (unsigned char)v.ptr[i] < 0x80 && v.ptr[i] ? v.ptr[i] : '?';
    j = json_stringn(copy, v.len);
    free(copy);
    return j;
}

json_t *plan_json_contract(const struct plan_operation *op)
{
    if (op->contract.len == 0)
        return NULL;
    json_t *j = json_loadb(op->contract.ptr, op->contract.len, 0, NULL);
    if (j && !json_is_object(j)) {
        json_decref(j);
        j = NULL;
    }
    return j;
}

static json_t *s(struct str v)
{
    return plan_json_text(v);
}

static json_t *s_or_null(struct str v)
{
    return v.len ? s(v) : json_null();
}

const char *plan_mask(struct str key, char out[16])
{
    size_t keep = key.len < 4 ? key.len : 4;
    snprintf(out, 16, "****%.*s", (int)keep, key.ptr + key.len - keep);
    return out;
}

static json_t *protocols(uint32_t flags)
{
    static const struct {
        uint32_t flag;
        const char *name;
    } names[] = { { PLAN_API_HTTP, "http" },
                  { PLAN_API_HTTPS, "https" },
                  { PLAN_API_WS, "ws" },
                  { PLAN_API_WSS, "wss" } };

    json_t *a = json_array();
    for (size_t i = 0; i < 4; i++)
        if (flags & names[i].flag)
            json_array_append_new(a, json_string(names[i].name));
    return a;
}

static json_t *op_ids(const struct plan *p, uint32_t first, uint32_t n)
{
    json_t *a = json_array();
    for (uint32_t i = 0; i < n; i++)
        json_array_append_new(a, s(p->ops[p->op_refs[first + i]].id));
    return a;
}

/* The route tree, nested: literal and pattern segments, {param}, "*". */
static json_t *node_json(const struct plan *p, uint32_t i, int depth)
{
    const struct plan_node *n = &p->nodes[i];
    json_t *o = json_object();
    if (n->nops)
        json_object_set_new(o, "operations", op_ids(p, n->first_op, n->nops));
    if (n->nwild)
        json_object_set_new(o, "*", op_ids(p, n->first_wild, n->nwild));
    if (depth > 64)
        return o;
    for (uint32_t k = 0; k < n->nliteral + n->npattern; k++) {
        const struct plan_edge *e = &p->edges[n->first_edge + k];
        char key[512];
        snprintf(key, sizeof(key), "/%.*s", (int)e->segment.len, e->segment.ptr);
        json_object_set_new(o, key, node_json(p, e->child, depth + 1));
    }
    if (n->param_child != PLAN_NONE)
        json_object_set_new(o, "/{param}", node_json(p, n->param_child, depth + 1));
    return o;
}

static const char *const section_names[4] = { "inbound", "backend", "outbound", "on-error" };

static json_t *sections(uint32_t bits)
{
    json_t *a = json_array();
    for (unsigned k = 0; k < 4; k++)
        if (bits & (1u << k))
            json_array_append_new(a, json_string(section_names[k]));
    return a;
}

static json_t *operation_json(const struct plan *p, const struct plan_operation *op)
{
    json_t *q = json_array();
    for (uint32_t i = 0; i < op->nquery; i++) {
        const struct plan_query *pq = &p->queries[op->first_query + i];
        json_array_append_new(
            q, json_pack("{s:o, s:o}", "name", s(pq->name), "value",
                         (pq->flags & PLAN_QUERY_PARAM) ? json_string("{param}") : s(pq->value)));
    }
    json_t *o =
        json_pack("{s:o, s:o, s:o, s:o}", "id", s(op->id), "displayName", s(op->display_name),
                  "method", s(op->method), "urlTemplate", s(op->url_template));
    if (op->nquery)
        json_object_set_new(o, "query", q);
    else
        json_decref(q);
    if (op->backend_url.len)
        json_object_set_new(o, "backendUrl", s(op->backend_url));
    if (op->backend != PLAN_NONE)
        json_object_set_new(o, "backend", s(p->backends[op->backend].id));
    if (op->flags & (PLAN_OP_CLOSED | PLAN_OP_CLOSED_BARE)) {
        json_object_set_new(o, "failsClosed",
                            json_string(op->flags & PLAN_OP_CLOSED ? "always" : "withoutProduct"));
        json_object_set_new(o, "closedReason", s(op->closed_why));
    }
    if (op->reach != PLAN_SECTION_MASK)
        json_object_set_new(o, "baseSections", sections(op->reach));
    json_t *contract = plan_json_contract(op);
    if (contract)
        json_object_set_new(o, "contract", contract);
    if (op->pipeline != PLAN_NONE)
        json_object_set_new(o, "pipeline", json_integer(op->pipeline));
    return o;
}

static json_t *api_json(const struct plan *p, const struct plan_api *a)
{
    json_t *ops = json_array();
    for (uint32_t i = 0; i < a->nops; i++)
        json_array_append_new(ops, operation_json(p, &p->ops[a->first_op + i]));
    json_t *o = json_pack(
        "{s:o, s:o, s:o, s:o, s:o, s:I, s:b, s:b, s:o, s:o, s:o}", "id", s(a->id), "displayName",
        s(a->display_name), "path", s(a->path), "serviceUrl", s_or_null(a->service_url), "version",
        s_or_null(a->version), "revision", (json_int_t)a->revision, "isCurrent",
        (a->flags & PLAN_API_CURRENT) != 0, "subscriptionRequired",
        (a->flags & PLAN_API_SUB_REQUIRED) != 0, "subscriptionKeyParameterNames",
        json_pack("{s:o, s:o}", "header", s(a->key_header), "query", s(a->key_query)), "protocols",
        protocols(a->flags), "operations", ops);
    json_object_set_new(o, "versionSet",
                        a->version_set == PLAN_NONE ? json_null()
                                                    : s(p->version_sets[a->version_set].id));
    json_object_set_new(o, "backend",
                        a->backend == PLAN_NONE ? json_null() : s(p->backends[a->backend].id));
    json_object_set_new(o, "routes", node_json(p, a->route_root, 0));
    return o;
}

static json_t *product_json(const struct plan *p, const struct plan_product *pr)
{
    json_t *apis = json_array();
    for (uint32_t i = 0; i < pr->napis; i++) {
        const struct plan_api *a = &p->apis[p->product_apis[pr->first_api + i]];
        char id[512];
        snprintf(id, sizeof(id), "%.*s;rev=%u", (int)a->id.len, a->id.ptr, a->revision);
        json_array_append_new(apis, json_string(id));
    }
    json_t *o = json_pack(
        "{s:o, s:o, s:b, s:b, s:s, s:o}", "id", s(pr->id), "displayName", s(pr->display_name),
        "subscriptionRequired", (pr->flags & PLAN_PRODUCT_SUB_REQUIRED) != 0, "approvalRequired",
        (pr->flags & PLAN_PRODUCT_APPROVAL) != 0, "state",
        (pr->flags & PLAN_PRODUCT_PUBLISHED) ? "published" : "notPublished", "apis", apis);
    if (pr->closed) {
        json_t *closed = json_object();
        for (unsigned k = 0; k < 4; k++)
            if (pr->closed & (1u << k))
                json_object_set_new(closed, section_names[k], s(*plan_product_why(pr, k)));
        json_object_set_new(o, "failsClosed", closed);
    }
    if (pr->pipeline != PLAN_NONE)
        json_object_set_new(o, "pipeline", json_integer(pr->pipeline));
    return o;
}

static json_t *subscription_json(const struct plan *p, const struct plan_subscription *sub,
                                 bool show)
{
    char m1[16], m2[16];
    json_t *o = json_pack("{s:o, s:o, s:o, s:s, s:s, s:b, s:b}", "id", s(sub->id), "displayName",
                          s(sub->display_name), "scope", s(sub->scope), "state",
                          plan_state_name(sub->state), "keys",
                          (sub->flags & PLAN_SUB_GENERATED_KEYS) ? "generated" : "template",
                          "allowTracing", (sub->flags & PLAN_SUB_ALLOW_TRACING) != 0, "builtIn",
                          (sub->flags & PLAN_SUB_BUILT_IN) != 0);
    json_object_set_new(o, "primaryKey",
                        show ? s(sub->primary_key) : json_string(plan_mask(sub->primary_key, m1)));
    json_object_set_new(o, "secondaryKey",
                        show ? s(sub->secondary_key)
                             : json_string(plan_mask(sub->secondary_key, m2)));
    if (sub->scope_kind == PLAN_SCOPE_PRODUCT && sub->scope_target != PLAN_NONE)
        json_object_set_new(o, "product", s(p->products[sub->scope_target].id));
    if (sub->scope_kind == PLAN_SCOPE_API && sub->scope_target != PLAN_NONE)
        json_object_set_new(o, "api", s(p->apis[sub->scope_target].id));
    return o;
}

static json_t *rest_json(const struct plan *p, json_t *root, bool show)
{
    json_t *vs = json_array(), *products = json_array(), *subs = json_array();
    json_t *backends = json_array(), *nvs = json_array();
    for (size_t i = 0; i < p->nversion_sets; i++) {
        const struct plan_version_set *v = &p->version_sets[i];
        json_array_append_new(vs, json_pack("{s:o, s:o, s:s, s:o, s:o}", "id", s(v->id),
                                            "displayName", s(v->display_name), "versioningScheme",
                                            plan_scheme_name(v->scheme), "versionQueryName",
                                            s_or_null(v->query_name), "versionHeaderName",
                                            s_or_null(v->header_name)));
    }
    for (size_t i = 0; i < p->nproducts; i++)
        json_array_append_new(products, product_json(p, &p->products[i]));
    for (size_t i = 0; i < p->nsubs; i++)
        json_array_append_new(subs, subscription_json(p, &p->subs[i], show));
    for (size_t i = 0; i < p->nbackends; i++) {
        const struct plan_backend *b = &p->backends[i];
        json_array_append_new(backends, json_pack("{s:o, s:o, s:o, s:b}", "id", s(b->id), "url",
                                                  s_or_null(b->url), "protocol", s(b->protocol),
                                                  "pool", (b->flags & PLAN_BACKEND_POOL) != 0));
    }
    for (size_t i = 0; i < p->nnamed_values; i++) {
        const struct plan_named_value *nv = &p->named_values[i];
        bool secret = nv->flags & PLAN_NV_SECRET;
        json_array_append_new(nvs,
                              json_pack("{s:o, s:o, s:b, s:b, s:o}", "id", s(nv->id), "displayName",
                                        s(nv->display_name), "secret", secret, "keyVault",
                                        (nv->flags & PLAN_NV_KEY_VAULT) != 0, "value",
                                        secret && !show ? json_string("****") : s(nv->value)));
    }
    json_object_set_new(root, "versionSets", vs);
    json_object_set_new(root, "products", products);
    json_object_set_new(root, "subscriptions", subs);
    json_object_set_new(root, "backends", backends);
    json_object_set_new(root, "namedValues", nvs);
    return root;
}

/* Each job with its definition as JSON (the loader checked it parses). */
static json_t *jobs_json(const struct plan *p)
{
    json_t *jobs = json_array();
    for (size_t i = 0; i < p->njobs; i++) {
        const struct plan_job *j = &p->jobs[i];
        json_t *def = json_loadb(j->definition.ptr, j->definition.len, 0, NULL);
        json_array_append_new(jobs,
                              json_pack("{s:o, s:b, s:o, s:o}", "name", s(j->name), "autoStart",
                                        (j->flags & PLAN_JOB_AUTO_START) != 0, "hash", s(j->hash),
                                        "definition", def ? def : json_null()));
    }
    return jobs;
}

int plan_json(const struct plan *p, bool show_secrets, struct buf *out)
{
    json_t *apis = json_array();
    for (size_t i = 0; i < p->napis; i++)
        json_array_append_new(apis, api_json(p, &p->apis[i]));
    json_t *root =
        json_pack("{s:{s:i, s:i}, s:I, s:s, s:{s:o, s:o}, s:o}", "format", "major",
                  PLAN_VERSION_MAJOR, "minor", p->bytes[10] | p->bytes[11] << 8, "size",
                  (json_int_t)p->size, "hash", p->hash, "service", "name", s(p->service.name),
                  "gatewayName", s(p->service.gateway_name), "apis", apis);
    if (p->service.flags & PLAN_SERVICE_ALLOW_UNENFORCED)
        json_object_set_new(json_object_get(root, "service"), "allowUnenforcedPolicies",
                            json_true());
    rest_json(p, root, show_secrets);
    if (p->bare_pipeline != PLAN_NONE) {
        json_object_set_new(root, "noProductPipeline", json_integer(p->bare_pipeline));
        json_object_set_new(root, "pipelines", plan_json_pipelines(p));
    }
    if (p->njobs)
        json_object_set_new(root, "jobs", jobs_json(p));
    char *text = json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    json_decref(root);
    int rc = text && buf_puts(out, text) == 0 && buf_puts(out, "\n") == 0 ? 0 : -1;
    free(text);
    return rc;
}

/* ---- pipelines ---- */

static const char *const scope_names[] = { "global", "product", "api", "operation" };

static json_t *step_json(const struct plan *p, uint32_t i);

/* The section of one bit (the loader checked there is one). */
static unsigned bit_index(uint32_t bit)
{
    unsigned k = 0;
    while (k < 3 && !(bit & (1u << k)))
        k++;
    return k;
}

static json_t *expr_json(const struct plan *p, uint32_t i)
{
    const struct plan_expr *x = &p->exprs[i];
    json_t *o = json_pack("{s:o, s:o}", "expression", s(x->text), "at", s(x->at));
    json_object_set_new(o, "compiled", json_boolean(x->code.len > 0));
    return o;
}

static json_t *steps_json(const struct plan *p, uint32_t first, uint32_t n)
{
    json_t *a = json_array();
    for (uint32_t k = 0; k < n; k++)
        json_array_append_new(a, step_json(p, first + k));
    return a;
}

static json_t *step_json(const struct plan *p, uint32_t i)
{
    const struct plan_step *st = &p->steps[i];
    if (st->kind == PLAN_STEP_PRODUCT)
        return json_pack("{s:s}", "product",
                         "the section of the request's product pipeline, or noProductPipeline");
    json_t *o =
        json_pack("{s:o, s:s, s:s, s:o}", st->kind == PLAN_STEP_POLICY ? "policy" : "element",
                  s(st->name), "scope", scope_names[st->scope], "section",
                  section_names[bit_index(st->section)], "at", s(st->at));
    if (st->flags & PLAN_STEP_FRAGMENT)
        json_object_set_new(o, "fragment", s(st->fragment));
    if (st->nattrs) {
        json_t *attrs = json_array();
        for (uint32_t k = 0; k < st->nattrs; k++) {
            const struct plan_step_attr *a = &p->step_attrs[st->first_attr + k];
            json_t *ao = json_pack("{s:o, s:o}", "name", s(a->name), "value", s(a->value));
            if (a->expr != PLAN_NONE) {
                json_t *x = expr_json(p, a->expr);
                json_object_update(ao, x);
                json_decref(x);
            }
            json_array_append_new(attrs, ao);
        }
        json_object_set_new(o, "attributes", attrs);
    }
    if (st->text_expr != PLAN_NONE)
        json_object_set_new(o, "text", expr_json(p, st->text_expr));
    else if (st->text.len)
        json_object_set_new(o, "text", s(st->text));
    if (st->nchildren)
        json_object_set_new(o, "children", steps_json(p, st->first_child, st->nchildren));
    return o;
}

json_t *plan_json_pipeline(const struct plan *p, uint32_t i)
{
    json_t *o = json_object();
    for (unsigned k = 0; k < 4; k++)
        json_object_set_new(o, section_names[k],
                            steps_json(p, plan_pipeline_first(&p->pipelines[i], k),
                                       plan_pipeline_count(&p->pipelines[i], k)));
    return o;
}

json_t *plan_json_pipelines(const struct plan *p)
{
    json_t *a = json_array();
    for (uint32_t i = 0; i < p->npipelines; i++)
        json_array_append_new(a, plan_json_pipeline(p, i));
    return a;
}
