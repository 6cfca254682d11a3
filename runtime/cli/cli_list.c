/* cli_list.c - apim api list|show, apim api operation list, apim product
 * list, apim subscription list: what a configuration (compiled on the fly)
 * or a gateway (the plan it serves) holds, as az apim shows it. */
#include <getopt.h>
#include <string.h>

#include "cli.h"
#include "plan_json.h"

static const char list_usage[] =
    "usage: apim api list                  (--config FILE [-p ARG]... | --gateway-name NAME)\n"
    "       apim api show --api-id API     (--config FILE [-p ARG]... | --gateway-name NAME)\n"
    "       apim api operation list --api-id API  (--config FILE ... | --gateway-name NAME)\n"
    "       apim product list              (--config FILE [-p ARG]... | --gateway-name NAME)\n"
    "       apim subscription list [--show-keys] (--config FILE ... | --gateway-name NAME)\n"
    "  common options: [--output table|json|tsv] [--service NAME] [--configuration FILE]\n"
    "\n"
    "Lists what a configuration defines (compiled on the fly, as 'apim compile'\n"
    "would) or what a gateway serves (the plan in its state folder). Revisions\n"
    "other than the current one are named API;rev=N, as in Azure. Subscription\n"
    "keys are masked unless --show-keys; keys a template does not set are\n"
    "generated, the same on every run. For an APIOps artifact folder, --configuration\n"
    "is its publisher configuration and --service (or --service-name) names its\n"
    "service, as for 'apim validate'.\n";

struct list_opts {
    struct cli_config cfg;
    const char *gateway, *api_id;
    bool show_keys;
    enum cli_rows_format format;
    char *params[64];
};

