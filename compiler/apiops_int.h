/* apiops_int.h - what the files of the APIOps module share; other modules
 * use apiops.h.
 *
 *   apiops_layout.c   the artifact layout (one table) and the folder walk
 *   apiops_config.c   configuration.<env>.yaml: overrides, their index, the
 *                     publisher's merge
 *   apiops.c          artifacts -> ARM resources -> the model; the checks
 *                     the model cannot make (links, operation policies)
 *
 * Ownership: artifacts, overrides and maps live in one arena (the model's
 * or the caller's); nothing is freed on its own.
 */
#ifndef APIM_COMPILER_APIOPS_INT_H
#define APIM_COMPILER_APIOPS_INT_H

#include "apiops.h"

/* ---- a string map (open addressing, in the arena) ---- */

struct apiops_map_slot {
    const char *key;
    void *value;
};

struct apiops_map {
    struct arena *arena;
    struct apiops_map_slot *v;
    size_t n, cap;
};

void apiops_map_init(struct apiops_map *m, struct arena *a);

/* The value stored under key (exact bytes), or NULL. */
void *apiops_map_get(const struct apiops_map *m, const char *key);

/* Stores value under key (the key is borrowed: keep it alive), replacing
 * what was there. */
void apiops_map_put(struct apiops_map *m, const char *key, void *value);

/* ---- the layout ---- */

enum apiops_kind {
    AK_ROOT, /* the artifact folder itself: the service */
    AK_API,
    AK_API_DIAGNOSTIC,
    AK_API_OPERATION,
    AK_API_RELEASE,
    AK_PRODUCT,
    AK_PRODUCT_API,
    AK_PRODUCT_GROUP,
    AK_GATEWAY,
    AK_GATEWAY_API,
    AK_TAG,
    AK_TAG_API,
    AK_TAG_PRODUCT,
    AK_BACKEND,
    AK_NAMED_VALUE,
    AK_VERSION_SET,
    AK_LOGGER,
    AK_DIAGNOSTIC,
    AK_FRAGMENT,
    AK_GROUP,
    AK_SUBSCRIPTION,
    AK_WORKSPACE,
    /* a workspace's resources (workspaces/<w>/...): the same layout one
     * level down (src/common/Workspace<Resource>.cs) */
    AK_WS_API,
    AK_WS_API_DIAGNOSTIC,
    AK_WS_API_OPERATION,
    AK_WS_API_RELEASE,
    AK_WS_PRODUCT,
    AK_WS_PRODUCT_API,
    AK_WS_PRODUCT_GROUP,
    AK_WS_TAG,
    AK_WS_TAG_API,
    AK_WS_TAG_PRODUCT,
    AK_WS_BACKEND,
    AK_WS_NAMED_VALUE,
    AK_WS_VERSION_SET,
    AK_WS_LOGGER,
    AK_WS_DIAGNOSTIC,
    AK_WS_FRAGMENT,
    AK_WS_GROUP,
    AK_WS_SUBSCRIPTION,
    AK_POLICY, /* <name>.xml in the folder of its parent */
    AK_COUNT
};

enum apiops_layout_flags {
    AL_POLICIES = 1 << 0,      /* its folder may hold <name>.xml policies */
    AL_SPEC = 1 << 1,          /* its folder may hold specification.<ext> */
    AL_NO_INFO = 1 << 2,       /* has no information file (operations) */
    AL_INFO_OPTIONAL = 1 << 3, /* policy fragments: the file or policy.xml */
    AL_LINK = 1 << 4,          /* named by "name" in its file; its folder names the target */
    AL_COMPOSITE = 1 << 5,     /* a link: the publisher sends no body */
    AL_SWAPPED = 1 << 6,       /* ARM names it child first: svc/<api>/<tag> */
};

/* One kind of artifact: where it lives and what the publisher makes of it.
 * The values are Azure/apiops's resource definitions (src/common/<Resource>.cs:
 * CollectionDirectoryName, FileName, ConfigurationKey, CollectionUriPath). */
struct apiops_layout {
    enum apiops_kind kind, parent;
    const char *dir;  /* the collection folder: "named values" */
    const char *info; /* the information file, or NULL */
    const char *key;  /* the configuration section: "namedValues" */
    const char *type; /* ARM type after "Microsoft.ApiManagement/", or NULL */
    const char *what; /* in messages: "named value" */
    unsigned flags;
    const char *link;        /* AL_LINK: the property naming the target ("groupId") */
    enum apiops_kind target; /* links: the kind they link to */
};

