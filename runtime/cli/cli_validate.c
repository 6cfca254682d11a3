/* cli_validate.c - apim validate FILE|FOLDER... (options: cli_table.c) */
#include <stdio.h>

#include "cli_cmd.h"
#include "compile.h"
#include "policy_catalog.h"

static void list_codes(void)
{
    for (int i = 0; i < DIAG_CODE_COUNT; i++)
        printf("%s %s %s\n", diag_code_str((enum diag_code)i),
               diag_level_str(diag_code_level((enum diag_code)i)),
               diag_code_slug((enum diag_code)i));
}

/* The catalog as data for docs/policies.md (docs/gen/policies.py). */
static void list_policies(void)
{
    for (int i = 0; i < POLICY_COUNT; i++) {
        const struct policy_info *p = policy_info((enum policy_id)i);
        char sections[128], scopes[128];
        policy_format_sections(p->sections, sections, sizeof(sections));
        policy_format_scopes(p->scopes, scopes, sizeof(scopes));
        printf("%s\t%s\t%s\t%s\t%s%s%s\t%s\n", p->name, p->family, sections, scopes,
               p->flags & POLICY_F_FAIL_CLOSED ? "fail-closed " : "",
               p->flags & POLICY_F_CONTAINER ? "container " : "",
               p->flags & POLICY_F_BRANCHES ? "branches " : "", p->local ? p->local : "-");
    }
}

int cli_validate(const struct cli_args *a)
{
    if (cli_flag(a, CLI_OPT_LIST_CODES)) {
        list_codes();
        return CLI_OK;
    }
    if (cli_flag(a, CLI_OPT_LIST_POLICIES)) {
        list_policies();
        return CLI_OK;
    }
    if (a->npos == 0)
        return cli_usage_error(a->cmd, "missing FILE|FOLDER to validate");
    const char *docs_url;
    if (cli_docs_url(a, &docs_url) != CLI_OK)
        return CLI_USAGE;
    struct compiler c;
    compiler_init(&c);
    c.sample_parameters = cli_flag(a, CLI_OPT_SAMPLE_PARAMETERS);
    cli_config_apiops(&c, cli_arg(a, CLI_OPT_CONFIGURATION), cli_arg(a, CLI_OPT_SERVICE_NAME));
    if (cli_config_add_parameters(a, &c) != 0 || cli_config_add_imports(a, &c) != 0) {
        compiler_release(&c);
        return CLI_USAGE;
    }
    for (size_t i = 0; i < a->npos; i++)
        (void)compiler_add_input(&c, a->pos[i]); /* a missing file is a diagnostic */
    compiler_finish(&c);
    cli_report(&c, cli_output_format(a), cli_flag(a, CLI_OPT_STRICT), !cli_flag(a, CLI_OPT_QUIET),
               docs_url);
    int rc = c.diag.nerrors ? CLI_FAILED : CLI_OK;
    compiler_release(&c);
    return rc;
}
