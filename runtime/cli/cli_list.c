/* cli_list.c - apim api list|show, apim api operation list, apim product
 * list, apim subscription list: what a configuration (compiled on the fly)
 * or a gateway (the plan it serves) holds, as az apim shows it. */
#include <string.h>

#include "cli_cmd.h"
#include "plan_json.h"

struct list_opts {
    struct cli_config cfg;
    const char *gateway, *api_id;
    bool show_keys;
    enum cli_format format;
};

static int parse_list(const struct cli_args *a, struct list_opts *o)
{
    int rc = cli_config_from_args(a, &o->cfg);
    if (rc != 0)
        return rc;
    o->gateway = cli_arg(a, CLI_OPT_GATEWAY_NAME);
    o->api_id = cli_arg(a, CLI_OPT_API_ID);
    o->show_keys = cli_flag(a, CLI_OPT_SHOW_KEYS);
    o->format = cli_output_format(a);
    if ((o->cfg.npaths == 0) == (o->gateway == NULL))
        return cli_usage_error(a->cmd, "give either --config FILE or --gateway-name NAME");
    if (o->gateway && !cli_config_gateway_name_ok(o->gateway))
        return cli_usage_error(a->cmd, "'%s' is not a usable gateway name", o->gateway);
    if (o->gateway && (o->cfg.nparameters || o->cfg.service))
        return cli_usage_error(a->cmd, "--%s goes with --config: a gateway serves one plan",
                               o->cfg.service ? "service-name" : "parameters");
    return 0;
}

/* The plan to list: compiled from --config, or the gateway's. */
static int load_source(const struct list_opts *o, struct plan **p)
{
    if (o->cfg.npaths)
        return cli_config_plan(&o->cfg, p);
    char dir[4096], path[4200], err[512];
    if (cli_config_gateway_dir(o->gateway, dir, sizeof(dir)) != 0)
        return -1;
    snprintf(path, sizeof(path), "%s/gateway.plan", dir);
    if (plan_load_file(path, p, err, sizeof(err)) != 0) {
        fprintf(stderr, "apim: no gateway '%s' has run here (%s)\n", o->gateway, err);
        return -1;
    }
    return 0;
}

/* ---- rows ---- */

static json_t *text(struct str s)
{
    return plan_json_text(s);
}

static json_t *str_or_null(struct str s)
{
    return s.len ? text(s) : json_null();
}

/* "id", or "id;rev=N" for a revision that is not the current one. */
static char *api_name_text(const struct plan_api *a)
{
    char *s = NULL;
    int n = (a->flags & PLAN_API_CURRENT)
                ? asprintf(&s, "%.*s", STR_FMT(a->id))
                : asprintf(&s, "%.*s;rev=%u", STR_FMT(a->id), a->revision);
    return n < 0 ? NULL : s;
}

static json_t *api_name(const struct plan_api *a)
{
    char *s = api_name_text(a);
    json_t *j = s ? text(str_from_cstr(s)) : json_null();
    free(s);
    return j;
}

static json_t *api_row(const struct plan *p, const struct plan_api *a)
{
    char rev[16];
    snprintf(rev, sizeof(rev), "%u", a->revision);
    json_t *vs =
        a->version_set == PLAN_NONE ? json_null() : str_or_null(p->version_sets[a->version_set].id);
    return json_pack("{s:o, s:o, s:o, s:o, s:o, s:s, s:b, s:b, s:o, s:{s:o, s:o}, s:o}", "name",
                     api_name(a), "displayName", str_or_null(a->display_name), "path",
                     text(a->path), "apiVersion", str_or_null(a->version), "apiVersionSetId", vs,
                     "apiRevision", rev, "isCurrent", (a->flags & PLAN_API_CURRENT) != 0,
                     "subscriptionRequired", (a->flags & PLAN_API_SUB_REQUIRED) != 0, "serviceUrl",
                     str_or_null(a->service_url), "subscriptionKeyParameterNames", "header",
                     text(a->key_header), "query", text(a->key_query), "backendId",
                     a->backend == PLAN_NONE ? json_null()
                                             : str_or_null(p->backends[a->backend].id));
}