static int parse_list(const char *cmd, int argc, char **argv, struct list_opts *o)
{
    static const struct option longopts[] = {
        { "config", required_argument, NULL, 'c' },
        { "parameters", required_argument, NULL, 'p' },
        { "gateway-name", required_argument, NULL, 'n' },
        { "service", required_argument, NULL, 's' },
        { "service-name", required_argument, NULL, 's' },
        { "configuration", required_argument, NULL, 'C' },
        { "api-id", required_argument, NULL, 'a' },
        { "output", required_argument, NULL, 'o' },
        { "show-keys", no_argument, NULL, 'k' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    int ch;
    optind = 1;
    opterr = 0;
    while ((ch = getopt_long(argc, argv, ":c:p:n:o:h", longopts, NULL)) != -1) {
        switch (ch) {
        case 'c':
            o->cfg.path = optarg;
            break;
        case 'p':
            if (o->cfg.nparameters == sizeof(o->params) / sizeof(o->params[0]))
                return cli_usage_error(cmd, "too many --parameters");
            o->params[o->cfg.nparameters++] = optarg;
            break;
        case 'n':
            o->gateway = optarg;
            break;
        case 's':
            o->cfg.service = optarg;
            break;
        case 'a':
            o->api_id = optarg;
            break;
        case 'C':
            o->cfg.configuration = optarg;
            break;
        case 'k':
            o->show_keys = true;
            break;
        case 'o':
            if (cli_parse_rows_format(optarg, &o->format) != 0)
                return cli_usage_error(cmd, "--output '%s': use table, json or tsv", optarg);
            break;
        case 'h':
            fputs(list_usage, stdout);
            return -1;
        case ':':
            return cli_usage_error(cmd, "option '%s' needs a value", argv[optind - 1]);
        default:
            return cli_usage_error(cmd, "unknown option '%s'", argv[optind - 1]);
        }
    }
    if (optind < argc)
        return cli_usage_error(cmd, "unexpected argument '%s'", argv[optind]);
    if ((o->cfg.path == NULL) == (o->gateway == NULL))
        return cli_usage_error(cmd, "give either --config FILE or --gateway-name NAME");
    if (o->gateway && !cli_gateway_name_ok(o->gateway))
        return cli_usage_error(cmd, "'%s' is not a usable gateway name", o->gateway);
    o->cfg.parameters = o->params;
    return 0;
}

/* The plan to list: compiled from --config, or the gateway's. */
static int load_source(const struct list_opts *o, struct plan **p)
{
    if (o->cfg.path)
        return cli_config_plan(&o->cfg, p);
    char dir[4096], path[4200], err[512];
    if (cli_gateway_dir(o->gateway, dir, sizeof(dir)) != 0)
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

static json_t *operation_row(const struct plan_operation *op)
{
    return json_pack("{s:o, s:o, s:o, s:o, s:o}", "name", text(op->id), "displayName",
                     str_or_null(op->display_name), "method", text(op->method), "urlTemplate",
                     text(op->url_template), "backendUrl", str_or_null(op->backend_url));
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

/* The API named id (its current revision), or id;rev=N. */
static const struct plan_api *find_api(const struct plan *p, const char *id)
{
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
    cli_print_rows(rows, api_cols, NCOLS(api_cols), o->format);
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
    if (o->format == CLI_ROWS_JSON) {
        json_object_set_new(row, "operations", operations_of(a, p));
        char *text = json_dumps(row, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
        printf("%s\n", text);
        free(text);
    } else {
        json_t *rows = json_array();
        json_array_append_new(rows, row);
        row = NULL;
        cli_print_rows(rows, api_cols, NCOLS(api_cols), o->format);
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
    cli_print_rows(rows, op_cols, NCOLS(op_cols), o->format);
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
    cli_print_rows(rows, cols, NCOLS(cols), o->format);
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
    cli_print_rows(rows, cols, NCOLS(cols), o->format);
    json_decref(rows);
    return CLI_OK;
}

typedef int (*list_fn)(const struct plan *p, const struct list_opts *o);

static int run_list(const char *cmd, int argc, char **argv, list_fn fn, bool needs_api)
{
    struct list_opts o = { .format = CLI_ROWS_TABLE };
    int rc = parse_list(cmd, argc, argv, &o);
    if (rc != 0)
        return rc < 0 ? CLI_OK : rc;
    if (needs_api && o.api_id == NULL)
        return cli_usage_error(cmd, "no --api-id given");
    struct plan *p;
    if (load_source(&o, &p) != 0)
        return CLI_FAILED;
    rc = fn(p, &o);
    plan_free(p);
    return rc;
}

static bool is_help(int argc, char **argv)
{
    return argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0;
}

static int help(int argc)
{
    fputs(list_usage, argc < 2 ? stderr : stdout);
    return argc < 2 ? CLI_USAGE : CLI_OK;
}

int cli_api(int argc, char **argv)
{
    if (is_help(argc, argv))
        return help(argc);
    if (strcmp(argv[1], "list") == 0)
        return run_list("api", argc - 1, argv + 1, list_apis, false);
    if (strcmp(argv[1], "show") == 0)
        return run_list("api", argc - 1, argv + 1, show_api, true);
    if (strcmp(argv[1], "operation") == 0 && argc > 2 && strcmp(argv[2], "list") == 0)
        return run_list("api", argc - 2, argv + 2, list_operations, true);
    return cli_usage_error("api", "'%s' is not an api command (list, show, operation list)",
                           argv[1]);
}

int cli_product(int argc, char **argv)
{
    if (is_help(argc, argv))
        return help(argc);
    if (strcmp(argv[1], "list") == 0)
        return run_list("product", argc - 1, argv + 1, list_products, false);
    return cli_usage_error("product", "'%s' is not a product command (list)", argv[1]);
}

int cli_subscription(int argc, char **argv)
{
    if (is_help(argc, argv))
        return help(argc);
    if (strcmp(argv[1], "list") == 0)
        return run_list("subscription", argc - 1, argv + 1, list_subscriptions, false);
    return cli_usage_error("subscription", "'%s' is not a subscription command (list)", argv[1]);
}
