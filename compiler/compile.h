/* compile.h - the compiler as the CLI sees it: inputs in, a model per
 * deployment and diagnostics out.
 *
 * A struct compiler collects every diagnostic of one run. Each input file
 * becomes a unit: an ARM template (evaluated with its parameters into a
 * model), a parameters file (checked on its own), or the seed's simple API
 * document. Folders are walked for *.json files; an APIOps artifact folder
 * met on the way is one unit of its own (apiops.h), not walked.
 * Ownership: everything lives in the compiler's arena until compiler_release.
 * Errors: reading and checking problems are diagnostics; functions return -1
 * only for usage errors, with the message in the diag as a location-less entry.
 */
#ifndef APIM_COMPILER_COMPILE_H
#define APIM_COMPILER_COMPILE_H

#include <stdbool.h>

#include "apiops.h"
#include "arm.h"
#include "model.h"

enum compile_kind {
    COMPILE_TEMPLATE,
    COMPILE_PARAMETERS,
    COMPILE_SIMPLE_API,
    COMPILE_APIOPS,     /* an APIOps artifact folder */
    COMPILE_UNREADABLE, /* missing, too large, or not JSON */
    COMPILE_UNKNOWN     /* JSON, but none of the above */
};

struct compile_unit {
    const char *path;
    enum compile_kind kind;
    const char *parameters_from; /* sibling parameters file used, or NULL */
    struct model model;
    unsigned errors, warnings; /* diagnostics of this unit */
    struct compile_unit *next;
};

/* A parameters file, read once per run: it may be both given with
 * --parameters (or used as a template's sibling) and found in a folder. */
struct compile_params {
    const char *key; /* the real path */
    struct arm_param_value *values;
    unsigned errors, warnings;
    struct compile_params *next;
};

struct compiler {
    struct arena arena;
    struct diag diag;
    struct arm_param_value *values, **values_tail; /* from --parameters */
    bool explicit_values;
    bool sample_parameters; /* fill required parameters that have no value */
    struct compile_unit *units, *units_last;
    size_t nunits, skipped;
    struct compile_params *params_files;
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

void compiler_init(struct compiler *c);
void compiler_release(struct compiler *c);

/* One --parameters argument: "@file.json", "file.json" or "name=value".
 * Returns 0, or -1 if the argument has none of these forms (usage error). */
int compiler_add_parameters(struct compiler *c, const char *arg);

/* Compiles a file, or every *.json file under a folder. Returns 0, or -1 if
 * path does not exist (reported as a diagnostic). */
int compiler_add_input(struct compiler *c, const char *path);

/* Reads a whole file into the arena as a source, or reports why not. */
struct source *compiler_read_file(struct compiler *c, const char *path);

/* After the last input: reports a configuration given with --configuration
 * that no APIOps folder used. */
void compiler_finish(struct compiler *c);

#endif
