/* cli.c - main(): the apim subcommand table, help and version. Commands live
 * in cli_<name>.c. */
#include "cli.h"

#include <stdarg.h>
#include <string.h>

#ifndef APIM_VERSION
#define APIM_VERSION "0.0.0"
#endif

struct command {
    const char *name;
    int (*run)(int argc, char **argv);
    const char *summary;
};

static int cmd_help(int argc, char **argv);
static int cmd_version(int argc, char **argv);

static const struct command commands[] = {
    { "validate", cli_validate, "check ARM templates and API documents, report every mistake" },
    { "compile", cli_compile, "check a configuration and write the routing plan the gateway runs" },
    { "plan", cli_plan, "show a routing plan as JSON" },
    { "gateway", cli_gateway, "start, stop, inspect and list local gateways" },
    { "api", cli_api, "list and show the APIs of a configuration or gateway; import a spec" },
    { "product", cli_product, "list the products of a configuration or gateway" },
    { "subscription", cli_subscription, "list subscriptions (and their keys)" },
    { "help", cmd_help, "show this list, or the help of one command" },
    { "version", cmd_version, "print the version" },
};

#define NCOMMANDS (sizeof(commands) / sizeof(commands[0]))

static const struct command *find_command(const char *name)
{
    for (size_t i = 0; i < NCOMMANDS; i++)
        if (strcmp(commands[i].name, name) == 0)
            return &commands[i];
    return NULL;
}

int cli_usage_error(const char *cmd, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("apim: ", stderr);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "\nsee 'apim %s --help'\n", cmd ? cmd : "help");
    return CLI_USAGE;
}

static int cmd_help(int argc, char **argv)
{
    if (argc > 1) {
        const struct command *c = find_command(argv[1]);
        if (c == NULL)
            return cli_usage_error(NULL, "'%s' is not a command", argv[1]);
        char *sub[] = { argv[1], (char *)"--help", NULL };
        return c->run(2, sub);
    }
    printf("usage: apim <command> [options]\n\n"
           "Azure API Management on your machine: validate the ARM templates you deploy to\n"
           "Azure, and run them locally.\n\ncommands:\n");
    for (size_t i = 0; i < NCOMMANDS; i++)
        printf("  %-13s %s\n", commands[i].name, commands[i].summary);
    printf("\nRun 'apim <command> --help' for the options of a command.\n");
    return CLI_OK;
}

static int cmd_version(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    printf("apim %s\n", APIM_VERSION);
    return CLI_OK;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        cmd_help(1, argv);
        return CLI_USAGE;
    }
    if (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "-V") == 0)
        return cmd_version(1, argv + 1);
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)
        return cmd_help(1, argv + 1);
    const struct command *c = find_command(argv[1]);
    if (c == NULL)
        return cli_usage_error(NULL, "'%s' is not a command", argv[1]);
    return c->run(argc - 1, argv + 1);
}
