/* cli_gateway_info.c - apim gateway status (what a running gateway says on
 * its admin port) and apim gateway list (every gateway that has run under
 * $APIM_HOME), in every --output format. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cli_cmd.h"
#include "proxy.h"

/* ---- status ---- */

static json_t *fetch_status(json_t *info)
{
    char url[600];
    snprintf(url, sizeof(url), "%s/status", cli_output_str(info, "adminUrl"));
    struct buf body;
    buf_init(&body, 16u << 20);
    long status = 0;
    json_t *j = NULL;
    if (proxy_fetch(url, 5000, &body, &status) == 0 && status == 200 && body.data)
        j = json_loads(body.data, 0, NULL);
    buf_release(&body);
    return j;
}

static long long member_int(json_t *o, const char *key)
{
    return (long long)json_integer_value(json_object_get(o, key));
}

static void print_status_text(json_t *st)
{
    json_t *plan = json_object_get(st, "plan"), *c = json_object_get(st, "counters");
    json_t *rel = json_object_get(st, "reloads"), *last = json_object_get(rel, "lastError");
    printf("gateway:   %s (%s, pid %lld)\n", cli_output_str(st, "name"),
           cli_output_str(st, "state"), member_int(st, "pid"));
    printf("url:       %s\nadmin:     %s\nconfig:    %s\n", cli_output_str(st, "url"),
           cli_output_str(st, "adminUrl"), cli_output_str(st, "config"));
    printf("plan:      %s (%lld APIs, %lld operations), loaded %s\n", cli_output_str(plan, "hash"),
           member_int(plan, "apis"), member_int(plan, "operations"),
           cli_output_str(plan, "loadedAt"));
    printf("uptime:    %lld s\n", member_int(st, "uptimeSeconds"));
    printf("requests:  %lld (2xx %lld, 4xx %lld, 5xx %lld), %lld in flight\n",
           member_int(c, "requests"), member_int(c, "2xx"), member_int(c, "4xx"),
           member_int(c, "5xx"), member_int(c, "inFlight"));
    printf("reloads:   %lld ok, %lld failed\n", member_int(rel, "ok"), member_int(rel, "failed"));
    if (json_is_object(last))
        printf("last reload error (%s): %s\n", cli_output_str(last, "time"),
               cli_output_str(last, "message"));
}

static const struct cli_column status_cols[] = {
    { "Name", "name" },
    { "State", "state" },
    { "Pid", "pid" },
    { "Url", "url" },
    { "AdminUrl", "adminUrl" },
    { "Config", "config" },
    { "PlanHash", "planHash" },
    { "Apis", "apis" },
    { "Operations", "operations" },
    { "UptimeSeconds", "uptimeSeconds" },
    { "Requests", "requests" },
    { "InFlight", "inFlight" },
    { "ReloadsOk", "reloadsOk" },
    { "ReloadsFailed", "reloadsFailed" },
};

#define NCOLS(a) (sizeof(a) / sizeof(a[0]))

/* The status as one flat row, for tsv (nested objects have no column). */
static json_t *status_row(json_t *st)
{
    json_t *plan = json_object_get(st, "plan"), *c = json_object_get(st, "counters");
    json_t *rel = json_object_get(st, "reloads"), *row = json_object();
    static const char *const top[] = { "name",     "state",  "pid",          "url",
                                       "adminUrl", "config", "uptimeSeconds" };
    for (size_t i = 0; i < NCOLS(top); i++)
        json_object_set(row, top[i], json_object_get(st, top[i]));
    json_object_set(row, "planHash", json_object_get(plan, "hash"));
    json_object_set(row, "apis", json_object_get(plan, "apis"));
    json_object_set(row, "operations", json_object_get(plan, "operations"));
    json_object_set(row, "requests", json_object_get(c, "requests"));
    json_object_set(row, "inFlight", json_object_get(c, "inFlight"));
    json_object_set(row, "reloadsOk", json_object_get(rel, "ok"));
    json_object_set(row, "reloadsFailed", json_object_get(rel, "failed"));
    return row;
}

