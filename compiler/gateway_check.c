/* gateway_check.c - what the local gateway will do with the model
 * (gateway_check.h): policies it does not apply, APIs it cannot serve, and
 * operations that fail closed. */
#include "gateway_check.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "apim_limits.h"
#include "policy_compose.h"

#define MAX_FRAGMENT_HOPS 8

bool gateway_check_applied(const struct policy_element *e, enum model_scope scope)
{
    bool top = e->depth == 0;
    switch (e->policy) {
    case POLICY_BASE:
        return true;
    case POLICY_FORWARD_REQUEST:
        return top && str_eq(e->section, STR_LIT("backend"));
    case POLICY_SET_BACKEND_SERVICE:
        return scope != MODEL_SCOPE_PRODUCT && top && str_eq(e->section, STR_LIT("inbound")) &&
               (policy_attr_literal(e, "backend-id").len || policy_attr_literal(e, "base-url").len);
    default:
        return false;
    }
}

static const char *scope_word(enum model_scope s)
{
    switch (s) {
    case MODEL_SCOPE_GLOBAL:
        return "global";
    case MODEL_SCOPE_WORKSPACE:
        return "workspace";
    case MODEL_SCOPE_PRODUCT:
        return "product";
    case MODEL_SCOPE_API:
        return "API";
    case MODEL_SCOPE_OPERATION:
        return "operation";
    }
    return "?";
}

static unsigned section_index(unsigned bit)
{
    unsigned i = 0;
    while (i < POLICY_NSECTIONS && bit != 1u << i)
        i++;
    return i;
}

/* ---- one document ---- */

struct doc {
    struct model *m;
    const struct model_service *s;
    struct model_policy *p;
};

static void close_section(struct model_policy_effect *fx, unsigned bit, const char *why,
                          struct loc at)
{
    unsigned i = section_index(bit);
    if (i < POLICY_NSECTIONS && fx->closes[i] == NULL) {
        fx->closes[i] = why;
        fx->closes_at[i] = at;
    }
}

static void close_all(struct model_policy_effect *fx, const char *why, struct loc at)
{
    for (unsigned i = 0; i < POLICY_NSECTIONS; i++)
        close_section(fx, 1u << i, why, at);
}

static const struct model_fragment *fragment_named(const struct model_service *s, struct str id)
{
    for (const struct model_fragment *f = s->fragments; f; f = f->next)
        if (str_ieq(str_from_cstr(f->id), id))
            return f;
    return NULL;
}

/* Why an include-fragment fails closed: the fragment holds a policy that
 * refuses requests, or cannot be read. NULL: it does not. */
static const char *fragment_closes(struct doc *d, const struct policy_element *inc, struct loc *at,
                                   unsigned hops)
{
    struct arena *a = d->m->arena;
    struct str id = policy_attr_literal(inc, "fragment-id");
    const char *scope = scope_word(d->p->scope);
    if (id.len == 0)
        return arena_printf(a, "a fragment chosen by an expression (at %s scope) cannot be read",
                            scope);
    const struct model_fragment *f = fragment_named(d->s, id);
    if (f == NULL || f->value == NULL || f->value->kind != JV_STRING || !f->outline.complete)
        return arena_printf(a, "fragment '%.*s' (included at %s scope) cannot be read", STR_FMT(id),
                            scope);
    for (const struct policy_element *e = f->outline.elements; e; e = e->next) {
        if (!e->is_policy || e->policy == POLICY_UNKNOWN)
            continue;
        if (policy_info(e->policy)->flags & POLICY_F_FAIL_CLOSED) {
            *at = jval_string_subloc(f->value, e->offset, e->offset + e->name.len);
            return arena_printf(
                a, "policy '%.*s' of fragment '%s' (included at %s scope) is not applied locally",
                STR_FMT(e->name), f->id, scope);
        }
        const char *why = NULL;
        if (e->policy == POLICY_INCLUDE_FRAGMENT && hops < MAX_FRAGMENT_HOPS)
            why = fragment_closes(d, e, at, hops + 1);
        if (why)
            return why;
    }
    return NULL;
}

