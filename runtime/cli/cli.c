/* cli.c - the one argument parser of apim: finds the command in the table
 * (cli_table.c), reads its options and positional arguments as cli.h
 * describes, and turns every mistake into one usage line with a "did you
 * mean". No other file parses argv. */
#include "cli.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "suggest.h"

#ifndef APIM_VERSION
#define APIM_VERSION "0.0.0"
#endif

#define MAX_NAMES 64 /* candidates for "did you mean": options of one command, children */

/* ---- did you mean ---- */

/* A unique prefix wins ("--service" for "--service-name"); otherwise the
 * closest name by edit distance, if it is a plausible typo. */
const char *cli_closest(const char *word, const char *const *names, size_t n)
{
    size_t len = strlen(word), hits = 0;
    const char *hit = NULL;
    for (size_t i = 0; i < n && len >= 3; i++)
        if (strncmp(names[i], word, len) == 0) {
            hits++;
            hit = names[i];
        }
    if (hits == 1)
        return hit;
    struct str cand[MAX_NAMES];
    n = n < MAX_NAMES ? n : MAX_NAMES;
    for (size_t i = 0; i < n; i++)
        cand[i] = str_from_cstr(names[i]);
    const char *best = suggest(str_from_cstr(word), cand, n);
    for (size_t i = 0; best && i < n; i++)
        if (strcmp(names[i], best) == 0)
            return names[i];
    return NULL;
}

/* Appends "; did you mean 'X'?" to a message when something is close. */
static void add_hint(char *msg, size_t len, const char *word, const char *const *names, size_t n)
{
    const char *best = cli_closest(word, names, n);
    size_t used = strlen(msg);
    if (best && used < len)
        snprintf(msg + used, len - used, "; did you mean '%s'?", best);
}

/* ---- the table ---- */

/* True if path ("api operation list") is exactly the n words. */
static bool path_is(const char *path, const char *const *words, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        size_t len = strlen(words[i]);
        if (strncmp(path, words[i], len) != 0)
            return false;
        path += len;
        if (*path != (i + 1 < n ? ' ' : '\0'))
            return false;
        path += *path == ' ';
    }
    return n > 0;
}

const struct cli_command *cli_lookup(const char *const *words, size_t n)
{
    for (size_t i = 0; i < cli_ncommands; i++)
        if (path_is(cli_commands[i].path, words, n))
            return &cli_commands[i];
    return NULL;
}

static const struct cli_command *child_named(const struct cli_command *group, const char *word)
{
    const struct cli_command *kids[MAX_NAMES];
    size_t n = cli_help_children(group, kids, MAX_NAMES);
    for (size_t i = 0; i < n; i++)
        if (strcmp(cli_help_name(kids[i]), word) == 0)
            return kids[i];
    return NULL;
}

static size_t child_names(const struct cli_command *group, const char **names)
{
    const struct cli_command *kids[MAX_NAMES];
    size_t n = cli_help_children(group, kids, MAX_NAMES);
    for (size_t i = 0; i < n; i++)
        names[i] = cli_help_name(kids[i]);
    return n;
}

/* ---- parsing ---- */

struct parser {
    const struct cli_command *cmd;
    struct cli_args *a;
    char *err;
    size_t errlen;
};

__attribute__((format(printf, 2, 3))) static enum cli_parse_result fail(struct parser *p,
                                                                        const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(p->err, p->errlen, fmt, ap);
    va_end(ap);
    return CLI_PARSE_ERROR;
}

static void push(const char ***v, size_t *n, const char *s)
{
    if ((*n & (*n - 1)) == 0) /* 0, 1, 2, 4, ...: grow to the next power of two */
        *v = xrealloc(*v, (*n ? *n * 2 : 1) * sizeof(**v));
    (*v)[(*n)++] = s;
}

static void list_values(char *out, size_t len, const char *const *values)
{
    size_t used = 0;
    out[0] = '\0';
    for (size_t i = 0; values[i] && used < len; i++)
        used += (size_t)snprintf(out + used, len - used, "%s%s", i == 0 ? "" : ", ", values[i]);
}

