/* gateway_templates.h - inline ARM templates for the gateway's unit tests
 * (router, access, pipeline): a service named by parameter 'svc', then
 * top-level children with full types and concat() names, as real templates
 * write them. Backquotes become double quotes (testutil.h):
 *
 *   tu_plan(&t, GT_HEAD GT_RES("apis", "echo", "{...}") GT_TAIL, NULL)
 */
#ifndef APIM_TESTS_GATEWAY_TEMPLATES_H
#define APIM_TESTS_GATEWAY_TEMPLATES_H

#define GT_AV "`apiVersion`: `2024-05-01`, "

/* The template up to and including the service resource. */
#define GT_HEAD                                                                            \
    "{`$schema`: "                                                                         \
    "`https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#`,\n" \
    " `contentVersion`: `1.0.0.0`,\n"                                                      \
    " `parameters`: {`svc`: {`type`: `string`, `defaultValue`: `contoso`}},\n"             \
    " `resources`: [\n"                                                                    \
    "{`type`: `Microsoft.ApiManagement/service`, " GT_AV "`name`: `[parameters('svc')]`, " \
    "`location`: `eastus`, `sku`: {`name`: `Developer`, `capacity`: 1}, "                  \
    "`properties`: {`publisherEmail`: `api@contoso.com`, `publisherName`: `Contoso`}}"

#define GT_TAIL "\n]}"

/* A top-level child of the service: type relative to the service. */
#define GT_RES(type, name, props)                                    \
    ",\n{`type`: `Microsoft.ApiManagement/service/" type "`, " GT_AV \
    "`name`: `[concat(parameters('svc'), '/" name "')]`, `properties`: " props "}"

#endif
