/* cli_validate.c - apim validate FILE|FOLDER... (options: cli_table.c) */
#include <stdio.h>

#include "cli_cmd.h"
#include "compile.h"
#include "csx_table.h"
#include "policy_attrs.h"
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

static const char *content_name(enum policy_content c)
{
    static const char *const names[] = { "empty",    "text",          "elements", "mixed",
                                         "policies", "some-policies", "any" };
    return (size_t)c < sizeof(names) / sizeof(names[0]) ? names[c] : "?";
}

static void list_attr(const char *path, const struct policy_attr_info *r)
{
    printf("A\t%s\t%s\t%s\t%s%s%s%s%s\t%s\t%s\t", path, r->name, policy_attrs_type_name(r->type),
           r->flags & POLICY_A_REQ ? "required " : "", r->flags & POLICY_A_NOEXPR ? "no-expr " : "",
           r->flags & POLICY_A_ONE_OF ? "one-of " : "",
           r->flags & POLICY_A_EXCL ? "exclusive " : "",
           r->flags & POLICY_A_SETS_VAR ? "sets-var " : "", r->def ? r->def : "-",
           r->allowed ? r->allowed : "-");
    if (r->min == 0 && r->max == 0)
        printf("-\n");
    else if (r->max == POLICY_ATTRS_NOMAX)
        printf("%lld..\n", r->min);
    else
        printf("%lld..%lld\n", r->min, r->max);
}

/* The element table as data for docs/policies.md (docs/gen/policies.py):
 * E path content rules / A path name type flags default allowed range /
 * C path name child-path min max flags, tab-separated. */
static void list_policy_elements(void)
{
    for (size_t i = 0; i < policy_attrs_count(); i++) {
        const struct policy_element_info *e = policy_attrs_at(i);
        printf("E\t%s\t%s\t%s%s%s%s\n", e->path, content_name(e->content),
               e->rules & POLICY_R_ONCE_DOC ? "once-per-document " : "",
               e->rules & POLICY_R_ONCE_SECTION ? "once-per-section " : "",
               e->rules & POLICY_R_NO_FRAGMENT ? "not-in-fragment " : "",
               e->rules & POLICY_R_INHERITS ? "inherits " : "");
        for (size_t k = 0; k < e->nattrs; k++)
            list_attr(e->path, &e->attrs[k]);
        for (size_t k = 0; k < e->nchildren; k++) {
            const struct policy_child_info *c = &e->children[k];
            printf("C\t%s\t%s\t%s\t%u\t", e->path, c->name, c->path ? c->path : "-", c->min);
            if (c->max == POLICY_ATTRS_MANY)
                printf("many");
            else
                printf("%u", c->max);
            printf("\t%s%s\n", c->flags & POLICY_C_LAST ? "last " : "",
                   c->flags & POLICY_C_ONE_OF ? "one-of " : "");
        }
    }
}

static const char *result_name(enum csx_type_id t)
{
    static const char *const computed[] = { "T", "arg2", "T or arg2", "element", "self" };
    return t < CSXT_COUNT ? csx_type_rows[t].name : computed[t - CSXT_COUNT];
}

/* The member table as data for docs/expressions.md (docs/gen/expressions.py):
 * T name kind / M owner name kind min max result, tab-separated, in the
 * order of csx_members.def. */
static void list_expression_members(void)
{
    static const char *const kinds[] = { "value", "static", "host" };
    for (int t = 0; t < CSXT_COUNT; t++)
        printf("T\t%s\t%s\n", csx_type_rows[t].name, kinds[csx_type_rows[t].kind]);
    for (int m = 0; m < CSXM_COUNT; m++) {
        const struct csx_member_row *r = &csx_member_rows[m];
        printf("M\t%s\t%s\t%s\t%u\t%u\t%s\n", csx_type_rows[r->owner].name, r->name,
               csx_table_kind_name(r->kind), r->min_args, r->max_args, result_name(r->result));
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
    if (cli_flag(a, CLI_OPT_LIST_POLICY_ELEMENTS)) {
        list_policy_elements();
        return CLI_OK;
    }
    if (cli_flag(a, CLI_OPT_LIST_EXPRESSION_MEMBERS)) {
        list_expression_members();
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
