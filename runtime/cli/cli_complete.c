/* cli_complete.c - apim completion bash|zsh: completion scripts written
 * from the command table, so they always know every command, option and
 * closed set of values the binary has.
 *
 * Both scripts hold the table as data keyed by command path ("apim",
 * "apim gateway", "apim gateway start") and share one way of reading the
 * command line: walk the words before the cursor, descending into
 * subcommands and stepping over options and their values; then complete
 * an option's value (closed values, or file names where the option takes a
 * file, '@FILE' included), an option name, a subcommand, or a positional
 * argument. "apim help" completes command words. */
#include <string.h>

#include "cli_cmd.h"

#define MAX_KIDS 64

/* ---- the table, as the scripts see it ---- */

/* The root (NULL) and every command, in table order. */
static const struct cli_command *node(size_t i)
{
    return i == 0 ? NULL : &cli_commands[i - 1];
}

static size_t nnodes(void)
{
    return cli_ncommands + 1;
}

static void print_key(FILE *out, const struct cli_command *c, const char *suffix)
{
    fprintf(out, "apim%s%s%s%s", c ? " " : "", c ? c->path : "", suffix ? " " : "",
            suffix ? suffix : "");
}

/* What an option's value can be: "@file", the closed values, or "" (any). */
static void print_value_words(FILE *out, const struct cli_option *o)
{
    if (o->flags & CLI_OPT_FILE)
        fputs("@file", out);
    for (size_t i = 0; !(o->flags & CLI_OPT_FILE) && o->values && o->values[i]; i++)
        fprintf(out, "%s%s", i ? " " : "", o->values[i]);
}

static void print_arg_words(FILE *out, const struct cli_command *c)
{
    if (c == NULL || c->run == NULL)
        return;
    if (c->args_kind == CLI_ARGS_FILE)
        fputs("@file", out);
    else if (c->args_kind == CLI_ARGS_COMMAND)
        fputs("@command", out);
    for (size_t i = 0; c->args_kind == CLI_ARGS_VALUES && c->arg_values[i]; i++)
        fprintf(out, "%s%s", i ? " " : "", c->arg_values[i]);
}

/* The options every node has beyond its table rows. */
static const char *const builtin_root[] = { "--help", "-h", "--version", "-V", NULL };
static const char *const builtin_other[] = { "--help", "-h", NULL };

/* ---- bash ---- */

static void bash_subcommands(FILE *out)
{
    fputs("_apim_subcommands() {\n    case \"$1\" in\n", out);
    for (size_t i = 0; i < nnodes(); i++) {
        const struct cli_command *kids[MAX_KIDS];
        size_t n = cli_help_children(node(i), kids, MAX_KIDS);
        if (n == 0)
            continue;
        fputs("    \"", out);
        print_key(out, node(i), NULL);
        fputs("\") echo \"", out);
        for (size_t k = 0; k < n; k++)
            fprintf(out, "%s%s", k ? " " : "", cli_help_name(kids[k]));
        fputs("\" ;;\n", out);
    }
    fputs("    esac\n}\n\n", out);
}

static void bash_options(FILE *out)
{
    fputs("_apim_options() {\n    case \"$1\" in\n", out);
    for (size_t i = 0; i < nnodes(); i++) {
        const struct cli_command *c = node(i);
        const char *const *extra = c ? builtin_other : builtin_root;
        fputs("    \"", out);
        print_key(out, c, NULL);
        fputs("\") echo \"", out);
        for (size_t k = 0; c && c->options && c->options[k]; k++) {
            const struct cli_option *o = c->options[k];
            fprintf(out, "--%s ", o->name);
            if (o->letter)
                fprintf(out, "-%c ", o->letter);
        }
        for (size_t k = 0; extra[k]; k++)
            fprintf(out, "%s%s", k ? " " : "", extra[k]);
        fputs("\" ;;\n", out);
    }
    fputs("    esac\n}\n\n", out);
}

/* _apim_values PATH OPTION: the option's value words; status 1 for a flag
 * (or an option the command does not have). */
