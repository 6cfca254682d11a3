/* plan_jobs.c - the loader's checks of PLAN_SEC_JOBS (plan_format.h,
 * "Streaming jobs"): beyond what the field list says, every name is set and
 * unique, every definition parses as a JSON object, every hash is 64
 * lower-case hex digits, and no unknown flag is set. The jobs' engine
 * trusts what passed. */
#include <jansson.h>
#include <string.h>

#include "apim_limits.h"
#include "plan_int.h"

static bool hex64(struct str h)
{
    if (h.len != 64)
        return false;
    for (size_t i = 0; i < h.len; i++)
        if (!((h.ptr[i] >= '0' && h.ptr[i] <= '9') || (h.ptr[i] >= 'a' && h.ptr[i] <= 'f')))
            return false;
    return true;
}

static bool json_object_text(struct str text)
{
    json_error_t e;
    json_t *v = json_loadb(text.ptr, text.len, JSON_REJECT_DUPLICATES, &e);
    bool ok = v && json_is_object(v);
    json_decref(v);
    return ok;
}

static int check_job(struct loader *l, const struct plan_job *jobs, uint32_t i)
{
    const struct plan_job *j = &jobs[i];
    if (j->name.len == 0)
        return plan_fail(l, "plan job %u has no name", i);
    for (uint32_t k = 0; k < i; k++)
        if (str_ieq(jobs[k].name, j->name))
            return plan_fail(l, "plan job %u has the name of job %u", i, k);
    if (!hex64(j->hash))
        return plan_fail(l, "plan job %u: its hash is not 64 lower-case hex digits", i);
    if (j->flags & ~PLAN_JOB_FLAGS_KNOWN)
        return plan_fail(l, "plan job %u has unknown flags 0x%x", i, j->flags);
    if (!json_object_text(j->definition))
        return plan_fail(l, "plan job %u: its definition is not a JSON object", i);
    return 0;
}

int plan_jobs_read(struct loader *l)
{
    struct plan *p = l->p;
    if (!l->sec[PLAN_SEC_JOBS].present)
        return 0;
    if (l->sec[PLAN_SEC_JOBS].count > APIM_MAX_JOBS)
        return plan_fail(l, "plan has %u jobs (at most %u)", l->sec[PLAN_SEC_JOBS].count,
                         APIM_MAX_JOBS);
    p->jobs = plan_read_table(l, PLAN_SEC_JOBS, &p->njobs);
    if (p->jobs == NULL)
        return -1;
    for (uint32_t i = 0; i < p->njobs; i++)
        if (check_job(l, p->jobs, i) != 0)
            return -1;
    return 0;
}
