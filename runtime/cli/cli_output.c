/* cli_output.c - printing results in the --output formats, as az does:
 * table (aligned columns under a header and a rule), tsv (values only,
 * tab-separated, no header), json (every field, indented) and yaml (the same
 * tree, emitted by libfyaml). */
#include <libfyaml.h>
#include <string.h>
#include <strings.h>

#include "cli_cmd.h"

enum cli_format cli_output_format(const struct cli_args *a)
{
    static const char *const names[] = {
        [CLI_FORMAT_TABLE] = "table", [CLI_FORMAT_JSON] = "json",   [CLI_FORMAT_YAML] = "yaml",
        [CLI_FORMAT_TSV] = "tsv",     [CLI_FORMAT_SARIF] = "sarif", [CLI_FORMAT_GITHUB] = "github",
    };
    const char *v = cli_arg(a, CLI_OPT_OUTPUT);
    for (size_t i = 0; v && i < sizeof(names) / sizeof(names[0]); i++)
        if (strcmp(v, names[i]) == 0)
            return (enum cli_format)i;
    return CLI_FORMAT_TABLE;
}

const char *cli_output_str(json_t *o, const char *key)
{
    const char *s = json_string_value(json_object_get(o, key));
    return s ? s : "";
}

/* A cell as text (strings as they are; true/false; numbers; null empty). */
static char *cell(json_t *v)
{
    if (json_is_string(v))
        return xstrdup(json_string_value(v));
    if (json_is_true(v) || json_is_false(v))
        return xstrdup(json_is_true(v) ? "true" : "false");
    if (json_is_null(v) || v == NULL)
        return xstrdup("");
    if (json_is_array(v)) {
        struct buf b;
        buf_init(&b, 1u << 20);
        size_t i;
        json_t *e;
        json_array_foreach(v, i, e)
        {
            char *t = cell(e);
            if ((i && buf_puts(&b, ",") != 0) || buf_puts(&b, t) != 0)
                i = json_array_size(v);
            free(t);
        }
        char *s = buf_steal(&b, &i);
        return s ? s : xstrdup("");
    }
    return json_dumps(v, JSON_ENCODE_ANY | JSON_COMPACT);
}

/* A cell on one line: tabs and line breaks in a value would break the
 * columns (and TSV's records), so they become spaces. */
static char *flat_cell(json_t *v)
{
    char *s = cell(v);
    for (char *p = s; p && *p; p++)
        if (*p == '\t' || *p == '\n' || *p == '\r')
            *p = ' ';
    return s;
}

static void print_table(json_t *rows, const struct cli_column *cols, size_t ncols)
{
    size_t nrows = json_array_size(rows);
    size_t *width = xcalloc(ncols, sizeof(*width));
    char **cells = xcalloc(nrows * ncols + 1, sizeof(*cells));
    for (size_t c = 0; c < ncols; c++)
        width[c] = strlen(cols[c].header);
    for (size_t r = 0; r < nrows; r++)
        for (size_t c = 0; c < ncols; c++) {
            char *t = flat_cell(json_object_get(json_array_get(rows, r), cols[c].key));
            cells[r * ncols + c] = t;
            width[c] = strlen(t) > width[c] ? strlen(t) : width[c];
        }
    for (size_t c = 0; c < ncols; c++)
        printf("%-*s%s", c + 1 < ncols ? (int)width[c] : 0, cols[c].header,
               c + 1 < ncols ? "  " : "\n");
    for (size_t c = 0; c < ncols; c++) {
        for (size_t i = 0; i < width[c]; i++)
            putchar('-');
        fputs(c + 1 < ncols ? "  " : "\n", stdout);
    }
    for (size_t r = 0; r < nrows; r++)
        for (size_t c = 0; c < ncols; c++)
            printf("%-*s%s", c + 1 < ncols ? (int)width[c] : 0, cells[r * ncols + c],
                   c + 1 < ncols ? "  " : "\n");
    for (size_t i = 0; i < nrows * ncols; i++)
        free(cells[i]);
    free(cells);
    free(width);
}

void cli_output_rows(json_t *rows, const struct cli_column *cols, size_t ncols, enum cli_format f)
{
    if (f == CLI_FORMAT_JSON || f == CLI_FORMAT_YAML) {
        (void)cli_output_value(rows, f); /* stdout's errors show in its exit status */
        return;
    }
    if (f == CLI_FORMAT_TABLE) {
        print_table(rows, cols, ncols);
        return;
    }
    size_t r;
    json_t *row;
    json_array_foreach(rows, r, row)
    {
        for (size_t c = 0; c < ncols; c++) {
            char *t = flat_cell(json_object_get(row, cols[c].key));
            printf("%s%s", t, c + 1 < ncols ? "\t" : "\n");
            free(t);
        }
    }
}