/* ---- set-backend-service base-url="{{named value}}" ---- */

static const struct model_named_value *named_value(const struct model_service *s, struct str name)
{
    for (const struct model_named_value *nv = s->named_values; nv; nv = nv->next)
        if (str_ieq(str_from_cstr(nv->id), name) ||
            (nv->display_name && str_ieq(str_from_cstr(nv->display_name), name)))
            return nv;
    return NULL;
}

/* Why the value of named value nv cannot stand in a URL at compile time,
 * or NULL if it can: only a plain value that is literal text. */
static const char *unusable(const struct model_named_value *nv)
{
    if (nv == NULL)
        return "is not defined in this template";
    if (nv->key_vault)
        return "is a Key Vault secret";
    if (nv->secret)
        return "is secret (a plan never holds secrets)";
    if (nv->value == NULL || nv->value->kind != JV_STRING)
        return "is known only at deployment";
    struct str v = nv->value->u.s;
    if (memchr(v.ptr, '@', v.len) || memmem(v.ptr, v.len, "{{", 2))
        return "is a policy expression";
    return NULL;
}

/* v with each {{name}} replaced by its plain value, or NULL with the name
 * and the reason of the first one that cannot be. */
static const char *resolve_url(struct doc *d, struct str v, struct str *name, const char **why)
{
    struct buf out;
    buf_init(&out, APIM_MAX_URL_LENGTH);
    const char *url = NULL;
    size_t i = 0;
    while (i < v.len) {
        const char *open = i + 1 < v.len ? memmem(v.ptr + i, v.len - i, "{{", 2) : NULL;
        const char *close =
            open ? memmem(open + 2, v.len - (size_t)(open + 2 - v.ptr), "}}", 2) : NULL;
        size_t stop = close ? (size_t)(open - v.ptr) : v.len;
        if (buf_append(&out, v.ptr + i, stop - i) != 0)
            goto out;
        if (close == NULL)
            break;
        *name = (struct str){ open + 2, (size_t)(close - open - 2) };
        const struct model_named_value *nv = named_value(d->s, *name);
        if ((*why = unusable(nv)) != NULL ||
            buf_append(&out, nv->value->u.s.ptr, nv->value->u.s.len) != 0)
            goto out;
        i = (size_t)(close + 2 - v.ptr);
    }
    url = arena_strndup(d->m->arena, out.data ? out.data : "", out.len);
out:
    if (url == NULL && *why == NULL)
        *why = "makes a URL that is too long";
    buf_release(&out);
    return url;
}

/* Where the gateway applies set-backend-service e (gateway_check_applied)
 * and its base-url uses named values, they are resolved in place: the
 * attribute becomes the literal URL that plan_write reads. One that cannot
 * be resolved is reported (APIM6006) and closes the section: sending the
 * request to another backend would be worse than answering 500. False then. */
static bool backend_url_resolved(struct doc *d, struct policy_element *e, unsigned section)
{
    struct policy_attr *a = NULL;
    for (size_t i = 0; i < e->nattrs && a == NULL; i++)
        if (str_ieq_cstr(e->attrs[i].name, "base-url"))
            a = &e->attrs[i];
    if (a == NULL || a->literal || memchr(a->value.ptr, '@', a->value.len) || e->depth != 0 ||
        !str_eq(e->section, STR_LIT("inbound")) || d->p->scope == MODEL_SCOPE_PRODUCT)
        return true; /* nothing to resolve, or not applied where it stands (APIM6001) */
    struct str name = STR_NULL;
    const char *why = NULL;
    const char *url = resolve_url(d, a->value, &name, &why);
    if (url) {
        a->value = str_from_cstr(url);
        a->literal = true;
        return true;
    }
    size_t off = (size_t)(a->value.ptr - d->p->value->u.s.ptr);
    struct loc at = jval_string_subloc(d->p->value, off, off + a->value.len);
    diag_emit(d->m->diag, DC_BACKEND_URL_UNRESOLVED, at,
              "the base-url of set-backend-service uses named value '%.*s', which %s; the local "
              "gateway does not resolve it, so the requests it applies to fail closed",
              STR_FMT(name), why);
    close_section(&d->p->effect, section,
                  arena_printf(d->m->arena,
                               "the base-url of set-backend-service at %s scope uses named value "
                               "'%.*s', which %s",
                               scope_word(d->p->scope), STR_FMT(name), why),
                  at);
    return false;
}

