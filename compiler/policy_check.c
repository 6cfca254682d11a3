/* policy_check.c - policy documents against the catalog (policy_check.h). */
#include "policy_check.h"

#include <string.h>

#include "suggest.h"

static unsigned scope_bit(enum model_scope s)
{
    switch (s) {
    case MODEL_SCOPE_GLOBAL:
        return POLICY_SCOPE_GLOBAL;
    case MODEL_SCOPE_PRODUCT:
        return POLICY_SCOPE_PRODUCT;
    case MODEL_SCOPE_API:
        return POLICY_SCOPE_API;
    case MODEL_SCOPE_OPERATION:
        return POLICY_SCOPE_OPERATION;
    }
    return 0;
}

static struct loc name_loc(const struct jval *v, const struct policy_element *e)
{
    return jval_string_subloc(v, e->offset, e->offset + e->name.len);
}

/* False (after saying so) if the root is not the one expected: then the
 * levels mean nothing and the rest is not checked. */
static bool check_root(struct model *m, const struct jval *v, const struct policy_outline *o,
                       bool fragment)
{
    const struct policy_element *r = o->root;
    const char *want = fragment ? "fragment" : "policies";
    if (r == NULL || str_eq(r->name, str_from_cstr(want)))
        return true;
    diag_emit(m->diag, DC_POLICY_SECTION, name_loc(v, r),
              "a policy %s has '<%s>' as its root element, not '<%.*s>'",
              fragment ? "fragment" : "document", want, STR_FMT(r->name));
    return false;
}

static void check_section(struct model *m, const struct jval *v, const struct policy_element *e)
{
    if (policy_section_bit(e->name))
        return;
    struct str names[POLICY_NSECTIONS];
    for (unsigned i = 0; i < POLICY_NSECTIONS; i++)
        names[i] = str_from_cstr(policy_section_name(1u << i));
    struct loc at = name_loc(v, e);
    struct diag_entry *d = diag_emit(m->diag, DC_POLICY_SECTION, at,
                                     "'%.*s' is not a policy section (inbound, backend, outbound, "
                                     "on-error)",
                                     STR_FMT(e->name));
    const char *hint = suggest(e->name, names, POLICY_NSECTIONS);
    if (hint)
        diag_note(m->diag, d, at, "did you mean '%s'?", hint);
}

static void unknown_policy(struct model *m, const struct jval *v, const struct policy_element *e)
{
    struct loc at = name_loc(v, e);
    struct diag_entry *d =
        diag_emit(m->diag, DC_UNKNOWN_POLICY, at, "unknown policy '%.*s'", STR_FMT(e->name));
    const char *hint = policy_suggest(e->name);
    if (hint)
        diag_note(m->diag, d, at, "did you mean '%s'?", hint);
}

/* scope: the document's scope bit, 0 in a fragment (its scope is where it
 * is included); sections are not checked in fragments either. */
static void check_policy(struct model *m, const struct jval *v, const struct policy_element *e,
                         unsigned scope)
{
    if (e->policy == POLICY_UNKNOWN) {
        unknown_policy(m, v, e);
        return;
    }
    const struct policy_info *p = policy_info(e->policy);
    char allowed[128];
    if (p->sections == 0) {
        diag_emit(m->diag, DC_POLICY_SCOPE, name_loc(v, e),
                  "policy '%s' is only allowed in GraphQL resolver policies", p->name);
        return;
    }
    unsigned section = policy_section_bit(e->section);
    if (section && !(p->sections & section)) {
        policy_format_sections(p->sections, allowed, sizeof(allowed));
        diag_emit(m->diag, DC_POLICY_SECTION, name_loc(v, e),
                  "policy '%s' is not allowed in '%.*s'; it may be used in %s", p->name,
                  STR_FMT(e->section), allowed);
    }
    if (scope && !(p->scopes & scope)) {
        policy_format_scopes(p->scopes, allowed, sizeof(allowed));
        diag_emit(m->diag, DC_POLICY_SCOPE, name_loc(v, e),
                  "policy '%s' is not allowed at %s scope; it may be used at: %s", p->name,
                  policy_scope_name(scope), allowed);
    }
}

static void check_document(struct model *m, const struct jval *v, struct policy_outline *o,
                           bool fragment, unsigned scope)
{
    policy_scan_report(m->arena, m->diag, v, o);
    if (!check_root(m, v, o, fragment))
        return;
    for (const struct policy_element *e = o->elements; e; e = e->next) {
        if (e->level == 1 && !o->fragment)
            check_section(m, v, e);
        else if (e->is_policy)
            check_policy(m, v, e, scope);
    }
    if (!o->complete)
        diag_emit(m->diag, DC_POLICY_UNREADABLE, jval_string_subloc(v, o->stop, o->stop + 1),
                  "policy text cannot be read from here on; the rest of it is not checked");
}

void policy_check_service(struct model *m, struct model_service *s)
{
    for (struct model_policy *p = s->policies; p; p = p->next) {
        diag_copy_at(m->diag, p->copy); /* copies' findings merge (diag.h) */
        if (strstr(p->format, "-link") == NULL)
            check_document(m, p->value, &p->outline, false, scope_bit(p->scope));
    }
    for (struct model_fragment *f = s->fragments; f; f = f->next) {
        diag_copy_at(m->diag, f->copy);
        check_document(m, f->value, &f->outline, true, 0);
    }
    diag_copy_at(m->diag, DIAG_COPY_NONE);
}
