/* libFuzzer target: bytes straight into the policy XML reader
 * (compiler/policy/policy_xml.h), which must end on any input with a tree
 * whose ranges lie inside the text and every error located in it; the
 * diagnostics must render. Each expression's decode map (policy_xml_decode_map)
 * must give its decoded text's length, in order, inside its range. Seeded with the policy files of
 * ../shared/corpus. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "apim_limits.h"
#include "fuzz_input.h"
#include "policy_xml.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_range(struct policy_xml_range r, size_t len)
{
    if (r.start > r.end || r.end > len)
        abort();
}

static void check_map(const char *text, struct policy_xml_range r, size_t decoded_len)
{
    uint32_t *map = malloc((r.end - r.start + 1) * sizeof(uint32_t));
    size_t n = policy_xml_decode_map(text, r.start, r.end, map);
    if (n != decoded_len || map[n] != r.end)
        abort();
    for (size_t k = 0; k < n; k++)
        if (map[k] < r.start || map[k] >= r.end || (k > 0 && map[k] < map[k - 1]))
            abort();
    free(map);
}

/* Every node's ranges inside the text, children inside their parent. */
static void check(const char *text, const struct policy_xml_node *n, size_t len, unsigned depth)
{
    for (; n; n = n->next) {
        check_range(n->at, len);
        check_range(n->content, len);
        if (n->kind == PXML_EXPR)
            check_map(text, n->content, n->text.len);
        if (n->parent && (n->at.start < n->parent->content.start))
            abort();
        for (size_t i = 0; i < n->nattrs; i++) {
            check_range(n->attrs[i].name_at, len);
            check_range(n->attrs[i].value_at, len);
        }
        if (depth > APIM_MAX_XML_DEPTH + 1)
            abort();
        check(text, n->children, len, depth + 1);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct arena a;
    struct diag d;
    arena_init(&a, 64 * 1024);
    diag_init(&d, &a);
    struct source *src = fuzz_source(&a, &d, "fuzz.xml", data, size);
    struct policy_xml_doc doc;
    int rc = policy_xml_read(&a, &d, src, src->text, src->len, &doc);
    if ((rc != 0) != (doc.nerrors != 0))
        abort();
    check(src->text, doc.root, src->len, 0);
    for (size_t i = 0; i < doc.ncomments; i++)
        check_range(doc.comments[i], src->len);
    fuzz_finish(&a, &d);
    return 0;
}
