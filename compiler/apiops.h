/* apiops.h - APIOps artifact folders (the layout Azure/apiops's extractor
 * writes and its publisher deploys) read into the same model as ARM
 * templates.
 *
 * Every artifact becomes the ARM resource the publisher would PUT: an
 * information file's JSON is the resource body, a policy file's text is a
 * rawxml policy, a specification file is imported into its API. Those
 * resources go through model_add_arm(), so every property and reference
 * check of templates applies, located in the artifact files. A publisher
 * configuration (configuration.<env>.yaml) is merged into the resources it
 * names first, as the publisher merges it. docs/apiops.md has the layout,
 * the rules and where each comes from.
 * Ownership: everything lives in the arena of the model (or of the caller,
 * for apiops_config_read).
 * Errors: located diagnostics (APIM7050-7064 and the model's own);
 * apiops_read returns -1 when any error was reported for the folder.
 */
#ifndef APIM_COMPILER_APIOPS_H
#define APIM_COMPILER_APIOPS_H

#include <stdbool.h>

#include "model.h"

/* The service an artifact folder deploys into when nothing names it:
 * artifacts do not carry one, and the publisher takes it from its
 * environment (API_MANAGEMENT_SERVICE_NAME) or its configuration
 * (apimServiceName). */
#define APIOPS_DEFAULT_SERVICE "apiops"

/* A publisher configuration, read and checked once per run. */
struct apiops_config;

struct apiops_options {
    /* The service name: NULL for the configuration's, else the default. */
    const char *service_name;
    /* Overrides to merge, or NULL. Marked as used by each apiops_read. */
    struct apiops_config *config;
    /* Reads a whole file as a source, or reports why not and returns NULL
     * (the compiler's reader: its size cap and messages). */
    struct source *(*read_file)(void *ctx, const char *path);
    void *ctx;
};

/* True if dir is an APIOps artifact folder: one of the collection folders
 * the publisher reads (apis, products, named values, ...) holds a resource
 * folder with that collection's information file. A folder of templates is
 * not one, whatever its subfolders are called. */
bool apiops_is_folder(const char *dir);

/* Reads and checks a configuration.<env>.yaml. Returns NULL (after
 * reporting why) if it cannot be used at all; smaller mistakes are reported
 * and the rest of the file still applies. */
struct apiops_config *apiops_config_read(struct arena *a, struct diag *d, const struct source *src);

/* The service name the configuration gives (API_MANAGEMENT_SERVICE_NAME,
 * else apimServiceName), or NULL. */
const char *apiops_config_service(const struct apiops_config *cfg);

/* Reads the folder dir into m (one service, which the run's other inputs
 * may add to), imports the APIs' specifications and applies the overrides;
 * the caller runs model_check() on the whole model. Returns 0, or -1 if an
 * error was reported. */
int apiops_read(struct model *m, const char *dir, const struct apiops_options *o);

#endif
