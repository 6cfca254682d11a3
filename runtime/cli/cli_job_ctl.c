/* cli_job_ctl.c - apim job list|status|start|stop --gateway-name N: the
 * streaming jobs of a running gateway, through its admin port (GET /jobs,
 * GET /jobs/JOB, POST /jobs/JOB/start|stop; admin.h), in the --output
 * formats of apim gateway status. The admin URL is the one the gateway
 * wrote to its state folder's gateway.json. */
#include <stdio.h>
#include <string.h>

#include "cli_cmd.h"
#include "proxy.h"

#define NCOLS(a) (sizeof(a) / sizeof(a[0]))

static const struct cli_column job_cols[] = {
    { "Name", "name" },
    { "State", "state" },
    { "AutoStart", "autoStart" },
    { "Batches", "batches" },
    { "InputRecords", "numInputRecords" },
    { "Hash", "hash" },
    { "Error", "error" },
};

/* The admin URL of the named running gateway, or CLI_RUNTIME (printed). */
static int admin_url(const struct cli_args *a, char *out, size_t n)
{
    const char *name = cli_arg(a, CLI_OPT_GATEWAY_NAME);
    char dir[4096];
    int rc = cli_config_running_gateway(a, dir, sizeof(dir));
    if (rc != 0)
        return rc;
    json_t *info = cli_config_read_json(dir, "gateway.json");
    const char *url = cli_output_str(info, "adminUrl");
    snprintf(out, n, "%s", url);
    json_decref(info);
    if (*out == '\0') {
        fprintf(stderr, "apim: gateway '%s' has no admin URL in %s/gateway.json\n", name, dir);
        return CLI_RUNTIME;
    }
    return CLI_OK;
}

/* GET or POST admin URL + path: the JSON answer and its status, or NULL
 * (printed) when the gateway does not answer. */
static json_t *ask(const struct cli_args *a, const char *path, bool post, long *status, int *rc)
{
    char base[600], url[1200];
    *rc = admin_url(a, base, sizeof(base));
    if (*rc != CLI_OK)
        return NULL;
    snprintf(url, sizeof(url), "%s%s", base, path);
    struct buf body;
    buf_init(&body, 16u << 20);
    int r = post ? proxy_post(url, 30000, &body, status) : proxy_fetch(url, 5000, &body, status);
    json_t *j = r == 0 && body.data ? json_loadb(body.data, body.len, 0, NULL) : NULL;
    buf_release(&body);
    if (j == NULL) {
        fprintf(stderr, "apim: gateway '%s' does not answer on its admin port (%s)\n",
                cli_arg(a, CLI_OPT_GATEWAY_NAME), base);
        *rc = CLI_RUNTIME;
    }
    return j;
}

/* The job name as a path segment: names are checked by apim validate
 * (letters, digits, '-', '_', '.'), so anything else is refused here. */
static int job_path(const struct cli_args *a, const char *suffix, char *out, size_t n)
{
    const char *job = a->pos[0];
    if (job[0] == '\0' || strspn(job, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                      "0123456789-_.") != strlen(job))
        return cli_usage_error(a->cmd, "'%s' is not a job name", job);
    snprintf(out, n, "/jobs/%s%s", job, suffix);
    return CLI_OK;
}

int cli_job_list(const struct cli_args *a)
{
    long status = 0;
    int rc;
    json_t *rows = ask(a, "/jobs", false, &status, &rc);
    if (rows == NULL)
        return rc;
    enum cli_format f = cli_output_format(a);
    if (f == CLI_FORMAT_JSON || f == CLI_FORMAT_YAML)
        (void)cli_output_value(rows, f);
    else
        cli_output_rows(rows, job_cols, NCOLS(job_cols), f);
    json_decref(rows);
    return CLI_OK;
}

static void print_job_text(json_t *j)
{
    json_t *st = json_object_get(j, "status");
    printf("job:       %s (%s%s)\n", cli_output_str(j, "name"), cli_output_str(j, "state"),
           json_is_true(json_object_get(j, "autoStart")) ? ", autoStart" : "");
    printf("hash:      %s\n", cli_output_str(j, "hash"));
    printf("batches:   %lld, last at %lld with %lld input records\n",
           (long long)json_integer_value(json_object_get(j, "batches")),
           (long long)json_integer_value(json_object_get(j, "batchTime")),
           (long long)json_integer_value(json_object_get(j, "numInputRecords")));
    if (st)
        printf("next:      %lld\n",
               (long long)json_integer_value(json_object_get(st, "nextBatchTime")));
    json_t *left = json_object_get(j, "unprocessed");
    if (json_integer_value(left) > 0) /* received, not in a batch: now, or left by the stop */
        printf("unprocessed: %lld records%s\n", (long long)json_integer_value(left),
               st ? "" : " left by the last stop");
    if (*cli_output_str(j, "error"))
        printf("error:     %s\n", cli_output_str(j, "error"));
    if (*cli_output_str(j, "lastError"))
        printf("lastError: %s\n", cli_output_str(j, "lastError"));
}

int cli_job_status(const struct cli_args *a)
{
    char path[300];
    int rc = job_path(a, "", path, sizeof(path));
    long status = 0;
    json_t *j = rc == CLI_OK ? ask(a, path, false, &status, &rc) : NULL;
    if (j == NULL)
        return rc;
    enum cli_format f = cli_output_format(a);
    if (status == 404) {
        fprintf(stderr, "apim: gateway '%s' has no job '%s'\n", cli_arg(a, CLI_OPT_GATEWAY_NAME),
                a->pos[0]);
        rc = CLI_FAILED;
    } else if (f == CLI_FORMAT_TABLE) {
        print_job_text(j);
    } else if (f == CLI_FORMAT_TSV) {
        json_t *rows = json_array();
        json_array_append(rows, j);
        cli_output_rows(rows, job_cols, NCOLS(job_cols), f);
        json_decref(rows);
    } else {
        (void)cli_output_value(j, f);
    }
    json_decref(j);
    return rc;
}

static int act(const struct cli_args *a, const char *verb)
{
    char path[300];
    int rc = job_path(a, verb, path, sizeof(path));
    long status = 0;
    json_t *j = rc == CLI_OK ? ask(a, path, true, &status, &rc) : NULL;
    if (j == NULL)
        return rc;
    const char *gw = cli_arg(a, CLI_OPT_GATEWAY_NAME);
    if (status == 404)
        fprintf(stderr, "apim: gateway '%s' has no job '%s'\n", gw, a->pos[0]);
    else if (status != 200)
        fprintf(stderr, "apim: job '%s' on gateway '%s': %s\n", a->pos[0], gw,
                cli_output_str(j, "message"));
    else
        printf("job '%s' on gateway '%s': %s\n", a->pos[0], gw, cli_output_str(j, "message"));
    json_decref(j);
    return status == 200 ? CLI_OK : CLI_FAILED;
}

int cli_job_start(const struct cli_args *a)
{
    return act(a, "/start");
}

int cli_job_stop(const struct cli_args *a)
{
    return act(a, "/stop");
}