/* As az apim api operation list shows an operation, with its contract
 * (parameters, request, responses and their examples) when it has one. */
static json_t *operation_row(const struct plan_operation *op)
{
    json_t *row = json_pack("{s:o, s:o, s:o, s:o}", "name", text(op->id), "displayName",
                            str_or_null(op->display_name), "method", text(op->method),
                            "urlTemplate", text(op->url_template));
    static const char *const keys[] = { "description", "templateParameters", "request",
                                        "responses" };
    json_t *contract = plan_json_contract(op);
    for (size_t i = 0; contract && i < sizeof(keys) / sizeof(keys[0]); i++) {
        json_t *v = json_object_get(contract, keys[i]);
        if (v)
            json_object_set(row, keys[i], v);
    }
    json_decref(contract);
    json_object_set_new(row, "backendUrl", str_or_null(op->backend_url));
    return row;
}

static json_t *product_row(const struct plan *p, const struct plan_product *pr)
{
    json_t *apis = json_array();
    for (uint32_t i = 0; i < pr->napis; i++) {
        const struct plan_api *a = &p->apis[p->product_apis[pr->first_api + i]];
        json_array_append_new(apis, text(a->id));
    }
    return json_pack("{s:o, s:o, s:b, s:b, s:s, s:o}", "name", text(pr->id), "displayName",
                     str_or_null(pr->display_name), "subscriptionRequired",
                     (pr->flags & PLAN_PRODUCT_SUB_REQUIRED) != 0, "approvalRequired",
                     (pr->flags & PLAN_PRODUCT_APPROVAL) != 0, "state",
                     (pr->flags & PLAN_PRODUCT_PUBLISHED) ? "published" : "notPublished", "apis",
                     apis);
}

static json_t *key(struct str k, bool show)
{
    char masked[16];
    return show ? text(k) : text(str_from_cstr(plan_mask(k, masked)));
}

static json_t *subscription_row(const struct plan_subscription *s, bool show)
{
    return json_pack("{s:o, s:o, s:o, s:s, s:o, s:o, s:b, s:b}", "name", text(s->id), "displayName",
                     str_or_null(s->display_name), "scope", text(s->scope), "state",
                     plan_state_name(s->state), "primaryKey", key(s->primary_key, show),
                     "secondaryKey", key(s->secondary_key, show), "allowTracing",
                     (s->flags & PLAN_SUB_ALLOW_TRACING) != 0, "generatedKeys",
                     (s->flags & PLAN_SUB_GENERATED_KEYS) != 0);
}

/* ---- commands ---- */

static const struct cli_column api_cols[] = {
    { "Name", "name" },
    { "DisplayName", "displayName" },
    { "Path", "path" },
    { "ApiVersion", "apiVersion" },
    { "ApiRevision", "apiRevision" },
    { "IsCurrent", "isCurrent" },
    { "SubscriptionRequired", "subscriptionRequired" },
    { "ServiceUrl", "serviceUrl" },
};

static const struct cli_column op_cols[] = {
    { "Name", "name" },
    { "Method", "method" },
    { "UrlTemplate", "urlTemplate" },
    { "DisplayName", "displayName" },
};

#define NCOLS(a) (sizeof(a) / sizeof(a[0]))

/* The API named id (its current revision), or id;rev=N; without an id,
 * the only API there is. */
static const struct plan_api *find_api(const struct plan *p, const char *id)
{
    if (id == NULL) {
        if (p->napis == 1)
            return &p->apis[0];
        fprintf(stderr, "apim: there are %zu APIs; name one with --api-id\n", p->napis);
        return NULL;
    }
    for (size_t i = 0; i < p->napis; i++) {
        char *name = api_name_text(&p->apis[i]);
        bool match = name && strcmp(name, id) == 0;
        free(name);
        if (match)
            return &p->apis[i];
    }
    fprintf(stderr, "apim: no API '%s' (see 'apim api list')\n", id);
    return NULL;
}

