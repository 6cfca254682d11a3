/* compile.h - the compiler as the CLI sees it: inputs in, one deployment's
 * model and the diagnostics out.
 *
 * A struct compiler collects every diagnostic of one run. Each input file
 * becomes a unit: an ARM template, a parameters file, the seed's simple API
 * document, or a template that another one links (templateLink). Folders
 * are walked for *.json files; an APIOps artifact folder met on the way is
 * one unit of its own (apiops.h), not walked. All the inputs of a run are ONE deployment:
 * compiler_finish evaluates every root template (a template no other input
 * links), follows links to files on disk, merges what they deploy into one
 * model (model.h, struct model_merge), and checks it once (model_check,
 * then gateway_check).
 *
 *   compiler_init; compiler_add_parameters*; compiler_add_input+;
 *   compiler_finish; [plan_write(&c->model, ...)]; compiler_tally; report
 *
 * Ownership: everything lives in the compiler's arena until
 * compiler_release.
 * Errors: reading and checking problems are diagnostics; functions return -1
 * only for usage errors, with the message in the diag as a location-less
 * entry. A run that finds nothing to check is an error (APIM1016).
 */
#ifndef APIM_COMPILER_COMPILE_H
#define APIM_COMPILER_COMPILE_H

#include <stdbool.h>

#include "apiops.h"
#include "arm.h"
#include "model.h"
#include "stream_decl.h"

struct apiops_map;

enum compile_kind {
    COMPILE_TEMPLATE,
    COMPILE_PARAMETERS,
    COMPILE_SIMPLE_API,
    COMPILE_SPEC,       /* a bare OpenAPI or Swagger document named explicitly */
    COMPILE_APIOPS,     /* an APIOps artifact folder */
    COMPILE_UNREADABLE, /* missing, too large, or not JSON */
    COMPILE_UNKNOWN,    /* JSON, but none of the above */
    COMPILE_LINKED,     /* a template read through another one's templateLink */
    COMPILE_STREAM      /* a sidecar of streaming jobs (stream_decl.h) */
};

struct compile_unit {
    const char *path;
    const char *key; /* the real path: one unit per file */
    enum compile_kind kind;
    const char *parameters_from;          /* sibling parameters file used, or NULL */
    const char *linked_from;              /* COMPILE_LINKED: the file that links it first */
    const struct jval *doc;               /* the parsed document, or NULL */
    const struct arm_param_value *values; /* a template's parameter values */
    bool input;                           /* given, or found in a folder given (not only linked) */
    bool linked_early;                    /* found linked while looking for links */
    bool evaluated;                       /* evaluated as a root deployment */
    size_t seq_from, seq_to;              /* the diagnostics its evaluation made, by seq */
    struct arm_env env;                   /* the root deployment, when evaluated */
    /* By compiler_tally: diagnostics located in this file, and what it declares. */
    unsigned errors, warnings;
    unsigned unlocated_errors; /* about the file, without a place in it (cannot read) */
    struct model_counts counts;
    struct compile_unit *next;
};

/* A parameters file, read once per run: it may be both given with
 * --parameters (or used as a template's sibling) and found in a folder. */
struct compile_params {
    const char *key; /* the real path */
    const struct source *src;
    const struct jval *doc; /* parsed, or NULL */
    struct arm_param_value *values;
    struct compile_params *next;
};

struct compiler {
    struct arena arena;
    struct diag diag;
    struct arm_param_value *values, **values_tail; /* from --parameters */
    bool explicit_values;
    bool sample_parameters; /* fill required parameters that have no value */
    bool allow_unenforced;  /* --allow-unenforced-policies: wording of APIM6005 */
    struct compile_unit *units, *units_last;
    size_t nunits;
    struct apiops_map *units_by_key; /* real path -> its unit: one unit per file */
    struct compile_params *params_files;
    struct model model;          /* the deployment: every input, merged (compiler_finish) */
    struct stream_decls streams; /* streaming jobs: templates' metadata and sidecars */
    /* What a run saw that it did not check, for "no configuration found". */
    const char **inputs;
    size_t ninputs, inputs_cap;
    size_t skipped, bicep;
    size_t skipped_specs, yaml; /* of those: OpenAPI documents; *.yaml files not read */
    /* The unit each source belongs to, by source index (compiler_tally). */
    struct compile_unit **owners;
    size_t nowners;
    bool linking_early; /* looking for links: what a link names is only marked */
    bool shared_values; /* --parameters values go to several root templates */
    struct model_import_file *import_files; /* --import-file URL=FILE */
    const char *spec_path;                  /* --path: the API path of a bare specification */
    /* APIOps folders: the service they deploy into (NULL: the
     * configuration's, else apiops.h's default) and the publisher
     * configuration applied to each, read on first use. */
    const char *service_name;
    const char *apiops_configuration;
    bool apiops_configuration_explicit; /* given as an option, not by the environment */
    struct apiops_config *apiops_config;
    bool apiops_config_read;
    size_t apiops_folders;
};

/* A bare specification is served as one API of a service of this name. */
#define COMPILE_SPEC_SERVICE "apimlocal"

void compiler_init(struct compiler *c);
void compiler_release(struct compiler *c);

/* One --parameters argument: "@file.json", "file.json" or "name=value".
 * Returns 0, or -1 if the argument has none of these forms (usage error). */
int compiler_add_parameters(struct compiler *c, const char *arg);

/* Reads a file, or every *.json file under a folder, and sorts out what
 * each is. Returns 0, or -1 if path does not exist (reported as a
 * diagnostic). */
int compiler_add_input(struct compiler *c, const char *path);

/* Evaluates, merges and checks everything added (see above). */
void compiler_finish(struct compiler *c);

/* Counts each unit's diagnostics (by the file they point into) and what it
 * declares. Call after the last diagnostic, before reporting. */
void compiler_tally(struct compiler *c);
/* One --import-file argument, "URL=FILE": the local copy of a *-link
 * import. Returns 0, or -1 if the argument has no '=' (usage error). */
int compiler_add_import_file(struct compiler *c, const char *arg);

/* The API id a bare specification gets: its info.title normalised as
 * API Management normalises names ("Swagger Petstore" -> "swagger-petstore"),
 * else fallback's, else "api". */
const char *compile_spec_api_id(struct arena *a, const struct jval *doc, const char *fallback);

/* Reads a whole file into the arena as a source, or reports why not. */
struct source *compiler_read_file(struct compiler *c, const char *path);

/* ---- for compile_link.c ---- */

/* The unit of the file at path, reading and classifying it if it is new
 * (as a template that is not an input). NULL if path does not exist. */
struct compile_unit *compiler_unit_for(struct compiler *c, const char *path);

/* Follows links (arm.h, arm_link_fn) for c: ctx is the compiler. */
const struct jval *compiler_read_link(void *ctx, const struct arm_link *link,
                                      const char **looked_for);

#endif