int cli_output_value(json_t *v, enum cli_format f)
{
    if (f == CLI_FORMAT_YAML)
        return cli_output_yaml(v, stdout);
    char *text = json_dumps(v, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_ENCODE_ANY);
    int rc = text && printf("%s\n", text) > 0 ? 0 : -1;
    free(text);
    return rc;
}

/* ---- YAML ---- */

static bool reserved_word(const char *s)
{
    static const char *const words[] = { "true", "false", "yes", "no",   "on",
                                         "off",  "y",     "n",   "null", NULL };
    for (size_t i = 0; words[i]; i++)
        if (strcasecmp(s, words[i]) == 0)
            return true;
    return false;
}

/* True if s, written plain, reads back as the same string in YAML 1.1 and
 * 1.2 alike. Conservative: anything that starts like a number, a date, a
 * special value or an indicator is quoted, and so is any character beyond
 * a small safe set. */
static bool plain_safe(const char *s)
{
    static const char safe[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                               "0123456789 _./-;=@()+:";
    size_t n = strlen(s);
    if (n == 0 || reserved_word(s) ||
        strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ/_", s[0]) == NULL)
        return false;
    if (s[n - 1] == ' ' || s[n - 1] == ':' || strstr(s, ": ") || strstr(s, "  "))
        return false;
    for (size_t i = 0; i < n; i++)
        if (strchr(safe, s[i]) == NULL && (unsigned char)s[i] < 0x80)
            return false;
    return true;
}

/* A string scalar: plain when safe, else double-quoted (a JSON string is a
 * valid YAML double-quoted scalar, escapes included). */
static struct fy_node *yaml_string(struct fy_document *d, const char *s, size_t len)
{
    if (strlen(s) == len && plain_safe(s))
        return fy_node_create_scalar_copy(d, s, len);
    json_t *j = json_stringn(s, len);
    char *quoted = j ? json_dumps(j, JSON_ENCODE_ANY) : NULL;
    json_decref(j);
    /* The node keeps pointing into its source text: the document takes the
     * malloc'd text and frees it with itself. */
    return quoted ? fy_node_build_from_malloc_string(d, quoted, FY_NT) : NULL;
}

static struct fy_node *yaml_node(struct fy_document *d, json_t *v);

/* Frees a node that is not attached (attached ones are the document's). */
static void drop(struct fy_node *n)
{
    if (n)
        (void)fy_node_free(n);
}

static struct fy_node *yaml_object(struct fy_document *d, json_t *v)
{
    struct fy_node *m = fy_node_create_mapping(d);
    const char *key;
    json_t *item;
    json_object_foreach(v, key, item)
    {
        struct fy_node *k = yaml_string(d, key, strlen(key)), *val = yaml_node(d, item);
        if (m == NULL || k == NULL || val == NULL || fy_node_mapping_append(m, k, val) != 0) {
            /* nodes not attached are not the document's: free them here */
            drop(k);
            drop(val);
            drop(m);
            return NULL;
        }
    }
    return m;
}

static struct fy_node *yaml_array(struct fy_document *d, json_t *v)
{
    struct fy_node *s = fy_node_create_sequence(d);
    size_t i;
    json_t *item;
    json_array_foreach(v, i, item)
    {
        struct fy_node *e = yaml_node(d, item);
        if (s == NULL || e == NULL || fy_node_sequence_append(s, e) != 0) {
            drop(e);
            drop(s);
            return NULL;
        }
    }
    return s;
}

static struct fy_node *yaml_node(struct fy_document *d, json_t *v)
{
    if (json_is_object(v))
        return yaml_object(d, v);
    if (json_is_array(v))
        return yaml_array(d, v);
    if (json_is_string(v))
        return yaml_string(d, json_string_value(v), json_string_length(v));
    /* numbers, true, false, null: JSON's spelling is YAML's */
    char *text = json_dumps(v, JSON_ENCODE_ANY);
    struct fy_node *n = text ? fy_node_create_scalar_copy(d, text, strlen(text)) : NULL;
    free(text);
    return n;
}

int cli_output_yaml(json_t *v, FILE *out)
{
    struct fy_document *d = fy_document_create(NULL);
    struct fy_node *root = d ? yaml_node(d, v) : NULL;
    if (root && fy_document_set_root(d, root) != 0) {
        drop(root);
        root = NULL;
    }
    int rc = root && fy_emit_document_to_fp(d, FYECF_MODE_BLOCK | FYECF_WIDTH_INF | FYECF_INDENT_2,
                                            out) == 0
                 ? 0
                 : -1;
    if (rc != 0)
        fputs("apim: cannot write the output as YAML\n", stderr);
    fy_document_destroy(d);
    return rc;
}