static void bash_values(FILE *out)
{
    fputs("_apim_values() {\n    case \"$1 $2\" in\n", out);
    for (size_t i = 1; i < nnodes(); i++) {
        const struct cli_command *c = node(i);
        for (size_t k = 0; c->options && c->options[k]; k++) {
            const struct cli_option *o = c->options[k];
            if (o->arg == NULL)
                continue;
            char name[64];
            snprintf(name, sizeof(name), "--%s", o->name);
            fputs("    \"", out);
            print_key(out, c, name);
            if (o->letter) {
                snprintf(name, sizeof(name), "-%c", o->letter);
                fputs("\"|\"", out);
                print_key(out, c, name);
            }
            fputs("\") echo \"", out);
            print_value_words(out, o);
            fputs("\" ;;\n", out);
        }
    }
    fputs("    *) return 1 ;;\n    esac\n}\n\n", out);
}

static void bash_arguments(FILE *out)
{
    fputs("_apim_arguments() {\n    case \"$1\" in\n", out);
    for (size_t i = 1; i < nnodes(); i++) {
        const struct cli_command *c = node(i);
        if (c->run == NULL || c->args_kind == CLI_ARGS_TEXT)
            continue;
        fputs("    \"", out);
        print_key(out, c, NULL);
        fputs("\") echo \"", out);
        print_arg_words(out, c);
        fputs("\" ;;\n", out);
    }
    fputs("    esac\n}\n\n", out);
}

static const char bash_head[] =
    "# bash completion for apim, written by 'apim completion bash' from apim's\n"
    "# command table. Load it from ~/.bashrc with:  source <(apim completion bash)\n\n";

/* The walk and the choice of what to complete (see the top of this file).
 * bash splits "--output=json" at '=' into three words: --output, =, json. */
static const char bash_body[] =
    "_apim_complete_words() { # WORDS CUR\n"
    "    if [[ $1 == @file ]]; then\n"
    "        compopt -o filenames 2>/dev/null\n"
    "        if [[ $2 == @* ]]; then\n"
    "            COMPREPLY=($(compgen -f -P @ -- \"${2#@}\"))\n"
    "        else\n"
    "            COMPREPLY=($(compgen -f -- \"$2\"))\n"
    "        fi\n"
    "    else\n"
    "        COMPREPLY=($(compgen -W \"$1\" -- \"$2\"))\n"
    "    fi\n"
    "}\n"
    "\n"
    "_apim() {\n"
    "    local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]}\n"
    "    local path=apim hpath=apim w i opt= values\n"
    "    COMPREPLY=()\n"
    "    for ((i = 1; i < COMP_CWORD; i++)); do\n"
    "        w=${COMP_WORDS[i]}\n"
    "        if [[ $w == -*=* ]]; then\n"
    "            continue\n"
    "        elif [[ $w == -* ]]; then\n"
    "            if [[ ${COMP_WORDS[i+1]} == = ]]; then\n"
    "                ((i += 2))\n"
    "            elif _apim_values \"$path\" \"$w\" >/dev/null; then\n"
    "                ((i++))\n"
    "            fi\n"
    "        elif [[ $path == 'apim help' ]]; then\n"
    "            [[ \" $(_apim_subcommands \"$hpath\") \" == *\" $w \"* ]] && hpath=\"$hpath $w\"\n"
    "        elif [[ \" $(_apim_subcommands \"$path\") \" == *\" $w \"* ]]; then\n"
    "            path=\"$path $w\"\n"
    "        fi\n"
    "    done\n"
    "    if [[ $cur == = ]]; then\n"
    "        opt=$prev cur=\n"
    "    elif [[ $prev == = ]] && ((COMP_CWORD > 2)); then\n"
    "        opt=${COMP_WORDS[COMP_CWORD-2]}\n"
    "    elif [[ $prev == -* ]]; then\n"
    "        opt=$prev\n"
    "    fi\n"
    "    if [[ -n $opt ]] && values=$(_apim_values \"$path\" \"$opt\"); then\n"
    "        _apim_complete_words \"$values\" \"$cur\"\n"
    "    elif [[ $cur == -* ]]; then\n"
    "        COMPREPLY=($(compgen -W \"$(_apim_options \"$path\")\" -- \"$cur\"))\n"
    "    elif [[ $path == 'apim help' ]]; then\n"
    "        COMPREPLY=($(compgen -W \"$(_apim_subcommands \"$hpath\")\" -- \"$cur\"))\n"
    "    elif [[ -n $(_apim_subcommands \"$path\") ]]; then\n"
    "        COMPREPLY=($(compgen -W \"$(_apim_subcommands \"$path\")\" -- \"$cur\"))\n"
    "    elif [[ -n $(_apim_arguments \"$path\") ]]; then\n"
    "        _apim_complete_words \"$(_apim_arguments \"$path\")\" \"$cur\"\n"
    "    else\n"
    "        COMPREPLY=($(compgen -W \"$(_apim_options \"$path\")\" -- \"$cur\"))\n"
    "    fi\n"
    "    return 0\n"
    "}\n"
    "\n"
    "complete -F _apim apim\n";

