/* cli_validate.c - apim validate FILE... [--parameters ...] [--output ...] [--strict] */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "compile.h"
#include "report.h"

static const char usage[] =
    "usage: apim validate FILE|FOLDER... [--parameters @FILE|FILE|NAME=VALUE]...\n"
    "                     [--configuration FILE] [--service-name NAME]\n"
    "                     [--output text|json|sarif|github] [--strict]\n"
    "\n"
    "Checks ARM templates (with their parameters), ARM parameters files, simple API\n"
    "documents and APIOps artifact folders the way Azure would deploy them, and\n"
    "reports every mistake as file:line:col. Folders are searched for *.json files;\n"
    "an APIOps artifact folder among them is read as the APIOps publisher reads it.\n"
    "\n"
    "  -p, --parameters ARG  parameter values, as 'az deployment group validate' takes\n"
    "                        them: @file.json, file.json or name=value; repeatable, later\n"
    "                        values win. Without it, a template's sibling\n"
    "                        <name>.parameters.json is used when there is one.\n"
    "      --configuration FILE  an APIOps publisher configuration (configuration.<env>.yaml)\n"
    "                        merged into the APIOps folders' artifacts; default: the file\n"
    "                        $CONFIGURATION_YAML_PATH names, as for the publisher\n"
    "      --service-name NAME  the service APIOps folders deploy into; default:\n"
    "                        $API_MANAGEMENT_SERVICE_NAME, the configuration's\n"
    "                        apimServiceName, else 'apiops'\n"
    "  -o, --output FORMAT   text (default), json, sarif (SARIF 2.1.0) or github\n"
    "                        (workflow annotations)\n"
    "      --sample-parameters  give required parameters that have no value a sample of\n"
    "                        their declared type, to check a reusable module on its own\n"
    "      --strict          treat warnings as errors\n"
    "  -q, --quiet           text output: no per-file summary lines\n"
    "      --list-codes      list every diagnostic code with its level and name\n"
    "  -h, --help            show this help\n"
    "\n"
    "Exit status: 0 valid (warnings allowed unless --strict), 1 invalid, 2 usage error.\n"
    "Diagnostic codes are explained in docs/validate.md.\n";

struct options {
    enum report_format format;
    bool strict, quiet;
    const char *configuration, *service_name;
};

static int parse_options(int argc, char **argv, struct compiler *c, struct options *o)
{
    static const struct option longopts[] = {
        { "parameters", required_argument, NULL, 'p' },
        { "output", required_argument, NULL, 'o' },
        { "strict", no_argument, NULL, 's' },
        { "sample-parameters", no_argument, NULL, 'S' },
        { "list-codes", no_argument, NULL, 'L' },
        { "quiet", no_argument, NULL, 'q' },
        { "configuration", required_argument, NULL, 'C' },
        { "service-name", required_argument, NULL, 'N' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    int ch;
    optind = 1;
    opterr = 0;
    while ((ch = getopt_long(argc, argv, ":p:o:qh", longopts, NULL)) != -1) {
        switch (ch) {
        case 'p':
            if (compiler_add_parameters(c, optarg) != 0)
                return cli_usage_error(
                    "validate", "--parameters '%s': expected @FILE, FILE or NAME=VALUE", optarg);
            break;
        case 'o':
            if (report_parse_format(optarg, &o->format) != 0)
                return cli_usage_error("validate", "--output '%s': use text, json, sarif or github",
                                       optarg);
            break;
        case 's':
            o->strict = true;
            break;
        case 'S':
            c->sample_parameters = true;
            break;
        case 'L':
            for (int i = 0; i < DIAG_CODE_COUNT; i++)
                printf("%s %s %s\n", diag_code_str((enum diag_code)i),
                       diag_level_str(diag_code_level((enum diag_code)i)),
                       diag_code_slug((enum diag_code)i));
            return -1;
        case 'q':
            o->quiet = true;
            break;
        case 'C':
            o->configuration = optarg;
            break;
        case 'N':
            o->service_name = optarg;
            break;
        case 'h':
            fputs(usage, stdout);
            return -1;
        case ':':
            return cli_usage_error("validate", "option '%s' needs a value", argv[optind - 1]);
        default:
            return cli_usage_error("validate", "unknown option '%s'", argv[optind - 1]);
        }
    }
    if (optind >= argc)
        return cli_usage_error("validate", "no FILE or FOLDER to validate");
    return 0;
}

int cli_validate(int argc, char **argv)
{
    struct compiler c;
    struct options o = { REPORT_TEXT, false, false, NULL, NULL };
    compiler_init(&c);
    int rc = parse_options(argc, argv, &c, &o);
    if (rc != 0) {
        compiler_release(&c);
        return rc < 0 ? CLI_OK : rc;
    }
    cli_apiops_setup(&c, o.configuration, o.service_name);
    for (int i = optind; i < argc; i++)
        (void)compiler_add_input(&c, argv[i]);
    compiler_finish(&c);
    cli_report(&c, o.format, o.strict, !o.quiet);
    rc = c.diag.nerrors ? CLI_FAILED : CLI_OK;
    compiler_release(&c);
    return rc;
}