static void policy_element_effect(struct doc *d, struct policy_element *e)
{
    struct model_policy *p = d->p;
    const struct policy_info *info = policy_info(e->policy);
    unsigned section = policy_section_bit(e->section);
    struct loc at = jval_string_subloc(p->value, e->offset, e->offset + e->name.len);
    if (e->policy == POLICY_SET_BACKEND_SERVICE && !backend_url_resolved(d, e, section))
        return;
    if (gateway_check_applied(e, p->scope))
        return;
    diag_emit(d->m->diag, DC_POLICY_NOT_APPLIED, at,
              "policy '%s' is not applied by the local gateway yet; it is skipped", info->name);
    const char *why = NULL;
    if (info->flags & POLICY_F_FAIL_CLOSED)
        why = arena_printf(d->m->arena, "policy '%s' at %s scope is not applied locally",
                           info->name, scope_word(p->scope));
    else if (e->policy == POLICY_INCLUDE_FRAGMENT)
        why = fragment_closes(d, e, &at, 0);
    if (why)
        close_section(&p->effect, section, why, at);
}

static void document_effect(struct doc *d)
{
    struct model_policy *p = d->p;
    const char *scope = scope_word(p->scope);
    if (strstr(p->format, "-link")) {
        close_all(&p->effect,
                  arena_printf(d->m->arena, "the %s scope policy is linked from a URL and not read",
                               scope),
                  p->loc);
        return;
    }
    if (p->value == NULL || p->value->kind != JV_STRING) {
        close_all(
            &p->effect,
            arena_printf(d->m->arena, "the %s scope policy is known only at deployment", scope),
            p->loc);
        return;
    }
    const struct policy_element *root = p->outline.root;
    if (root && !str_eq(root->name, STR_LIT("policies"))) { /* APIM4012 said so */
        close_all(&p->effect,
                  arena_printf(d->m->arena, "the %s scope policy text cannot be read", scope),
                  jval_string_subloc(p->value, root->offset, root->offset + root->name.len));
        return;
    }
    for (struct policy_element *e = p->outline.elements; e; e = e->next)
        if (e->is_policy && e->policy != POLICY_UNKNOWN && !(e->level == 1 && !p->outline.fragment))
            policy_element_effect(d, e);
    if (!p->outline.complete)
        close_all(&p->effect,
                  arena_printf(d->m->arena, "the %s scope policy text cannot be read", scope),
                  jval_string_subloc(p->value, p->outline.stop, p->outline.stop + 1));
}

/* ---- APIs and operations ---- */

static void check_served(struct model *m, struct model_api *a)
{
    if (a->external)
        return;
    if (a->path == NULL) {
        /* After an error, the path may be missing only because it failed. */
        if (m->diag->nerrors == m->errors_at_init)
            diag_emit(m->diag, DC_API_NOT_SERVED, a->loc,
                      "API '%s' has no path, so the gateway cannot serve it", a->id);
        a->not_served = true;
    } else if (a->type && str_ieq_cstr(str_from_cstr(a->type), "websocket")) {
        diag_emit(m->diag, DC_API_NOT_SERVED, a->loc,
                  "API '%s' is a WebSocket API; the local gateway serves HTTP only", a->id);
        a->not_served = true;
    }
}