static void bash_script(FILE *out)
{
    fputs(bash_head, out);
    bash_subcommands(out);
    bash_options(out);
    bash_values(out);
    bash_arguments(out);
    fputs(bash_body, out);
}

/* ---- zsh ---- */

/* "name:description" for _describe; ':' in a name would need escaping, and
 * names (commands, options) have none. */
static void zsh_entry(FILE *out, bool *first, const char *prefix, const char *name,
                      const char *help)
{
    char line[512];
    snprintf(line, sizeof(line), "%s%s:%s", prefix, name, help);
    fputs(*first ? "" : "\n", out);
    *first = false;
    for (const char *p = line; *p && *p != ';'; p++) /* up to ';': the gist of the help */
        if (*p == '\'')
            fputs("'\\''", out); /* the quote ends, an escaped one, the quote goes on */
        else
            fputc(*p, out);
}

static void zsh_subcommands(FILE *out)
{
    fputs("_apim_subs=(\n", out);
    for (size_t i = 0; i < nnodes(); i++) {
        const struct cli_command *kids[MAX_KIDS];
        size_t n = cli_help_children(node(i), kids, MAX_KIDS);
        bool first = true;
        if (n == 0)
            continue;
        fputs("  '", out);
        print_key(out, node(i), NULL);
        fputs("' '", out);
        for (size_t k = 0; k < n; k++)
            zsh_entry(out, &first, "", cli_help_name(kids[k]), kids[k]->summary);
        fputs("'\n", out);
    }
    fputs(")\n", out);
}

static void zsh_options(FILE *out)
{
    fputs("_apim_opts=(\n", out);
    for (size_t i = 0; i < nnodes(); i++) {
        const struct cli_command *c = node(i);
        bool first = true;
        fputs("  '", out);
        print_key(out, c, NULL);
        fputs("' '", out);
        for (size_t k = 0; c && c->options && c->options[k]; k++) {
            const struct cli_option *o = c->options[k];
            char letter[3] = { o->letter, 0, 0 };
            zsh_entry(out, &first, "--", o->name, o->help);
            if (o->letter)
                zsh_entry(out, &first, "-", letter, o->help);
        }
        zsh_entry(out, &first, "--", "help", "show the help");
        if (c == NULL)
            zsh_entry(out, &first, "--", "version", "print the version");
        fputs("'\n", out);
    }
    fputs(")\n", out);
}

static void zsh_values(FILE *out)
{
    fputs("_apim_vals=(\n", out);
    for (size_t i = 1; i < nnodes(); i++) {
        const struct cli_command *c = node(i);
        for (size_t k = 0; c->options && c->options[k]; k++) {
            const struct cli_option *o = c->options[k];
            char name[64];
            for (int form = 0; o->arg && form < (o->letter ? 2 : 1); form++) {
                if (form == 0)
                    snprintf(name, sizeof(name), "--%s", o->name);
                else
                    snprintf(name, sizeof(name), "-%c", o->letter);
                fputs("  '", out);
                print_key(out, c, name);
                fputs("' '", out);
                print_value_words(out, o);
                fputs("'\n", out);
            }
        }
    }
    fputs(")\n", out);
}

static void zsh_arguments(FILE *out)
{
    fputs("_apim_args=(\n", out);
    for (size_t i = 1; i < nnodes(); i++) {
        const struct cli_command *c = node(i);
        if (c->run == NULL || c->args_kind == CLI_ARGS_TEXT)
            continue;
        fputs("  '", out);
        print_key(out, c, NULL);
        fputs("' '", out);
        print_arg_words(out, c);
        fputs("'\n", out);
    }
    fputs(")\n\n", out);
}

