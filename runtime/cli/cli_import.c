/* cli_import.c - apim api import: an OpenAPI or Swagger file as the ARM
 * template that imports it, as `az apim api import` would (same flags).
 *
 * The template deploys the API to Azure unchanged (a
 * Microsoft.ApiManagement/service/apis resource with `format` and the
 * specification inline in `value`, and a serviceName parameter) and runs
 * locally with `apim gateway start --config`. The specification is checked
 * first, as a bare file, so its mistakes are reported at its own lines. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "cli_cmd.h"
#include "compile.h"
#include "yaml.h"

struct import_opts {
    const char *path, *format, *file, *api_id, *service_url, *display_name, *description;
    const char *service, *protocols, *subscription_required, *out;
};

/* az's --specification-format -> the REST API's `format` for inline text. */
static const char *content_format(const char *spec_format)
{
    static const char *const map[][2] = {
        { "OpenApi", "openapi" },
        { "OpenApiJson", "openapi+json" },
        { "Swagger", "swagger-json" },
    };
    for (size_t i = 0; i < 3; i++)
        if (strcasecmp(spec_format, map[i][0]) == 0)
            return map[i][1];
    return NULL;
}

/* The format must fit the file: OpenApiJson and Swagger take JSON, and the
 * version must be the one the format names. */
static int check_format(const char *format, const struct source *src, const struct jval *doc)
{
    bool yaml = yaml_text_is_yaml(src->text, src->len);
    bool v3 = jval_get(doc, "openapi") != NULL;
    const char *want = NULL;
    if (strcmp(format, "openapi") != 0 && yaml)
        want = "OpenApi (the file is YAML; API Management takes this format as JSON only)";
    else if (strcmp(format, "swagger-json") == 0 && v3)
        want = "OpenApi or OpenApiJson (the file is OpenAPI 3)";
    else if (strcmp(format, "swagger-json") != 0 && !v3)
        want = "Swagger (the file is Swagger 2.0)";
    if (want == NULL)
        return 0;
    fprintf(stderr, "apim: '%s' does not fit this --specification-format; use %s\n", src->name,
            want);
    return -1;
}

/* ---- the flags that go into the template ---- */

/* A name API Management takes: one segment of a resource name, without
 * the characters it refuses in names (model_build.c's check_name) or a
 * revision suffix. */
static bool name_ok(const char *name)
{
    return name == NULL || (*name && strpbrk(name, "/;*#&+:<>?") == NULL);
}

static bool protocols_ok(const char *list)
{
    static const char *const known[] = { "http", "https", "ws", "wss" };
    for (const char *p = list; p && *p;) {
        size_t n = strcspn(p, ","), k = 0;
        while (k < 4 && !(strlen(known[k]) == n && strncasecmp(p, known[k], n) == 0))
            k++;
        if (k == 4)
            return false;
        p += n + (p[n] == ',');
    }
    return true;
}

static bool url_ok(const char *url)
{
    const char *rest = url == NULL                            ? "x"
                       : strncasecmp(url, "http://", 7) == 0  ? url + 7
                       : strncasecmp(url, "https://", 8) == 0 ? url + 8
                                                              : "";
    return *rest && *rest != '/' && strpbrk(rest, " \t\r\n") == NULL;
}

/* What the template would carry and API Management refuses is a usage
 * error now, so that a template written always deploys (and validates). */
static int check_flags(const struct cli_args *a, const struct import_opts *o)
{
    const char *name = !name_ok(o->api_id)    ? "api-id"
                       : !name_ok(o->service) ? "service-name"
                                              : NULL;
    if (name)
        return cli_usage_error(a->cmd,
                               "--%s '%s': a name may not be empty or hold '/', ';' or "
                               "any of *#&+:<>?",
                               name, strcmp(name, "api-id") ? o->service : o->api_id);
    if (!protocols_ok(o->protocols))
        return cli_usage_error(a->cmd,
                               "--protocols '%s': a comma-separated list of http, https, "
                               "ws and wss",
                               o->protocols);
    if (!url_ok(o->service_url))
        return cli_usage_error(a->cmd, "--service-url '%s': an absolute http(s) URL",
                               o->service_url);
    return 0;
}

