/* model_check_int.h - what model_check.c shares with model_check_refs.c
 * (references between resources: product and group links, subscriptions,
 * backends, and what policy text names). Internal to the model checks. */
#ifndef APIM_COMPILER_MODEL_CHECK_INT_H
#define APIM_COMPILER_MODEL_CHECK_INT_H

#include <stdbool.h>

#include "model.h"

#define DIAG(m) ((m)->diag)

void mc_about(struct model *m, struct diag_copy c);
bool mc_ieq(const char *a, const char *b);
bool mc_absolute_url(const char *url, bool websocket);
bool mc_api_exists(struct model *m, const struct model_service *s, const char *id, struct loc at);
void mc_check_links(struct model *m, const struct model_service *s);
void mc_check_group_links(struct model *m, const struct model_service *s);
void mc_check_subscriptions(struct model *m, const struct model_service *s);
void mc_check_backends(struct model *m, const struct model_service *s);
void mc_check_policies(struct model *m, const struct model_service *s);

#endif