const struct apiops_layout *apiops_layout(enum apiops_kind kind);

/* The collection folder named dir (exact, as the publisher compares) inside
 * a folder of kind parent, or NULL. */
const struct apiops_layout *apiops_layout_folder(enum apiops_kind parent, const char *dir);

/* The configuration section key (ASCII case-insensitive) inside an
 * override of kind parent ("policies" included where policies live), or
 * NULL. */
const struct apiops_layout *apiops_layout_section(enum apiops_kind parent, struct str key);

/* ---- artifacts ---- */

struct apiops_override;

/* One resource of the folder, as the walk found it. */
struct apiops_artifact {
    const struct apiops_layout *layout;
    const char *name; /* the resource name: folder, "name" of a link, policy file stem */
    const char *path; /* its folder, or its file for policies */
    struct apiops_artifact *parent;
    struct loc at;           /* where its diagnostics point */
    const struct jval *info; /* the information file (an object), or NULL */
    const struct jval *text; /* policies, fragments: the .xml text, verbatim */
    const struct source *spec;
    const char *spec_ext; /* "yaml", "json", "graphql", "wadl", "wsdl" */
    const char *key;      /* its configuration path: "apis/x/policies/policy" */
    struct apiops_override *override;
    struct model_api *api; /* APIs: what the model made of it */
    bool imported;         /* APIs: the specification's operations are known */
    struct apiops_artifact *next;
};

struct apiops_folder {
    struct arena *arena;
    struct diag *diag;
    const char *root;
    struct source *(*read_file)(void *ctx, const char *path);
    void *ctx;
    struct apiops_artifact *first, *last;
    struct apiops_map names; /* "<kind>/<lower-case name>" of top-level artifacts */
    struct apiops_map keys;  /* lower-case configuration path -> artifact */
    size_t nentries;         /* files and folders seen, capped */
    bool too_many;
};

/* Reads every artifact of f->root into f (a depth-first walk in name
 * order), reporting what is not part of the layout. */
void apiops_walk(struct apiops_folder *f);

/* The top-level artifact of kind with this name (case-insensitive, as
 * API Management compares names), or NULL. */
struct apiops_artifact *apiops_find(const struct apiops_folder *f, enum apiops_kind kind,
                                    const char *name);

/* The artifact of kind named name (case-insensitive) among parent's
 * children (NULL: the top level), or NULL. */
struct apiops_artifact *apiops_find_in(const struct apiops_folder *f,
                                       const struct apiops_artifact *parent, enum apiops_kind kind,
                                       const char *name);

/* "an " / "a " / "" (for null) before jval_kind_name(k) in messages. */
const char *apiops_article(enum jval_kind k);

/* The location of a file or folder that is not read: its path, line 1. */
struct loc apiops_path_loc(struct apiops_folder *f, const char *path);

/* ---- configuration ---- */

/* One entry of a section: "- name: x\n  properties: {...}". */
struct apiops_override {
    const struct apiops_layout *layout;
    const struct jval *props; /* its "properties", or NULL */
    const char *name;
    struct loc name_loc;
    const char *key; /* "apis/x/diagnostics/y": section keys in lower case */
    struct apiops_override *parent, *next;
    bool ambiguous; /* named twice in one section: the publisher applies neither */
    bool used;      /* matched an artifact of the folder being read */
};

struct apiops_config {
    const char *service;
    struct apiops_override *first, *last;
    struct apiops_map index; /* key -> override */
};

/* The override for an artifact's key, marked as used; NULL if none (or the
 * name is ambiguous). */
struct apiops_override *apiops_config_match(struct apiops_config *cfg, const char *key);

/* Forgets which overrides were used (before the next folder). */
void apiops_config_reset(struct apiops_config *cfg);

/* Warns about every override that matched nothing in folder f. */
void apiops_config_unused(const struct apiops_config *cfg, struct apiops_folder *f);

/* The publisher's merge (JsonObject.MergeWith): objects merge member by
 * member, recursively; anything else in over replaces base. Either may be
 * NULL. Shares subtrees, copies only the objects it changes. */
struct jval *apiops_merge(struct arena *a, const struct jval *base, const struct jval *over);

#endif