static json_t *template_json(const struct import_opts *o, const char *api_id, const char *format,
                             const struct source *src)
{
    json_t *props = json_pack("{s:s}", "path", o->path);
    if (o->display_name)
        json_object_set_new(props, "displayName", json_string(o->display_name));
    if (o->description)
        json_object_set_new(props, "description", json_string(o->description));
    if (o->service_url)
        json_object_set_new(props, "serviceUrl", json_string(o->service_url));
    if (o->protocols) {
        json_t *list = json_array();
        char buf[64];
        for (const char *p = o->protocols; *p;) {
            size_t n = strcspn(p, ",");
            snprintf(buf, sizeof(buf), "%.*s", (int)(n < 63 ? n : 63), p);
            json_array_append_new(list, json_string(buf));
            p += n + (p[n] == ',');
        }
        json_object_set_new(props, "protocols", list);
    }
    if (o->subscription_required)
        json_object_set_new(props, "subscriptionRequired",
                            json_boolean(strcasecmp(o->subscription_required, "true") == 0));
    json_object_set_new(props, "format", json_string(format));
    json_object_set_new(props, "value", json_stringn(src->text, src->len));
    json_t *api = json_pack("{s:s, s:s, s:s, s:o}", "type", "Microsoft.ApiManagement/service/apis",
                            "apiVersion", "2024-05-01", "name", "", "properties", props);
    /* In an ARM expression a quote inside a string literal is doubled. */
    struct buf name;
    buf_init(&name, 4096);
    int rc = buf_puts(&name, "[format('{0}/{1}', parameters('serviceName'), '");
    for (const char *p = api_id; *p && rc == 0; p++)
        rc = buf_append(&name, p, 1) != 0 || (*p == '\'' && buf_append(&name, p, 1) != 0);
    if (rc == 0 && buf_puts(&name, "')]") == 0)
        json_object_set_new(api, "name", json_string(name.data));
    buf_release(&name);
    return json_pack(
        "{s:s, s:s, s:{s:{s:s, s:s, s:{s:s}}}, s:[o]}", "$schema",
        "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
        "contentVersion", "1.0.0.0", "parameters", "serviceName", "type", "string", "defaultValue",
        o->service ? o->service : COMPILE_SPEC_SERVICE, "metadata", "description",
        "The API Management service the API is deployed to", "resources", api);
}

static int write_template(const struct import_opts *o, json_t *tpl)
{
    FILE *f = o->out ? fopen(o->out, "w") : stdout;
    if (f == NULL) {
        fprintf(stderr, "apim: cannot write '%s': %s\n", o->out, strerror(errno));
        return CLI_FAILED;
    }
    int rc = json_dumpf(tpl, f, JSON_INDENT(2) | JSON_PRESERVE_ORDER) == 0 && fputc('\n', f) != EOF
                 ? CLI_OK
                 : CLI_FAILED;
    if (o->out && fclose(f) != 0)
        rc = CLI_FAILED;
    if (rc != CLI_OK)
        fprintf(stderr, "apim: cannot write '%s'\n", o->out ? o->out : "standard output");
    return rc;
}

/* Checks the file as a bare specification (diagnostics at its own lines),
 * then writes the template. */
static int import_file(struct compiler *c, const struct import_opts *o, const char *format)
{
    c->spec_path = o->path;
    (void)compiler_add_input(c, o->file);
    struct compile_unit *u = c->units_last;
    bool spec = u && u->kind == COMPILE_SPEC;
    if (spec)
        compiler_finish(c);
    cli_report(c, CLI_FORMAT_TABLE, false, false, NULL);
    if (c->diag.nerrors || !spec) {
        if (c->diag.nerrors == 0)
            fprintf(stderr, "apim: '%s' is not an OpenAPI or Swagger document\n", o->file);
        return CLI_FAILED;
    }
    const struct model_api *api = c->model.services->apis;
    const struct source *src = u->doc->loc.src;
    struct diag quiet;
    diag_init(&quiet, &c->arena);
    const struct jval *doc = yaml_text_is_yaml(src->text, src->len)
                                 ? yaml_parse(&c->arena, &quiet, src)
                                 : jval_parse(&c->arena, &quiet, src);
    diag_release(&quiet);
    if (doc == NULL || check_format(format, src, doc) != 0)
        return CLI_FAILED;
    const char *api_id = o->api_id ? o->api_id : api->id;
    json_t *tpl = template_json(o, api_id, format, src);
    int rc = write_template(o, tpl);
    json_decref(tpl);
    return rc;
}

int cli_api_import(const struct cli_args *a)
{
    struct import_opts o = {
        .path = cli_arg(a, CLI_OPT_PATH),
        .format = cli_arg(a, CLI_OPT_SPEC_FORMAT),
        .file = cli_arg(a, CLI_OPT_SPEC_PATH),
        .api_id = cli_arg(a, CLI_OPT_API_ID),
        .service_url = cli_arg(a, CLI_OPT_SERVICE_URL),
        .display_name = cli_arg(a, CLI_OPT_DISPLAY_NAME),
        .description = cli_arg(a, CLI_OPT_DESCRIPTION),
        .service = cli_arg(a, CLI_OPT_SERVICE_NAME),
        .protocols = cli_arg(a, CLI_OPT_PROTOCOLS),
        .subscription_required = cli_arg(a, CLI_OPT_SUBSCRIPTION_REQUIRED),
        .out = cli_arg(a, CLI_OPT_FILE_PATH),
    };
    /* The table's closed values: OpenApi, OpenApiJson or Swagger. */
    const char *format = content_format(o.format);
    int bad = check_flags(a, &o);
    if (bad != 0)
        return bad;
    struct compiler c;
    compiler_init(&c);
    int rc = import_file(&c, &o, format);
    compiler_release(&c);
    return rc;
}