/* ---- composition: policy_compose_walk, as 'apim policy show' composes ----
 *
 * Which documents run in which section comes from the composition itself
 * (one source of truth): a walk records, per section, the scope documents
 * it enters in order and the sections where it reaches the product slot;
 * why a section of a document fails closed is that document's effect. */

#define MAX_ENTERED 8 /* more only with <base /> repeated (APIM4031) */

struct entered {
    const struct model_policy *docs[POLICY_NSECTIONS][MAX_ENTERED];
    unsigned ndocs[POLICY_NSECTIONS];
    unsigned at;    /* the section being walked (index) */
    unsigned slots; /* sections (bits) that reach the product slot */
};

static void on_section(void *ctx, unsigned bit)
{
    ((struct entered *)ctx)->at = section_index(bit);
}

static void on_open(void *ctx, const struct policy_compose_step *step)
{
    (void)ctx, (void)step;
}

static void on_close(void *ctx)
{
    (void)ctx;
}

static void on_product(void *ctx)
{
    struct entered *e = ctx;
    e->slots |= 1u << e->at;
}

static void on_enter(void *ctx, enum policy_compose_level level, const struct model_policy *doc)
{
    struct entered *e = ctx;
    (void)level;
    if (e->ndocs[e->at] < MAX_ENTERED)
        e->docs[e->at][e->ndocs[e->at]++] = doc;
}

static void walk(const struct policy_compose_call *call, enum policy_compose_level top,
                 struct entered *out)
{
    *out = (struct entered){ .at = 0 };
    struct policy_compose_walk_opts o = { top, top == POLICY_COMPOSE_OPERATION };
    struct policy_compose_sink sink = { out, on_section, on_open, on_close, on_product, on_enter };
    const char *problem;
    (void)policy_compose_walk(call, &o, &sink, &problem); /* problems: APIM4011.., APIM4023 */
}

/* The first document the walk entered in section i that fails closed
 * there, or NULL. */
static const struct model_policy *closing(const struct entered *e, unsigned i)
{
    for (unsigned k = 0; k < e->ndocs[i]; k++)
        if (e->docs[i][k]->effect.closes[i])
            return e->docs[i][k];
    return NULL;
}

/* Composes the operation's and API's documents; the product slot's
 * sections are its reach, where the global one (bare: the walk without a
 * product) runs when no product applies. */
static void compose_operation(struct model *m, struct model_service *s, struct model_operation *op,
                              const struct entered *bare)
{
    struct entered e;
    struct policy_compose_call call = { m, s, op->api, op, NULL };
    walk(&call, POLICY_COMPOSE_OPERATION, &e);
    op->reach = e.slots;
    for (unsigned i = 0; i < POLICY_NSECTIONS && !op->closed; i++) {
        const struct model_policy *d = closing(&e, i);
        if (d) {
            op->closed = true;
            op->closed_why = d->effect.closes[i];
            op->closed_at = d->effect.closes_at[i];
        }
    }
    for (unsigned i = 0; i < POLICY_NSECTIONS && !op->closed && !op->closed_bare; i++) {
        const struct model_policy *g = (op->reach & (1u << i)) ? closing(bare, i) : NULL;
        if (g) {
            op->closed_bare = true;
            op->closed_why = g->effect.closes[i];
            op->closed_at = g->effect.closes_at[i];
        }
    }
}

/* An operation without a document of its own composes as its API's first
 * such operation did (the result depends on the two documents only). */
static void compose_like(struct model_operation *op, const struct model_operation *as)
{
    op->reach = as->reach;
    op->closed = as->closed;
    op->closed_bare = as->closed_bare;
    op->closed_why = as->closed_why;
    op->closed_at = as->closed_at;
}