/* The option that writes a file, for "-o echo.plan". */
static const struct cli_option *writes_option(const struct cli_command *cmd)
{
    for (size_t i = 0; cmd->options && cmd->options[i]; i++)
        if (cmd->options[i]->flags & CLI_OPT_WRITES)
            return cmd->options[i];
    return NULL;
}

static enum cli_parse_result bad_choice(struct parser *p, const struct cli_option *o, const char *v)
{
    char all[256];
    list_values(all, sizeof(all), o->values);
    const struct cli_option *w = writes_option(p->cmd);
    if (w && (strchr(v, '.') || strchr(v, '/')))
        return fail(p, "--%s takes a format (%s), not '%s': to write a file, use --%s %s", o->name,
                    all, v, w->name, v);
    size_t n = 0;
    while (o->values[n])
        n++;
    fail(p, "--%s '%s': use one of %s", o->name, v, all);
    add_hint(p->err, p->errlen, v, (const char *const *)o->values, n);
    return CLI_PARSE_ERROR;
}

/* The table's spelling of v among values, or NULL. */
static const char *choice(const char *const *values, const char *v, bool icase)
{
    for (size_t i = 0; values[i]; i++)
        if ((icase ? strcasecmp(values[i], v) : strcmp(values[i], v)) == 0)
            return values[i];
    return NULL;
}

static bool is_choice(const char *const *values, const char *v)
{
    return choice(values, v, false) != NULL;
}

static bool parse_long(const char *s, long *out)
{
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (errno || end == s || *end)
        return false;
    *out = v;
    return true;
}

static enum cli_parse_result take(struct parser *p, const struct cli_option *o, const char *v)
{
    struct cli_args *a = p->a;
    long num;
    if (a->nvals[o->id] && !(o->flags & CLI_OPT_REPEAT))
        return fail(p, "--%s is given twice (it takes one value)", o->name);
    if (o->arg && o->values) { /* kept as the table spells it: commands compare exactly */
        const char *canonical = choice(o->values, v, o->flags & CLI_OPT_ICASE);
        if (canonical == NULL)
            return bad_choice(p, o, v);
        v = canonical;
    }
    if ((o->flags & CLI_OPT_NUMBER) && (!parse_long(v, &num) || num < o->min || num > o->max))
        return fail(p, "--%s wants a number from %ld to %ld, not '%s'", o->name, o->min, o->max, v);
    push(&a->vals[o->id], &a->nvals[o->id], v);
    return CLI_PARSE_OK;
}

static const struct cli_option *long_named(const struct cli_command *cmd, const char *name,
                                           size_t len)
{
    for (size_t i = 0; cmd->options && cmd->options[i]; i++)
        if (strlen(cmd->options[i]->name) == len && strncmp(cmd->options[i]->name, name, len) == 0)
            return cmd->options[i];
    return NULL;
}

static enum cli_parse_result unknown_long(struct parser *p, const char *word, size_t len)
{
    char store[MAX_NAMES][48], given[64];
    const char *names[MAX_NAMES];
    size_t n = 0;
    for (size_t i = 0; p->cmd->options && p->cmd->options[i] && n + 1 < MAX_NAMES; i++, n++) {
        snprintf(store[n], sizeof(store[n]), "--%s", p->cmd->options[i]->name);
        names[n] = store[n];
    }
    names[n++] = "--help";
    snprintf(given, sizeof(given), "%.*s", (int)(len < 60 ? len : 60), word);
    fail(p, "unknown option '%s' for 'apim %s'", given, p->cmd->path);
    add_hint(p->err, p->errlen, given, names, n);
    return CLI_PARSE_ERROR;
}

/* A word that is a long option, not a value (see cli.h). */
static bool looks_like_option(const char *w)
{
    return w[0] == '-' && w[1] == '-' && w[2] != '\0';
}

static enum cli_parse_result next_value(struct parser *p, const struct cli_option *o, int argc,
                                        char **argv, int *i)
{
    if (*i + 1 >= argc || looks_like_option(argv[*i + 1]))
        return fail(p, "--%s needs a value (%s)", o->name, o->arg);
    return take(p, o, argv[++*i]);
}

