/* cli_rows.c - printing listings as az does: --output table (aligned
 * columns under a header and a rule), tsv (values only, tab-separated) or
 * json (every field, indented). */
#include <string.h>

#include "cli.h"

int cli_parse_rows_format(const char *s, enum cli_rows_format *f)
{
    static const char *const names[] = { "table", "json", "tsv" };
    for (int i = 0; i < 3; i++)
        if (strcmp(s, names[i]) == 0) {
            *f = (enum cli_rows_format)i;
            return 0;
        }
    return -1;
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

static void print_table(json_t *rows, const struct cli_column *cols, size_t ncols)
{
    size_t nrows = json_array_size(rows);
    size_t *width = xcalloc(ncols, sizeof(*width));
    char **cells = xcalloc(nrows * ncols + 1, sizeof(*cells));
    for (size_t c = 0; c < ncols; c++)
        width[c] = strlen(cols[c].header);
    for (size_t r = 0; r < nrows; r++)
        for (size_t c = 0; c < ncols; c++) {
            char *t = cell(json_object_get(json_array_get(rows, r), cols[c].key));
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

void cli_print_rows(json_t *rows, const struct cli_column *cols, size_t ncols,
                    enum cli_rows_format f)
{
    if (f == CLI_ROWS_JSON) {
        char *text = json_dumps(rows, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_ENCODE_ANY);
        printf("%s\n", text ? text : "[]");
        free(text);
        return;
    }
    if (f == CLI_ROWS_TABLE) {
        print_table(rows, cols, ncols);
        return;
    }
    size_t r;
    json_t *row;
    json_array_foreach(rows, r, row)
    {
        for (size_t c = 0; c < ncols; c++) {
            char *t = cell(json_object_get(row, cols[c].key));
            printf("%s%s", t, c + 1 < ncols ? "\t" : "\n");
            free(t);
        }
    }
}