static void compose_product(struct model *m, struct model_service *s, struct model_product *pr)
{
    struct entered e;
    struct policy_compose_call call = { m, s, NULL, NULL, pr };
    walk(&call, POLICY_COMPOSE_PRODUCT, &e);
    for (unsigned i = 0; i < POLICY_NSECTIONS; i++) {
        const struct model_policy *d = closing(&e, i);
        if (d == NULL)
            continue;
        pr->closed |= 1u << i;
        pr->closed_why[i] = d->effect.closes[i];
        pr->closed_at[i] = d->effect.closes_at[i];
    }
}

/* ---- APIM6005 ---- */

struct contexts {
    char text[300];
    size_t used;
    unsigned n;
    const char *why;
    struct loc at;
};

static void add_context(struct contexts *c, const char *what, const char *why, struct loc at)
{
    if (c->n++ == 0) {
        c->why = why;
        c->at = at;
    }
    if (c->n > 4 || c->used >= sizeof(c->text))
        return;
    int w = snprintf(c->text + c->used, sizeof(c->text) - c->used, "%s%s",
                     c->n > 1 ? (c->n == 4 ? " or others" : " or ") : " ", c->n == 4 ? "" : what);
    c->used += w > 0 ? (size_t)w : 0;
}

/* The links of products that fail closed somewhere, sorted by API id, so
 * each API finds its own by bisection (linear in the model, not links per
 * operation). */
struct closing {
    const struct model_product_api **v;
    size_t n;
};

static int by_api(const void *a, const void *b)
{
    const struct model_product_api *x = *(const struct model_product_api *const *)a;
    const struct model_product_api *y = *(const struct model_product_api *const *)b;
    return strcasecmp(x->api_id, y->api_id);
}

static void closing_links(struct model *m, const struct model_service *s, struct closing *out)
{
    size_t n = 0;
    for (const struct model_product_api *l = s->links; l; l = l->next)
        n += l->product && l->product->closed;
    out->v = ARENA_ARRAY(m->arena, const struct model_product_api *, n + 1);
    out->n = 0;
    for (const struct model_product_api *l = s->links; l; l = l->next)
        if (l->product && l->product->closed)
            out->v[out->n++] = l;
    if (out->n > 1)
        qsort(out->v, out->n, sizeof(*out->v), by_api);
}