static enum cli_parse_result long_option(struct parser *p, int argc, char **argv, int *i)
{
    const char *name = argv[*i] + 2, *eq = strchr(name, '=');
    size_t len = eq ? (size_t)(eq - name) : strlen(name);
    if (len == 4 && strncmp(name, "help", 4) == 0)
        return CLI_PARSE_HELP;
    const struct cli_option *o = long_named(p->cmd, name, len);
    if (o == NULL)
        return unknown_long(p, argv[*i], len + 2);
    if (o->arg == NULL && eq)
        return fail(p, "--%s takes no value", o->name);
    if (o->arg == NULL || eq)
        return take(p, o, eq ? eq + 1 : argv[*i]);
    return next_value(p, o, argc, argv, i);
}

static const struct cli_option *short_named(const struct cli_command *cmd, char c)
{
    for (size_t i = 0; cmd->options && cmd->options[i]; i++)
        if (cmd->options[i]->letter == c)
            return cmd->options[i];
    return NULL;
}

/* -x, -xVALUE, -x VALUE, and clustered flags (-qh). */
static enum cli_parse_result short_options(struct parser *p, int argc, char **argv, int *i)
{
    const char *w = argv[*i];
    for (size_t j = 1; w[j]; j++) {
        if (w[j] == 'h')
            return CLI_PARSE_HELP;
        const struct cli_option *o = short_named(p->cmd, w[j]);
        if (o == NULL)
            return fail(p, "unknown option '-%c' for 'apim %s'", w[j], p->cmd->path);
        if (o->arg && w[j + 1])
            return take(p, o, w + j + 1);
        if (o->arg)
            return next_value(p, o, argc, argv, i);
        if (take(p, o, w) != CLI_PARSE_OK)
            return CLI_PARSE_ERROR;
    }
    return CLI_PARSE_OK;
}

static enum cli_parse_result check_required(struct parser *p)
{
    char missing[256] = "";
    size_t used = 0;
    for (size_t i = 0; p->cmd->options && p->cmd->options[i]; i++) {
        const struct cli_option *o = p->cmd->options[i];
        if ((o->flags & CLI_OPT_REQUIRED) && p->a->nvals[o->id] == 0 && used < sizeof(missing))
            used += (size_t)snprintf(missing + used, sizeof(missing) - used, "%s--%s %s",
                                     used ? ", " : "", o->name, o->arg);
    }
    return used ? fail(p, "missing %s", missing) : CLI_PARSE_OK;
}

static enum cli_parse_result check_positional(struct parser *p)
{
    const struct cli_command *c = p->cmd;
    const struct cli_args *a = p->a;
    if (a->npos < c->min_args)
        return fail(p, "missing %s", c->args);
    if (a->npos > c->max_args)
        return fail(p, "unexpected argument '%s'", a->pos[c->max_args]);
    for (size_t i = 0; c->args_kind == CLI_ARGS_VALUES && i < a->npos; i++)
        if (!is_choice(c->arg_values, a->pos[i])) {
            char all[256];
            list_values(all, sizeof(all), c->arg_values);
            return fail(p, "%s '%s' is not supported: use one of %s", c->args, a->pos[i], all);
        }
    return CLI_PARSE_OK;
}

static void args_init(struct cli_args *a, const struct cli_command *cmd)
{
    *a = (struct cli_args){ .cmd = cmd };
    for (size_t i = 0; cmd->options && cmd->options[i]; i++)
        a->row[cmd->options[i]->id] = cmd->options[i];
}

enum cli_parse_result cli_parse(const struct cli_command *cmd, int argc, char **argv,
                                struct cli_args *a, char *err, size_t errlen)
{
    struct parser p = { cmd, a, err, errlen };
    bool options_done = false;
    args_init(a, cmd);
    err[0] = '\0';
    for (int i = 1; i < argc; i++) {
        const char *w = argv[i];
        enum cli_parse_result r = CLI_PARSE_OK;
        if (!options_done && strcmp(w, "--") == 0)
            options_done = true;
        else if (options_done || w[0] != '-' || w[1] == '\0')
            push(&a->pos, &a->npos, w);
        else if (w[1] == '-')
            r = long_option(&p, argc, argv, &i);
        else
            r = short_options(&p, argc, argv, &i);
        if (r != CLI_PARSE_OK)
            return r;
    }
    if (check_required(&p) != CLI_PARSE_OK)
        return CLI_PARSE_ERROR;
    return check_positional(&p);
}

