/* openapi_int.h - what the importer's files (openapi.c, openapi_ref.c,
 * openapi_op.c) share: the state of one import, the hash maps that keep it
 * linear in the size of the document, and $ref resolution.
 *
 * Not for other modules: they use openapi.h.
 * Ownership: everything lives in the model's arena.
 * Errors: located diagnostics (APIM7xxx) in the document's own text.
 */
#ifndef APIM_COMPILER_OPENAPI_INT_H
#define APIM_COMPILER_OPENAPI_INT_H

#include "openapi.h"

/* A string-keyed open-addressing map in the arena (it only grows; an
 * import's maps hold a few entries per operation, component and $ref). */
struct openapi_map {
    struct openapi_slot {
        uint64_t hash; /* 0: empty */
        const void *owner;
        struct str key;
        void *value;
    } * v;

    size_t n, cap;
};

/* The value stored under (owner, key), or NULL. */
void *openapi_map_get(const struct openapi_map *m, const void *owner, struct str key);

/* Stores value under (owner, key), replacing what was there. */
void openapi_map_put(struct arena *a, struct openapi_map *m, const void *owner, struct str key,
                     void *value);

/* Cross-reference limits: how long a chain of $ref to $ref may be, and how
 * deep the whole-document $ref check descends. */
#define OPENAPI_MAX_REF_CHAIN  32
#define OPENAPI_MAX_WALK_DEPTH 512

struct importer {
    struct model *m;
    struct arena *a;
    struct diag *d;
    struct model_api *api;
    const struct jval *doc;
    bool v3;                    /* OpenAPI 3.x; else Swagger 2.0 */
    bool query_in_template;     /* required query parameters go into the URL template */
    const char *base_url;       /* where the document was downloaded from, or NULL */
    struct loc at;              /* where the import is declared */
    struct openapi_map members; /* (object, key) -> member, for big objects */
    struct openapi_map indexed; /* objects whose members are in `members` */
    struct openapi_map refs;    /* "$ref" text -> struct openapi_ref */
    struct openapi_map op_ids;  /* operationId -> its jval (duplicates) */
    struct openapi_map names;   /* operation name, lower case -> struct model_operation */
    struct buf scratch;         /* one operation's contract, to check its size */
    bool chain_reported;        /* a too long $ref chain was reported */
};

/* The member named key (exactly, as JSON Pointer and OpenAPI compare), or
 * NULL. Linear in the object only for small objects. */
const struct jval *openapi_member(struct importer *imp, const struct jval *obj, const char *key);

/* openapi_member for a string value, else NULL. */
const char *openapi_str(struct importer *imp, const struct jval *obj, const char *key);

/* node, or, if node is a Reference Object ({"$ref": "#/..."}), what it
 * refers to, following chains. Broken, external and circular references are
 * reported (once per reference text) and give NULL. */
const struct jval *openapi_deref(struct importer *imp, const struct jval *node);

/* Resolves every $ref of the document once, so a broken one is reported
 * even where the importer itself does not look (deep inside a schema). */
void openapi_check_refs(struct importer *imp);

/* The name a $ref points at ("Pet" for "#/components/schemas/Pet"), or NULL
 * when node is not a reference. */
const char *openapi_ref_name(struct importer *imp, const struct jval *node);

/* Builds op's contract (templateParameters, request, responses, description)
 * from the OpenAPI operation object; path_params are the path item's
 * parameters. Sets op->url_template and op->params. */
void openapi_build_operation(struct importer *imp, struct model_operation *op, const char *path,
                             const struct jval *path_key, const struct jval *path_item,
                             const struct jval *operation);

/* A string node made by the importer, located at `at`. */
struct jval *openapi_string(struct importer *imp, struct loc at, const char *s);

/* Appends member key = v to obj (an object made with openapi_object). */
void openapi_set(struct importer *imp, struct jval *obj, const char *key, struct jval *v);

/* An empty object or array that grows with openapi_set / openapi_push. */
struct jval *openapi_object(struct importer *imp, struct loc at);
struct jval *openapi_array(struct importer *imp, struct loc at);
void openapi_push(struct importer *imp, struct jval *arr, struct jval *v);

/* Where to report something about node: its own location, or the import's. */
struct loc openapi_loc(const struct importer *imp, const struct jval *node);

#endif
