/* libFuzzer target: the command line's parser (cli.c) on arbitrary argv,
 * and the YAML writer (cli_output.c) on arbitrary JSON. The first byte picks
 * the command of the table; the rest is its arguments, separated by NUL
 * bytes. Any crash, leak or sanitizer report is a bug; so is a parse that
 * succeeds with a value a closed set does not have, or a number out of its
 * row's range. */
#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cli_cmd.h"

#define MAX_ARGS 64

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Every closed value and number that parsed is one the row allows. */
static void check(const struct cli_args *a)
{
    for (size_t id = 0; id < CLI_OPT_COUNT; id++) {
        const struct cli_option *o = a->row[id];
        for (size_t i = 0; o && i < a->nvals[id]; i++) {
            bool listed = o->values == NULL;
            for (size_t k = 0; o->values && o->values[k]; k++)
                listed = listed || strcmp(o->values[k], a->vals[id][i]) == 0;
            long n = cli_number(a, (enum cli_opt)id, o->min);
            if (!listed || ((o->flags & CLI_OPT_NUMBER) && (n < o->min || n > o->max)))
                abort();
        }
    }
}

static void parse(const uint8_t *data, size_t size)
{
    const struct cli_command *cmd = &cli_commands[data[0] % cli_ncommands];
    if (cmd->run == NULL)
        return;
    char *text = malloc(size);
    memcpy(text, data + 1, size - 1);
    text[size - 1] = '\0';
    char *argv[MAX_ARGS] = { (char *)cli_help_name(cmd) };
    int argc = 1;
    for (char *p = text; p < text + size - 1 && argc < MAX_ARGS; p += strlen(p) + 1)
        argv[argc++] = p;
    struct cli_args a;
    char err[512];
    if (cli_parse(cmd, argc, argv, &a, err, sizeof(err)) == CLI_PARSE_OK)
        check(&a);
    cli_args_release(&a);
    free(text);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    parse(data, size);
    json_t *v = json_loadb((const char *)data, size, JSON_DECODE_ANY, NULL);
    if (v) {
        static FILE *sink;
        if (sink == NULL)
            sink = fopen("/dev/null", "w");
        if (sink && cli_output_yaml(v, sink) != 0)
            abort();
        json_decref(v);
    }
    return 0;
}
