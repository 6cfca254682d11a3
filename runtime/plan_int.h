/* plan_int.h - what plan.c (the loader) shares with plan_steps.c (the
 * pipeline sections' checks). Internal to the plan loader. */
#ifndef APIM_RUNTIME_PLAN_INT_H
#define APIM_RUNTIME_PLAN_INT_H

#include <stdbool.h>
#include <stdint.h>

#include "plan.h"

struct loader {
    struct plan *p;
    char *err;
    size_t errlen;
    const unsigned char *strings;
    uint32_t strings_size;

    struct {
        uint32_t off, size, count;
        bool present;
    } sec[PLAN_SEC_LAST + 1];
};

struct cursor {
    struct loader *l;
    const unsigned char *at;
    uint32_t kind, index;
    bool bad;
};

/* Records why the plan is refused; returns -1. */
int plan_fail(struct loader *l, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Every record of section kind (one with a field list, plan_record.h),
 * checked and read into a heap array of native structs (*n of them), or
 * NULL after plan_fail. */
void *plan_read_table(struct loader *l, uint32_t kind, size_t *n);

/* The pipeline sections (plan_steps.c): all six or none. */
int plan_steps_read(struct loader *l);

/* The jobs section (plan_jobs.c), optional. */
int plan_jobs_read(struct loader *l);

#endif
