/* cli_help.c - the help of every command and group, generated from the
 * table: the usage line from the positional arguments and the required
 * options, one line per option (wrapped to 80 columns) with its allowed
 * values, range, default and whether it repeats. */
#include <string.h>

#include "cli.h"

#define WIDTH   80 /* columns of help text */
#define MAX_COL 32 /* where option help starts, at most */

const char *cli_help_name(const struct cli_command *cmd)
{
    const char *s = strrchr(cmd->path, ' ');
    return s ? s + 1 : cmd->path;
}

/* True if c is directly under group (NULL: the root). */
static bool is_child(const struct cli_command *group, const struct cli_command *c)
{
    if (group == NULL)
        return strchr(c->path, ' ') == NULL;
    size_t len = strlen(group->path);
    return strncmp(c->path, group->path, len) == 0 && c->path[len] == ' ' &&
           strchr(c->path + len + 1, ' ') == NULL;
}

size_t cli_help_children(const struct cli_command *group, const struct cli_command **out,
                         size_t max)
{
    size_t n = 0;
    for (size_t i = 0; i < cli_ncommands && n < max; i++)
        if (is_child(group, &cli_commands[i]))
            out[n++] = &cli_commands[i];
    return n;
}

/* Prints text from column col, wrapped at WIDTH; the first line continues
 * what is already printed up to col. */
static void wrap(FILE *out, const char *text, size_t col)
{
    size_t at = col;
    while (*text) {
        size_t word = strcspn(text, " ");
        if (at > col && at + 1 + word > WIDTH) {
            fprintf(out, "\n%*s", (int)col, "");
            at = col;
        } else if (at > col) {
            fputc(' ', out);
            at++;
        }
        fprintf(out, "%.*s", (int)word, text);
        at += word;
        text += word;
        text += strspn(text, " ");
    }
    fputc('\n', out);
}

static void option_left(const struct cli_option *o, char *out, size_t len)
{
    snprintf(out, len, "  %c%c%s--%s%s%s", o->letter ? '-' : ' ', o->letter ? o->letter : ' ',
             o->letter ? ", " : "  ", o->name, o->arg ? " " : "", o->arg ? o->arg : "");
}

/* "help (table, json; default table; repeatable)" */
static void option_text(const struct cli_option *o, char *out, size_t len)
{
    size_t n = (size_t)snprintf(out, len, "%s", o->help);
    const char *sep = " (";
    for (size_t i = 0; o->values && o->values[i] && n < len; i++, sep = ", ")
        n += (size_t)snprintf(out + n, len - n, "%s%s", sep, o->values[i]);
    if ((o->flags & CLI_OPT_NUMBER) && n < len) {
        n += (size_t)snprintf(out + n, len - n, "%s%ld-%ld", sep, o->min, o->max);
        sep = "; ";
    }
    if (o->values)
        sep = "; ";
    if (o->def && n < len) {
        n += (size_t)snprintf(out + n, len - n, "%sdefault %s", sep, o->def);
        sep = "; ";
    }
    if ((o->flags & CLI_OPT_REPEAT) && n < len) {
        n += (size_t)snprintf(out + n, len - n, "%srepeatable", sep);
        sep = "; ";
    }
    if ((o->flags & CLI_OPT_REQUIRED) && n < len) {
        n += (size_t)snprintf(out + n, len - n, "%srequired", sep);
        sep = "; ";
    }
    if (sep[0] == ';' && n + 1 < len)
        snprintf(out + n, len - n, ")");
}

static void print_usage(const struct cli_command *cmd, FILE *out)
{
    fprintf(out, "usage: apim %s", cmd->path);
    if (cmd->args)
        fprintf(out, " %s", cmd->args);
    size_t optional = 0;
    for (size_t i = 0; cmd->options && cmd->options[i]; i++) {
        const struct cli_option *o = cmd->options[i];
        if (o->flags & CLI_OPT_REQUIRED)
            fprintf(out, " --%s %s", o->name, o->arg);
        else
            optional++;
    }
    fprintf(out, "%s\n", optional ? " [options]" : "");
}

static size_t left_column(const struct cli_command *cmd)
{
    char left[128];
    size_t col = strlen("  -h, --help") + 2;
    for (size_t i = 0; cmd->options && cmd->options[i]; i++) {
        option_left(cmd->options[i], left, sizeof(left));
        if (strlen(left) + 2 > col)
            col = strlen(left) + 2;
    }
    return col < MAX_COL ? col : MAX_COL;
}

static void print_options(const struct cli_command *cmd, FILE *out)
{
    char left[128], text[1024];
    size_t col = left_column(cmd);
    fputs("\noptions:\n", out);
    for (size_t i = 0; cmd->options && cmd->options[i]; i++) {
        option_left(cmd->options[i], left, sizeof(left));
        option_text(cmd->options[i], text, sizeof(text));
        if (strlen(left) + 2 > col)
            fprintf(out, "%s\n%*s", left, (int)col, "");
        else
            fprintf(out, "%-*s", (int)col, left);
        wrap(out, text, col);
    }
    fprintf(out, "%-*sshow this help\n", (int)col, "  -h, --help");
}

static void print_leaf(const struct cli_command *cmd, FILE *out)
{
    print_usage(cmd, out);
    fprintf(out, "\n%s\n", cmd->summary);
    if (cmd->description)
        fprintf(out, "\n%s", cmd->description);
    if (cmd->args_kind == CLI_ARGS_VALUES) {
        fprintf(out, "\n%s: ", cmd->args);
        for (size_t i = 0; cmd->arg_values[i]; i++)
            fprintf(out, "%s%s", i ? ", " : "", cmd->arg_values[i]);
        fputc('\n', out);
    }
    print_options(cmd, out);
}

static void print_group(const struct cli_command *group, FILE *out)
{
    const struct cli_command *kids[64];
    size_t n = cli_help_children(group, kids, 64), width = 0;
    const char *path = group ? group->path : NULL;
    fprintf(out, "usage: apim %s%s<command> [options]\n\n", path ? path : "", path ? " " : "");
    if (group == NULL)
        fputs("Azure API Management on your machine: validate the ARM templates you deploy to\n"
              "Azure, and run them locally.\n",
              out);
    else
        fprintf(out, "%s\n", group->description ? group->description : group->summary);
    for (size_t i = 0; i < n; i++)
        if (strlen(cli_help_name(kids[i])) > width)
            width = strlen(cli_help_name(kids[i]));
    fputs("\ncommands:\n", out);
    for (size_t i = 0; i < n; i++)
        fprintf(out, "  %-*s  %s\n", (int)width, cli_help_name(kids[i]), kids[i]->summary);
    fprintf(out, "\nRun 'apim %s%s<command> --help' for the options of a command.\n",
            path ? path : "", path ? " " : "");
}

void cli_help_print(const struct cli_command *cmd, FILE *out)
{
    if (cmd && cmd->run)
        print_leaf(cmd, out);
    else
        print_group(cmd, out);
}
