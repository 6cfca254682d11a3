/* cli_compile.c - apim compile CONFIG -o FILE.plan, and apim plan show FILE.plan */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "compile.h"
#include "plan.h"
#include "plan_json.h"
#include "plan_write.h"
#include "report.h"

static const char compile_usage[] =
    "usage: apim compile CONFIG -o FILE.plan [--parameters @FILE|FILE|NAME=VALUE]...\n"
    "                    [--service NAME] [--api-name API] [--sample-parameters]\n"
    "                    [--configuration FILE]\n"
    "                    [--output text|json|sarif|github] [--strict]\n"
    "\n"
    "Checks CONFIG as 'apim validate' does, then writes the routing plan the gateway\n"
    "runs: one binary file, verified by the gateway when it loads it.\n"
    "\n"
    "  -o, --plan-file FILE   where to write the plan\n"
    "  -p, --parameters ARG   parameter values (see 'apim validate --help')\n"
    "      --service NAME     the API Management service to serve, if there are several;\n"
    "                         for an APIOps folder, the service it deploys into\n"
    "                         (--service-name is the same option)\n"
    "      --configuration FILE  an APIOps publisher configuration (see 'apim validate --help')\n"
    "      --api-name API     serve only this API (all its versions and revisions)\n"
    "      --sample-parameters, --output, --strict: as for 'apim validate'\n";

struct compile_opts {
    const char *plan_file, *service, *api_name, *configuration;
    enum report_format format;
    bool strict;
};

static int parse_compile(int argc, char **argv, struct compiler *c, struct compile_opts *o)
{
    static const struct option longopts[] = {
        { "plan-file", required_argument, NULL, 'o' },
        { "parameters", required_argument, NULL, 'p' },
        { "service", required_argument, NULL, 's' },
        { "service-name", required_argument, NULL, 's' },
        { "configuration", required_argument, NULL, 'C' },
        { "api-name", required_argument, NULL, 'a' },
        { "sample-parameters", no_argument, NULL, 'S' },
        { "output", required_argument, NULL, 'O' },
        { "strict", no_argument, NULL, 'X' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    int ch;
    optind = 1;
    opterr = 0;
    while ((ch = getopt_long(argc, argv, ":o:p:h", longopts, NULL)) != -1) {
        switch (ch) {
        case 'o':
            o->plan_file = optarg;
            break;
        case 'p':
            if (compiler_add_parameters(c, optarg) != 0)
                return cli_usage_error(
                    "compile", "--parameters '%s': expected @FILE, FILE or NAME=VALUE", optarg);
            break;
        case 's':
            o->service = optarg;
            break;
        case 'a':
            o->api_name = optarg;
            break;
        case 'C':
            o->configuration = optarg;
            break;
        case 'S':
            c->sample_parameters = true;
            break;
        case 'O':
            if (report_parse_format(optarg, &o->format) != 0)
                return cli_usage_error("compile", "--output '%s': use text, json, sarif or github",
                                       optarg);
            break;
        case 'X':
            o->strict = true;
            break;
        case 'h':
            fputs(compile_usage, stdout);
            return -1;
        case ':':
            return cli_usage_error("compile", "option '%s' needs a value", argv[optind - 1]);
        default:
            return cli_usage_error("compile", "unknown option '%s'", argv[optind - 1]);
        }
    }
    if (optind + 1 != argc)
        return cli_usage_error("compile", "give exactly one CONFIG file");
    if (o->plan_file == NULL)
        return cli_usage_error("compile", "no -o FILE.plan given");
    return 0;
}

/* Writes to FILE.tmp, then renames: a reader never sees half a plan. */
static int write_file(const char *path, const struct buf *b)
{
    char tmp[4096];
    snprintf(tmp, sizeof(tmp), "%s.tmp", path);
    FILE *f = fopen(tmp, "wb");
    if (f == NULL || fwrite(b->data, 1, b->len, f) != b->len || fclose(f) != 0) {
        fprintf(stderr, "apim: cannot write '%s': %s\n", tmp, strerror(errno));
        if (f)
            unlink(tmp);
        return -1;
    }
    if (rename(tmp, path) != 0) {
        fprintf(stderr, "apim: cannot write '%s': %s\n", path, strerror(errno));
        unlink(tmp);
        return -1;
    }
    return 0;
}

int cli_compile(int argc, char **argv)
{
    struct compiler c;
    struct compile_opts o = { .format = REPORT_TEXT };
    compiler_init(&c);
    int rc = parse_compile(argc, argv, &c, &o);
    if (rc != 0) {
        compiler_release(&c);
        return rc < 0 ? CLI_OK : rc;
    }
    struct buf plan;
    buf_init(&plan, PLAN_MAX_SIZE);
    cli_apiops_setup(&c, o.configuration, o.service);
    (void)compiler_add_input(&c, argv[optind]);
    compiler_finish(&c);
    struct compile_unit *u = c.units_last;
    bool ok =
        c.diag.nerrors == 0 && u &&
        (u->kind == COMPILE_TEMPLATE || u->kind == COMPILE_SIMPLE_API || u->kind == COMPILE_APIOPS);
    if (ok) {
        struct plan_options po = { o.service, o.api_name, NULL };
        unsigned before = c.diag.nerrors;
        ok = plan_write(&u->model, &po, &plan) == 0;
        u->errors += c.diag.nerrors - before;
    }
    cli_report(&c, o.format, o.strict, o.format == REPORT_TEXT);
    rc = CLI_FAILED;
    if (ok && c.diag.nerrors == 0 && write_file(o.plan_file, &plan) == 0) {
        if (o.format == REPORT_TEXT)
            printf("wrote %s (%zu bytes)\n", o.plan_file, plan.len);
        rc = CLI_OK;
    }
    buf_release(&plan);
    compiler_release(&c);
    return rc;
}

static const char plan_usage[] = "usage: apim plan show FILE.plan [--show-keys]\n"
                                 "\n"
                                 "Prints a routing plan as JSON. Subscription keys and secret\n"
                                 "named values are masked unless --show-keys.\n";

int cli_plan(int argc, char **argv)
{
    if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
        fputs(plan_usage, argc < 2 ? stderr : stdout);
        return argc < 2 ? CLI_USAGE : CLI_OK;
    }
    if (strcmp(argv[1], "show") != 0)
        return cli_usage_error("plan", "'%s' is not a plan command (try 'show')", argv[1]);
    bool show = false;
    const char *file = NULL;
    for (int i = 2; i < argc; i++) {
        if (strcmp(argv[i], "--show-keys") == 0)
            show = true;
        else if (argv[i][0] == '-' || file)
            return cli_usage_error("plan", "unexpected argument '%s'", argv[i]);
        else
            file = argv[i];
    }
    if (file == NULL)
        return cli_usage_error("plan", "no FILE.plan given");
    struct plan *p;
    char err[512];
    if (plan_load_file(file, &p, err, sizeof(err)) != 0) {
        fprintf(stderr, "apim: %s\n", err);
        return CLI_FAILED;
    }
    struct buf out;
    buf_init(&out, 1u << 30);
    int rc = plan_json(p, show, &out) == 0 ? CLI_OK : CLI_FAILED;
    fputs(out.data ? out.data : "", stdout);
    buf_release(&out);
    plan_free(p);
    return rc;
}