static int list_apis(const struct plan *p, const struct list_opts *o)
{
    json_t *rows = json_array();
    for (size_t i = 0; i < p->napis; i++)
        json_array_append_new(rows, api_row(p, &p->apis[i]));
    cli_output_rows(rows, api_cols, NCOLS(api_cols), o->format);
    json_decref(rows);
    return CLI_OK;
}

static json_t *operations_of(const struct plan_api *a, const struct plan *p)
{
    json_t *rows = json_array();
    for (uint32_t i = 0; i < a->nops; i++)
        json_array_append_new(rows, operation_row(&p->ops[a->first_op + i]));
    return rows;
}

static int show_api(const struct plan *p, const struct list_opts *o)
{
    const struct plan_api *a = find_api(p, o->api_id);
    if (a == NULL)
        return CLI_FAILED;
    json_t *row = api_row(p, a);
    if (o->format == CLI_FORMAT_JSON || o->format == CLI_FORMAT_YAML) {
        json_object_set_new(row, "operations", operations_of(a, p));
        (void)cli_output_value(row, o->format); /* stdout's errors: its exit status */
    } else {
        json_t *rows = json_array();
        json_array_append_new(rows, row);
        row = NULL;
        cli_output_rows(rows, api_cols, NCOLS(api_cols), o->format);
        json_decref(rows);
    }
    json_decref(row);
    return CLI_OK;
}

static int list_operations(const struct plan *p, const struct list_opts *o)
{
    const struct plan_api *a = find_api(p, o->api_id);
    if (a == NULL)
        return CLI_FAILED;
    json_t *rows = operations_of(a, p);
    cli_output_rows(rows, op_cols, NCOLS(op_cols), o->format);
    json_decref(rows);
    return CLI_OK;
}

static int list_products(const struct plan *p, const struct list_opts *o)
{
    static const struct cli_column cols[] = {
        { "Name", "name" },   { "DisplayName", "displayName" },
        { "State", "state" }, { "SubscriptionRequired", "subscriptionRequired" },
        { "Apis", "apis" },
    };
    json_t *rows = json_array();
    for (size_t i = 0; i < p->nproducts; i++)
        json_array_append_new(rows, product_row(p, &p->products[i]));
    cli_output_rows(rows, cols, NCOLS(cols), o->format);
    json_decref(rows);
    return CLI_OK;
}

static int list_subscriptions(const struct plan *p, const struct list_opts *o)
{
    static const struct cli_column cols[] = {
        { "Name", "name" },   { "DisplayName", "displayName" }, { "Scope", "scope" },
        { "State", "state" }, { "PrimaryKey", "primaryKey" },   { "SecondaryKey", "secondaryKey" },
    };
    json_t *rows = json_array();
    for (size_t i = 0; i < p->nsubs; i++)
        json_array_append_new(rows, subscription_row(&p->subs[i], o->show_keys));
    cli_output_rows(rows, cols, NCOLS(cols), o->format);
    json_decref(rows);
    return CLI_OK;
}

typedef int (*list_fn)(const struct plan *p, const struct list_opts *o);

static int run_list(const struct cli_args *a, list_fn fn)
{
    struct list_opts o;
    int rc = parse_list(a, &o);
    if (rc != 0)
        return rc;
    struct plan *p;
    if (load_source(&o, &p) != 0)
        return CLI_FAILED;
    rc = fn(p, &o);
    plan_free(p);
    return rc;
}

int cli_api_list(const struct cli_args *a)
{
    return run_list(a, list_apis);
}

int cli_api_show(const struct cli_args *a)
{
    return run_list(a, show_api);
}

int cli_api_operation_list(const struct cli_args *a)
{
    return run_list(a, list_operations);
}

int cli_product_list(const struct cli_args *a)
{
    return run_list(a, list_products);
}

int cli_subscription_list(const struct cli_args *a)
{
    return run_list(a, list_subscriptions);
}
