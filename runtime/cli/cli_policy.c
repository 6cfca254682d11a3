/* cli_policy.c - apim policy show: the effective policy of one call
 * (composed by compiler/policy/policy_compose.c), from a configuration
 * compiled on the fly: as XML (--output xml, the default), or as JSON or
 * YAML (the pipeline tree of policy_pipeline.h: sections, elements with
 * their scope, fragment, file:line:col, attributes and expressions). */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "cli_cmd.h"
#include "compile.h"
#include "policy_compose.h"
#include "policy_pipeline.h"

struct show_opts {
    struct cli_config cfg;
    const char *api_id, *op_id, *product_id;
};

/* The API id;rev=N of s, or its current revision for a bare id (the first
 * declared if none is marked current). */
static struct model_api *api_in(struct model *m, struct model_service *s, const char *id)
{
    const char *semi = strstr(id, ";rev=");
    size_t len = semi ? (size_t)(semi - id) : strlen(id);
    if (semi)
        return model_find_api(m, s, id, len, semi + 5, false);
    struct str want = { id, len };
    for (struct model_api *a = s->apis; a; a = a->next)
        if (a->is_current && str_ieq(str_from_cstr(a->id), want))
            return a;
    return model_find_api(m, s, id, len, NULL, false);
}

/* The service of --service-name, else the first that has the API. */
static struct model_service *service_of(struct model *m, const struct show_opts *o,
                                        struct model_api **api)
{
    for (struct model_service *s = m->services; s; s = s->next) {
        if (o->cfg.service && strcasecmp(s->name, o->cfg.service) != 0)
            continue;
        if ((*api = api_in(m, s, o->api_id)) != NULL)
            return s;
    }
    if (o->cfg.service && m->services)
        fprintf(stderr, "apim: no API '%s' in service '%s' (see 'apim api list')\n", o->api_id,
                o->cfg.service);
    else
        fprintf(stderr, "apim: no API '%s' (see 'apim api list')\n", o->api_id);
    return NULL;
}

static bool linked(const struct model_service *s, const char *product, const char *api)
{
    for (const struct model_product_api *l = s->links; l; l = l->next)
        if (strcasecmp(l->product_id, product) == 0 && strcasecmp(l->api_id, api) == 0)
            return true;
    return false;
}

/* Finds what the call names, or prints what is missing: 0 or -1. */
static int find_call(struct model *m, const struct show_opts *o, struct policy_compose_call *call)
{
    struct model_api *api = NULL;
    *call = (struct policy_compose_call){ .m = m };
    if ((call->s = service_of(m, o, &api)) == NULL)
        return -1;
    call->api = api;
    call->op = model_find_operation(m, api, o->op_id);
    if (call->op == NULL) {
        fprintf(stderr,
                "apim: API '%s' has no operation '%s' (see 'apim api operation list --api-id "
                "%s')\n",
                o->api_id, o->op_id, o->api_id);
        return -1;
    }
    if (o->product_id == NULL)
        return 0;
    call->product = model_find_product(m, call->s, o->product_id);
    if (call->product == NULL) {
        fprintf(stderr, "apim: no product '%s' (see 'apim product list')\n", o->product_id);
        return -1;
    }
    if (!linked(call->s, call->product->id, api->id)) {
        fprintf(stderr,
                "apim: API '%s' is not in product '%s': a subscription to the product cannot "
                "call it\n",
                api->id, call->product->id);
        return -1;
    }
    return 0;
}

/* ---- as JSON ---- */

static json_t *text(struct str s)
{
    json_t *j = json_stringn(s.ptr ? s.ptr : "", s.len);
    return j ? j : json_string("(not UTF-8)");
}

/* Locations are made on demand, in the model's arena a. */
static json_t *expression(struct arena *a, const struct policy_pipeline_expr *x)
{
    return json_pack("{s:o, s:s}", "expression", text(x->text), "at",
                     policy_pipeline_at(a, x->value, x->offset));
}

