#include "csx_members.h"

#include <pthread.h>
#include <string.h>

#include "crc32.h"

const struct csx_type_row csx_type_rows[CSXT_COUNT] = {
#define CSX_TYPE(id, name, kind) [id] = { name, kind },
#include "csx_members.def"
#undef CSX_TYPE
};

const struct csx_member_row csx_member_rows[CSXM_COUNT] = {
#define CSX_MEMBER(id, owner, name, kind, min, max, result) \
    [id] = { owner, kind, min, max, result, name },
#include "csx_members.def"
#undef CSX_MEMBER
};

/* Open addressing over a power of two at least twice the row count: a probe
 * ends at an empty slot within a few steps. Slots hold member id + 1. */
#define SLOTS 1024
_Static_assert(CSXM_COUNT * 2 <= SLOTS, "csx member hash too small");

static uint16_t table[SLOTS];
static uint32_t fingerprint;
static pthread_once_t once = PTHREAD_ONCE_INIT;

static uint32_t hash(unsigned owner, struct str name, unsigned access)
{
    uint32_t h = 2166136261u ^ (owner * 31u + access);
    for (size_t i = 0; i < name.len; i++)
        h = (h ^ (unsigned char)name.ptr[i]) * 16777619u;
    return h;
}

enum csx_access csx_member_access(enum csx_member_kind k)
{
    switch (k) {
    case CSXM_PROP:
        return CSXA_GET;
    case CSXM_METHOD:
    case CSXM_EXT:
        return CSXA_CALL;
    case CSXM_INDEX:
        return CSXA_INDEX;
    case CSXM_SPROP:
        return CSXA_SGET;
    case CSXM_SMETHOD:
        return CSXA_SCALL;
    case CSXM_CTOR:
        break;
    }
    return CSXA_NEW;
}

/* CRC-32 of every row's owner, kind, counts, result and name, in id order,
 * and of every type's name: what a program's member ids mean. */
static uint32_t table_fingerprint(void)
{
    uint32_t crc = 0;
    for (unsigned t = 0; t < CSXT_COUNT; t++)
        crc = crc32_update(crc, csx_type_rows[t].name, strlen(csx_type_rows[t].name) + 1);
    for (unsigned m = 0; m < CSXM_COUNT; m++) {
        const struct csx_member_row *r = &csx_member_rows[m];
        uint8_t fixed[7] = {
            (uint8_t)r->owner,  (uint8_t)(r->owner >> 8), r->kind, r->min_args, r->max_args,
            (uint8_t)r->result, (uint8_t)(r->result >> 8)
        };
        crc = crc32_update(crc, fixed, sizeof(fixed));
        crc = crc32_update(crc, r->name, strlen(r->name) + 1);
    }
    return crc;
}

static void build(void)
{
    fingerprint = table_fingerprint();
    for (unsigned m = 0; m < CSXM_COUNT; m++) {
        const struct csx_member_row *r = &csx_member_rows[m];
        uint32_t h = hash(r->owner, str_from_cstr(r->name), csx_member_access(r->kind));
        while (table[h & (SLOTS - 1)] != 0)
            h++;
        table[h & (SLOTS - 1)] = (uint16_t)(m + 1);
    }
}

int csx_members_find(enum csx_type_id owner, struct str name, enum csx_access access)
{
    pthread_once(&once, build);
    for (uint32_t h = hash(owner, name, access);; h++) {
        unsigned slot = table[h & (SLOTS - 1)];
        if (slot == 0)
            return -1;
        const struct csx_member_row *r = &csx_member_rows[slot - 1];
        if (r->owner == owner && csx_member_access(r->kind) == access &&
            str_eq(str_from_cstr(r->name), name))
            return (int)slot - 1;
    }
}

/* The .NET names of the C# keyword types. */
static const struct {
    const char *alias;
    enum csx_type_id id;
} aliases[] = {
    { "String", CSXT_STRING }, { "Int32", CSXT_INT },     { "Int64", CSXT_LONG },
    { "Boolean", CSXT_BOOL },  { "Double", CSXT_DOUBLE }, { "Object", CSXT_OBJECT },
    { "Char", CSXT_CHAR },     { "Byte", CSXT_BYTE },     { "Decimal", CSXT_DECIMAL },
    { "float", CSXT_DOUBLE },  { "Single", CSXT_DOUBLE }, { "IEnumerable", CSXT_ENUMERABLE },
    { "short", CSXT_INT },     { "Int16", CSXT_INT },     { "uint", CSXT_LONG },
    { "UInt32", CSXT_LONG },   { "ulong", CSXT_LONG },    { "UInt64", CSXT_LONG },
};

int csx_members_type(struct str name)
{
    for (unsigned t = 0; t < CSXT_COUNT; t++)
        if (str_eq(str_from_cstr(csx_type_rows[t].name), name))
            return (int)t;
    for (size_t i = 0; i < sizeof(aliases) / sizeof(aliases[0]); i++)
        if (str_eq(str_from_cstr(aliases[i].alias), name))
            return (int)aliases[i].id;
    return -1;
}

uint32_t csx_members_fingerprint(void)
{
    pthread_once(&once, build);
    return fingerprint;
}
