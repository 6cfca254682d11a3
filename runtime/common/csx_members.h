/* csx_members.h - ids and rows of csx_members.def, and the member lookup.
 *
 * The ONE member table (csx_members.def) expanded into enums (type ids
 * CSXT_*, member ids CSXM_*) and const rows, with one lookup from
 * (owner type, name, access) to a member id that the expression emitter
 * (statics, at compile time) and the VM (instance members, at run time,
 * against the receiver's runtime type) share. The lookup is a hash table
 * built once on first use (thread-safe, pthread_once).
 * Ownership: everything here is static and read-only.
 */
#ifndef APIM_COMMON_CSX_MEMBERS_H
#define APIM_COMMON_CSX_MEMBERS_H

#include <stdint.h>

#include "buf.h"

enum csx_type_kind {
    CSXK_VALUE,
    CSXK_STATIC,
    CSXK_HOST
};

enum csx_member_kind {
    CSXM_PROP,
    CSXM_METHOD,
    CSXM_EXT,
    CSXM_SPROP,
    CSXM_SMETHOD,
    CSXM_CTOR,
    CSXM_INDEX
};

enum csx_type_id {
#define CSX_TYPE(id, name, kind) id,
#include "csx_members.def"
#undef CSX_TYPE
    CSXT_COUNT,
    /* computed results (the result column only) */
    CSXT_TARG0 = CSXT_COUNT,
    CSXT_ARG1,
    CSXT_TARG0_OR_ARG1,
    CSXT_ELEM,
    CSXT_SELF
};

enum csx_member_id {
#define CSX_MEMBER(id, owner, name, kind, min, max, result) id,
#include "csx_members.def"
#undef CSX_MEMBER
    CSXM_COUNT
};

/* How an expression reaches a member: the lookup key's third part. */
enum csx_access {
    CSXA_GET,   /* x.Name: CSXM_PROP */
    CSXA_CALL,  /* x.Name(...): CSXM_METHOD, CSXM_EXT */
    CSXA_INDEX, /* x[...]: CSXM_INDEX */
    CSXA_SGET,  /* Type.Name: CSXM_SPROP */
    CSXA_SCALL, /* Type.Name(...): CSXM_SMETHOD */
    CSXA_NEW    /* new Type(...): CSXM_CTOR */
};

struct csx_type_row {
    const char *name;
    enum csx_type_kind kind;
};

struct csx_member_row {
    uint16_t owner; /* enum csx_type_id */
    uint8_t kind;   /* enum csx_member_kind */
    uint8_t min_args, max_args;
    uint16_t result; /* enum csx_type_id, computed results included */
    const char *name;
};

extern const struct csx_type_row csx_type_rows[CSXT_COUNT];
extern const struct csx_member_row csx_member_rows[CSXM_COUNT];

/* The access a member kind answers to. */
enum csx_access csx_member_access(enum csx_member_kind k);

/* The member of owner named name reached by access, or -1. */
int csx_members_find(enum csx_type_id owner, struct str name, enum csx_access access);

/* A fingerprint of the table (CRC-32 of every row, in id order): programs
 * name members by id, and ids move when a row is added, so a plan records
 * the fingerprint its programs were compiled against and the loader
 * refuses another one. */
uint32_t csx_members_fingerprint(void);

/* The type whose C# name is name ("string", "JObject", "IResponse"; the
 * .NET aliases Int32, String... included), or -1. */
int csx_members_type(struct str name);

#endif