static json_t *steps_json(struct arena *arena, const struct policy_pipeline_step *s)
{
    static const char *const scopes[] = { "global", "product", "api", "operation" };
    json_t *a = json_array();
    for (; s; s = s->next) {
        json_t *o =
            json_pack("{s:o, s:s, s:s}", s->kind == POLICY_PIPELINE_POLICY ? "policy" : "element",
                      text(s->name), "scope", scopes[s->level], "at",
                      policy_pipeline_at(arena, s->value, s->offset));
        if (s->fragment)
            json_object_set_new(o, "fragment", json_string(s->fragment));
        json_t *attrs = json_array();
        for (size_t i = 0; i < s->nattrs; i++) {
            json_t *ao = json_pack("{s:o, s:o}", "name", text(s->attrs[i].name), "value",
                                   text(s->attrs[i].value));
            if (s->attrs[i].expr)
                json_object_set_new(ao, "at",
                                    json_string(policy_pipeline_at(arena, s->attrs[i].expr->value,
                                                                   s->attrs[i].expr->offset)));
            json_object_set_new(ao, "expression", json_boolean(s->attrs[i].expr != NULL));
            json_array_append_new(attrs, ao);
        }
        json_object_set_new(o, "attributes", attrs);
        if (s->text_expr)
            json_object_set_new(o, "text", expression(arena, s->text_expr));
        else if (s->text.len)
            json_object_set_new(o, "text", text(s->text));
        if (s->children)
            json_object_set_new(o, "children", steps_json(arena, s->children));
        json_array_append_new(a, o);
    }
    return a;
}

static int show_json(const struct policy_compose_call *call, enum cli_format f)
{
    static const char *const names[] = { "inbound", "backend", "outbound", "on-error" };
    struct policy_pipeline p;
    struct policy_compose_walk_opts opts = { POLICY_COMPOSE_OPERATION, false };
    int rc = policy_pipeline_build(call, &opts, &p);
    json_t *sections = json_object();
    for (unsigned k = 0; k < POLICY_NSECTIONS; k++)
        json_object_set_new(sections, names[k], steps_json(call->m->arena, p.sections[k]));
    json_t *root =
        json_pack("{s:s, s:s, s:o, s:s, s:o}", "api", call->api->id, "operation", call->op->id,
                  "product", call->product ? json_string(call->product->id) : json_null(),
                  "workspace", "not composed by apimlocal", "sections", sections);
    if (rc != 0)
        json_object_set_new(root, "problem", json_string(p.problem));
    int out = cli_output_value(root, f);
    json_decref(root);
    if (rc != 0)
        fprintf(stderr, "apim: %s\n", p.problem);
    return rc == 0 && out == 0 ? CLI_OK : CLI_FAILED;
}

static int show(struct compiler *c, const struct show_opts *o, enum cli_format f)
{
    struct policy_compose_call call;
    if (find_call(&c->model, o, &call) != 0)
        return CLI_FAILED;
    if (f == CLI_FORMAT_JSON || f == CLI_FORMAT_YAML)
        return show_json(&call, f);
    struct buf out;
    buf_init(&out, 64u << 20);
    const char *problem = NULL;
    int rc = policy_compose(&call, &out, &problem);
    fwrite(out.data ? out.data : "", 1, out.len, stdout);
    if (rc != 0)
        fprintf(stderr, "apim: %s\n", problem ? problem : "the policy is too large to show");
    buf_release(&out);
    return rc == 0 ? CLI_OK : CLI_FAILED;
}

int cli_policy_show(const struct cli_args *a)
{
    struct show_opts o = { .api_id = cli_arg(a, CLI_OPT_API_ID),
                           .op_id = cli_arg(a, CLI_OPT_OPERATION_ID),
                           .product_id = cli_arg(a, CLI_OPT_PRODUCT_ID) };
    int rc = cli_config_from_args(a, &o.cfg);
    if (rc != 0)
        return rc;
    struct compiler c;
    cli_config_compile(&o.cfg, &c);
    rc = cli_config_report_listing(&o.cfg, &c) != 0 ? CLI_FAILED
                                                    : show(&c, &o, cli_output_format(a));
    compiler_release(&c);
    return rc;
}