void cli_args_release(struct cli_args *a)
{
    for (size_t i = 0; i < CLI_OPT_COUNT; i++)
        free(a->vals[i]);
    free(a->pos);
    *a = (struct cli_args){ .cmd = a->cmd };
}

/* ---- reading what was parsed ---- */

const char *cli_arg(const struct cli_args *a, enum cli_opt id)
{
    if (a->nvals[id])
        return a->vals[id][a->nvals[id] - 1];
    return a->row[id] ? a->row[id]->def : NULL;
}

size_t cli_arg_list(const struct cli_args *a, enum cli_opt id, const char *const **out)
{
    *out = a->vals[id];
    return a->nvals[id];
}

bool cli_flag(const struct cli_args *a, enum cli_opt id)
{
    return a->nvals[id] > 0;
}

long cli_number(const struct cli_args *a, enum cli_opt id, long dflt)
{
    const char *v = cli_arg(a, id);
    long n;
    return v && parse_long(v, &n) ? n : dflt;
}

/* ---- main ---- */

int cli_usage_error(const struct cli_command *cmd, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("apim: ", stderr);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    if (cmd)
        fprintf(stderr, "\nsee 'apim %s --help'\n", cmd->path);
    else
        fputs("\nsee 'apim help'\n", stderr);
    return CLI_USAGE;
}

static bool is_help(const char *w)
{
    return strcmp(w, "--help") == 0 || strcmp(w, "-h") == 0;
}

static int unknown_command(const struct cli_command *group, const char *word)
{
    const char *names[MAX_NAMES];
    size_t n = child_names(group, names);
    char msg[512];
    if (word[0] == '-' && group == NULL)
        snprintf(msg, sizeof(msg), "unknown option '%s'", word);
    else if (word[0] == '-')
        snprintf(msg, sizeof(msg), "'apim %s' needs a command before its options", group->path);
    else if (group == NULL)
        snprintf(msg, sizeof(msg), "'%s' is not a command", word);
    else
        snprintf(msg, sizeof(msg), "'%s' is not a command of 'apim %s'", word, group->path);
    if (word[0] != '-')
        add_hint(msg, sizeof(msg), word, names, n);
    return cli_usage_error(group, "%s", msg);
}

static int run(const struct cli_command *cmd, int argc, char **argv)
{
    struct cli_args a;
    char err[512];
    enum cli_parse_result r = cli_parse(cmd, argc, argv, &a, err, sizeof(err));
    int rc = CLI_OK;
    if (r == CLI_PARSE_HELP)
        cli_help_print(cmd, stdout);
    else if (r == CLI_PARSE_ERROR)
        rc = cli_usage_error(cmd, "%s", err);
    else
        rc = cmd->run(&a);
    cli_args_release(&a);
    return rc;
}

int cli_main(int argc, char **argv)
{
    const struct cli_command *cmd = NULL;
    int i = 1;
    if (argc > 1 && (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "-V") == 0))
        return cli_version(NULL);
    for (;;) {
        if (i >= argc) { /* a group without its command */
            cli_help_print(cmd, stderr);
            return CLI_USAGE;
        }
        if (is_help(argv[i])) {
            cli_help_print(cmd, stdout);
            return CLI_OK;
        }
        const struct cli_command *next = child_named(cmd, argv[i]);
        if (next == NULL)
            return unknown_command(cmd, argv[i]);
        cmd = next;
        if (cmd->run)
            return run(cmd, argc - i, argv + i);
        i++;
    }
}

/* ---- apim help, apim version ---- */

int cli_help(const struct cli_args *a)
{
    const struct cli_command *cmd = NULL;
    for (size_t i = 0; i < a->npos; i++) {
        const struct cli_command *next = child_named(cmd, a->pos[i]);
        if (next == NULL)
            return unknown_command(cmd, a->pos[i]);
        cmd = next;
    }
    cli_help_print(cmd, stdout);
    return CLI_OK;
}

int cli_version(const struct cli_args *a)
{
    (void)a;
    printf("apim %s\n", APIM_VERSION);
    return CLI_OK;
}