static void print_status(json_t *st, enum cli_format f)
{
    if (f == CLI_FORMAT_TABLE) {
        print_status_text(st);
    } else if (f == CLI_FORMAT_TSV) {
        json_t *rows = json_array();
        json_array_append_new(rows, status_row(st));
        cli_output_rows(rows, status_cols, NCOLS(status_cols), f);
        json_decref(rows);
    } else {
        (void)cli_output_value(st, f); /* stdout's errors: its exit status */
    }
}

static int not_running(const char *name, enum cli_format f)
{
    if (f == CLI_FORMAT_TABLE) {
        fprintf(stderr, "apim: gateway '%s' is not running\n", name);
    } else {
        json_t *st = json_pack("{s:s, s:s}", "name", name, "state", "stopped");
        print_status(st, f);
        json_decref(st);
    }
    return CLI_RUNTIME;
}

int cli_gateway_status(const struct cli_args *a)
{
    const char *name = cli_arg(a, CLI_OPT_GATEWAY_NAME);
    enum cli_format f = cli_output_format(a);
    if (!cli_config_gateway_name_ok(name))
        return cli_usage_error(a->cmd, "'%s' is not a usable gateway name", name);
    char dir[4096];
    if (cli_config_gateway_dir(name, dir, sizeof(dir)) != 0 || !cli_config_running(dir))
        return not_running(name, f);
    json_t *info = cli_config_read_json(dir, "gateway.json");
    json_t *st = info ? fetch_status(info) : NULL;
    json_decref(info);
    if (st == NULL) {
        fprintf(stderr, "apim: gateway '%s' is running but its admin port does not answer\n", name);
        return CLI_RUNTIME;
    }
    print_status(st, f);
    json_decref(st);
    return CLI_OK;
}

/* ---- list ---- */

static json_t *gateway_row(const char *home, const char *name)
{
    char dir[4200];
    snprintf(dir, sizeof(dir), "%s/gateways/%s", home, name);
    json_t *info = cli_config_read_json(dir, "gateway.json");
    if (info == NULL)
        return NULL;
    bool running = cli_config_running(dir);
    json_object_set_new(info, "state", json_string(running ? "running" : "stopped"));
    if (!running)
        json_object_set_new(info, "pid", json_null());
    return info;
}

static int cmp_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Every gateway's row, by name; only those of resource group rg if given
 * (compared as Azure compares resource group names: ignoring case). */
static json_t *gateway_rows(const char *rg)
{
    char home[4096], dir[4200];
    json_t *rows = json_array();
    if (cli_config_home(home, sizeof(home)) != 0)
        return rows;
    struct cli_names names;
    snprintf(dir, sizeof(dir), "%s/gateways", home);
    cli_config_list_dir(dir, &names);
    qsort(names.v, names.n, sizeof(*names.v), cmp_names);
    for (size_t i = 0; i < names.n; i++) {
        json_t *row = gateway_row(home, names.v[i]);
        const char *group = json_string_value(json_object_get(row, "resourceGroup"));
        if (row && rg && (group == NULL || strcasecmp(group, rg) != 0))
            json_decref(row);
        else if (row)
            json_array_append_new(rows, row);
    }
    cli_config_names_release(&names);
    return rows;
}

int cli_gateway_list(const struct cli_args *a)
{
    static const struct cli_column cols[] = {
        { "Name", "name" },
        { "State", "state" },
        { "Url", "url" },
        { "Pid", "pid" },
        { "ResourceGroup", "resourceGroup" },
        { "Config", "config" },
    };
    json_t *rows = gateway_rows(cli_arg(a, CLI_OPT_RESOURCE_GROUP));
    cli_output_rows(rows, cols, NCOLS(cols), cli_output_format(a));
    json_decref(rows);
    return CLI_OK;
}