/* The closing links of API id: [*first, *first + return). */
static size_t links_of(const struct closing *c, const char *id, size_t *first)
{
    size_t lo = 0, hi = c->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (strcasecmp(c->v[mid]->api_id, id) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    size_t end = lo;
    while (end < c->n && strcasecmp(c->v[end]->api_id, id) == 0)
        end++;
    *first = lo;
    return end - lo;
}

static unsigned lowest_bit(unsigned bits)
{
    unsigned b = 1;
    while (b && !(bits & b))
        b <<= 1;
    return b;
}

/* Where the operation fails closed: always, or in these contexts. */
static void closed_contexts(struct model *m, const struct closing *links,
                            const struct model_operation *op, struct contexts *c)
{
    if (op->closed_bare)
        add_context(c, "without a product", op->closed_why, op->closed_at);
    size_t first, n = links_of(links, op->api->id, &first);
    for (size_t k = first; k < first + n; k++) {
        const struct model_product *pr = links->v[k]->product;
        unsigned hit = op->reach & pr->closed;
        if (hit == 0)
            continue;
        unsigned i = section_index(lowest_bit(hit));
        add_context(c, arena_printf(m->arena, "under product '%s'", pr->id), pr->closed_why[i],
                    pr->closed_at[i]);
    }
}

/* The operations of one API that fail closed for one reason, reported as one
 * diagnostic: an imported API's fifty operations behind one unenforceable API
 * policy are one finding, not fifty. */
struct closed_group {
    const struct model_operation *first;
    struct contexts c;
    char names[200];
    size_t used;
    unsigned n;
};

static bool same_reason(const struct contexts *a, const struct contexts *b)
{
    return a->why == b->why && strcmp(a->text, b->text) == 0 && a->at.src == b->at.src &&
           a->at.start == b->at.start && a->at.end == b->at.end;
}

static void flush_closed(struct model *m, struct closed_group *g, bool allow)
{
    if (g->n == 0)
        return;
    const struct model_operation *op = g->first;
    diag_copy_at(m->diag, op->copy);
    const char *ops = g->n == 1   ? arena_printf(m->arena, "operation '%s'", op->id)
                      : g->n <= 3 ? arena_printf(m->arena, "operations %s", g->names)
                                  : arena_printf(m->arena, "%u operations (%s and %u more)", g->n,
                                                 g->names, g->n - 3);
    const char *when = op->closed ? "" : g->c.text;
    struct diag_entry *e;
    if (allow)
        e = diag_emit(m->diag, DC_FAILS_CLOSED, op->loc,
                      "%s of API '%s' %s served%s although %s (--allow-unenforced-policies)", ops,
                      op->api->id, g->n == 1 ? "is" : "are", when, g->c.why);
    else
        e = diag_emit(m->diag, DC_FAILS_CLOSED, op->loc,
                      "%s of API '%s' fail%s closed%s: %s, so the gateway answers 500", ops,
                      op->api->id, g->n == 1 ? "s" : "", when, g->c.why);
    if (g->c.at.src)
        diag_note(m->diag, e, g->c.at, "the policy is here");
    g->n = 0;
    g->used = 0;
    g->names[0] = '\0';
}

static void report_closed(struct model *m, const struct closing *links,
                          const struct model_operation *op, struct closed_group *g, bool allow)
{
    struct contexts c = { "", 0, 0, NULL, LOC_NONE };
    if (op->closed)
        add_context(&c, "", op->closed_why, op->closed_at);
    else
        closed_contexts(m, links, op, &c);
    if (c.n == 0)
        return;
    if (g->n > 0 && (g->first->closed != op->closed || !same_reason(&g->c, &c)))
        flush_closed(m, g, allow);
    if (g->n++ == 0) {
        g->first = op;
        g->c = c;
    }
    if (g->n <= 3 && g->used < sizeof(g->names)) {
        int w = snprintf(g->names + g->used, sizeof(g->names) - g->used, "%s'%s'",
                         g->n == 1 ? "" : ", ", op->id);
        g->used += w > 0 ? (size_t)w : 0;
    }
}

/* ---- the model ---- */

static void check_service(struct model *m, struct model_service *s, bool allow)
{
    for (struct model_api *a = s->apis; a; a = a->next) {
        diag_copy_at(m->diag, a->copy); /* copies' findings merge (diag.h) */
        check_served(m, a);
    }
    for (struct model_policy *p = s->policies; p; p = p->next) {
        diag_copy_at(m->diag, p->copy);
        struct doc d = { m, s, p };
        document_effect(&d);
    }
    for (struct model_product *pr = s->products; pr; pr = pr->next)
        compose_product(m, s, pr);
    struct entered bare;
    struct policy_compose_call global = { m, s, NULL, NULL, NULL };
    walk(&global, POLICY_COMPOSE_PRODUCT, &bare);
    struct closing links;
    closing_links(m, s, &links);
    for (struct model_api *a = s->apis; a; a = a->next) {
        if (a->external || a->not_served)
            continue;
        struct closed_group group = { .n = 0 };
        const struct model_operation *shared = NULL;
        for (struct model_operation *op = a->ops; op; op = op->next) {
            if (op->policy == NULL && shared)
                compose_like(op, shared);
            else
                compose_operation(m, s, op, &bare);
            shared = op->policy == NULL && shared == NULL ? op : shared;
            report_closed(m, &links, op, &group, allow);
        }
        flush_closed(m, &group, allow);
    }
    diag_copy_at(m->diag, DIAG_COPY_NONE);
}

void gateway_check(struct model *m, bool allow_unenforced)
{
    for (struct model_service *s = m->services; s; s = s->next)
        check_service(m, s, allow_unenforced);
    diag_copy_flush(m->diag);
}