static const char zsh_head[] =
    "#compdef apim\n"
    "# zsh completion for apim, written by 'apim completion zsh' from apim's\n"
    "# command table. Load it from ~/.zshrc with:  source <(apim completion zsh)\n"
    "# or save it as _apim in a folder of $fpath.\n\n"
    "typeset -gA _apim_subs _apim_opts _apim_vals _apim_args\n";

/* The same walk as bash's; 'path' is special in zsh, hence 'cmd'. */
static const char zsh_body[] =
    "_apim_is_sub() { # PATH WORD\n"
    "    local l\n"
    "    for l in ${(f)_apim_subs[$1]}; do\n"
    "        [[ ${l%%:*} == \"$2\" ]] && return 0\n"
    "    done\n"
    "    return 1\n"
    "}\n"
    "\n"
    "_apim_complete_words() { # WORDS\n"
    "    local -a v\n"
    "    case $1 in\n"
    "    @file) _files ;;\n"
    "    '') _message 'a value' ;;\n"
    "    *) v=(${=1}); compadd -a v ;;\n"
    "    esac\n"
    "}\n"
    "\n"
    "_apim() {\n"
    "    local cmd=apim hcmd=apim w opt= cur=${words[CURRENT]}\n"
    "    local -i i=2\n"
    "    local -a items\n"
    "    while (( i < CURRENT )); do\n"
    "        w=${words[i]}\n"
    "        if [[ $w == -*=* ]]; then\n"
    "            :\n"
    "        elif [[ $w == -* ]]; then\n"
    "            (( ${+_apim_vals[$cmd $w]} )) && (( i++ ))\n"
    "        elif [[ $cmd == 'apim help' ]]; then\n"
    "            _apim_is_sub \"$hcmd\" \"$w\" && hcmd=\"$hcmd $w\"\n"
    "        elif _apim_is_sub \"$cmd\" \"$w\"; then\n"
    "            cmd=\"$cmd $w\"\n"
    "        fi\n"
    "        (( i++ ))\n"
    "    done\n"
    "    if [[ $cur == -*=* ]]; then\n"
    "        opt=${cur%%=*}\n"
    "        compset -P '*='\n"
    "    elif (( CURRENT > 2 )) && [[ ${words[CURRENT-1]} == -* ]]; then\n"
    "        opt=${words[CURRENT-1]}\n"
    "    fi\n"
    "    if [[ -n $opt ]] && (( ${+_apim_vals[$cmd $opt]} )); then\n"
    "        _apim_complete_words \"${_apim_vals[$cmd $opt]}\"\n"
    "    elif [[ $cur == -* ]]; then\n"
    "        items=(${(f)_apim_opts[$cmd]})\n"
    "        _describe -t options 'option' items\n"
    "    elif [[ $cmd == 'apim help' ]]; then\n"
    "        items=(${(f)_apim_subs[$hcmd]})\n"
    "        _describe -t commands 'command' items\n"
    "    elif (( ${+_apim_subs[$cmd]} )); then\n"
    "        items=(${(f)_apim_subs[$cmd]})\n"
    "        _describe -t commands 'command' items\n"
    "    elif [[ -n ${_apim_args[$cmd]} ]]; then\n"
    "        _apim_complete_words \"${_apim_args[$cmd]}\"\n"
    "    else\n"
    "        items=(${(f)_apim_opts[$cmd]})\n"
    "        _describe -t options 'option' items\n"
    "    fi\n"
    "}\n"
    "\n"
    "if [[ ${zsh_eval_context[-1]} == loadautofunc ]]; then\n"
    "    _apim \"$@\"\n"
    "else\n"
    "    (( ${+functions[compdef]} )) || { autoload -Uz compinit && compinit; }\n"
    "    compdef _apim apim\n"
    "fi\n";

static void zsh_script(FILE *out)
{
    fputs(zsh_head, out);
    zsh_subcommands(out);
    zsh_options(out);
    zsh_values(out);
    zsh_arguments(out);
    fputs(zsh_body, out);
}

int cli_complete_script(const char *shell, FILE *out)
{
    if (strcmp(shell, "bash") == 0)
        bash_script(out);
    else if (strcmp(shell, "zsh") == 0)
        zsh_script(out);
    else
        return -1;
    return 0;
}

int cli_completion(const struct cli_args *a)
{
    /* the parser has checked the shell against the table's values */
    return cli_complete_script(a->pos[0], stdout) == 0 ? CLI_OK : CLI_USAGE;
}
