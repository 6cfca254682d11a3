/* arm.h - evaluates an ARM template into the list of resources it deploys.
 *
 * Parameters are bound (parameter files, name=value overrides, defaults) and
 * checked against their declarations; variables, resources (copy loops,
 * conditions, nested children, nested deployments) and outputs are evaluated
 * the way Azure Resource Manager would, with local stand-ins for the
 * deployment environment (resourceGroup(), subscription(), ...).
 * Ownership: everything lives in the arena of the struct arm_env.
 * Errors: every problem is a located diagnostic; arm_evaluate returns -1 if
 * any error was reported for this template, and still returns every resource
 * it could evaluate so later checks can run.
 */
#ifndef APIM_COMPILER_ARM_H
#define APIM_COMPILER_ARM_H

#include <stdbool.h>

#include "jval.h"

/* One supplied parameter value: from a parameters file, the command line or
 * a nested deployment. Later entries win over earlier ones. */
struct arm_param_value {
    struct str name;
    struct loc name_loc;
    struct jval *value; /* NULL for a Key Vault reference */
    bool from_text;     /* name=value from the command line: convert by type */
    bool is_reference;  /* Key Vault reference: known only at deployment */
    bool invalid;       /* given, but malformed (reported): counts as given */
    struct arm_param_value *next;
};

/* One evaluated resource. */
struct arm_resource {
    struct str type;         /* full type: Microsoft.ApiManagement/service/apis */
    struct str name;         /* full name: svc/echo-api */
    const char *symbolic;    /* languageVersion 2.0 symbolic name, or NULL */
    struct jval *body;       /* evaluated declaration: properties, sku, ... */
    const struct jval *decl; /* the declaration in the template */
    struct loc type_loc, name_loc;
    struct jval *depends_on; /* evaluated dependsOn array, or NULL */
    struct jval *outputs;    /* nested deployments: their evaluated outputs */
    bool existing;           /* "existing": true, declared but not deployed */
    bool in_template;        /* false for outputs of unread linked templates */
    unsigned deployment_depth;
    unsigned deployment;   /* which deployment of its env declared it (1, 2, ...) */
    struct diag_copy copy; /* the copy loop that made it (in a nested deployment: the outer one) */
    struct arm_resource *next;
};

/* A linked template (templateLink) or parameters file (parametersLink) of a
 * nested deployment, as written after evaluation. */
struct arm_link {
    const char *relative_path; /* templateLink.relativePath, or NULL */
    const char *uri;           /* templateLink.uri / parametersLink.uri, or NULL */
    const struct source *from; /* the file of the template that links it */
    bool parameters;           /* parametersLink: a parameters file is wanted */
};

/* Reads what a link names from the local disk: the parsed document, or NULL
 * (then *looked_for, if set, names the file that was looked for). */
typedef const struct jval *(*arm_link_fn)(void *ctx, const struct arm_link *link,
                                          const char **looked_for);

struct arm_env {
    struct arena *arena;
    struct diag *diag;
    /* Linked templates: without read_link they are not read (a warning). */
    arm_link_fn read_link;
    void *link_ctx;
    /* Local stand-ins for the deployment environment. */
    const char *subscription_id;
    const char *resource_group;
    const char *location;
    const char *tenant_id;
    const char *deployment_name;
    /* Give required parameters that have no value a sample of their type
     * (apim validate --sample-parameters), so a module checks on its own. */
    bool sample_parameters;
    /* The values are shared by several root templates of one run: one that
     * a root template does not declare is not its error (the caller checks
     * that some template declares it). */
    bool shared_values;
    /* Every resource of every (nested) deployment, in evaluation order. */
    struct arm_resource *resources, *last;
    size_t nresources;
    unsigned ndeployments; /* deployments evaluated so far (numbers them) */
    struct jval *outputs;  /* outputs of the top-level template */
};

/* Default stand-ins: subscription 00000000-..., resource group "apimlocal",
 * location "eastus", deployment named after the template file. */
void arm_env_init(struct arm_env *env, struct arena *a, struct diag *d, const char *deployment);

/* Appends r to env's resources (for readers that make resources of their
 * own, such as APIOps folders). */
void arm_env_add(struct arm_env *env, struct arm_resource *r);

/* Evaluates template (a parsed JSON document) with the given parameter
 * values. Returns 0, or -1 if an error was reported. */
int arm_evaluate(struct arm_env *env, const struct jval *template,
                 const struct arm_param_value *values);

/* True if the document looks like an ARM deployment template. */
bool arm_is_template(const struct jval *doc);

/* True if the document looks like an ARM deployment parameters file. */
bool arm_is_parameters_file(const struct jval *doc);

/* Reads a parameters file into values (appended after *tail). Returns 0, or
 * -1 after reporting structural errors. */
int arm_read_parameters_file(struct arena *a, struct diag *d, const struct jval *doc,
                             struct arm_param_value ***tail);

#endif
