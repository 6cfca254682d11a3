/* plan_format.h - layout of a routing plan file (*.plan).
 *
 * The only contract between compiler/plan_write.c (writer) and runtime/plan.c
 * (loader). A plan is pointer-free: records refer to each other by index and
 * to text by (offset, length) into the string section, so the file is mapped
 * read-only and used in place after one validation pass.
 * Change a record layout: bump PLAN_VERSION_MAJOR. Add a section old readers
 * may skip: bump PLAN_VERSION_MINOR.
 * All integers are little-endian. Plans come from disk and are untrusted:
 * the loader checks every offset, length, index and range before use.
 *
 * File header, PLAN_HEADER_SIZE bytes:
 *
 *   OFFSET  SIZE  FIELD
 *      0      8   magic 89 41 50 4D 0D 0A 1A 0A ("\x89APM\r\n\x1a\n")
 *      8      2   major version (PLAN_VERSION_MAJOR)
 *     10      2   minor version (PLAN_VERSION_MINOR)
 *     12      4   number of sections, N (at most PLAN_MAX_SECTIONS)
 *     16      4   file size in bytes; must equal the size on disk
 *     20      4   CRC-32 (IEEE 802.3) of bytes [24, file size)
 *     24     40   reserved, zero
 *
 * Then N section entries of PLAN_SECTION_ENTRY_SIZE (16) bytes:
 *
 *      0      4   kind (enum plan_section)
 *      4      4   offset of the section from the start of the file (8-aligned)
 *      8      4   size of the section in bytes
 *     12      4   number of records (= size / record size; strings: 0)
 *
 * A string is a (u32 offset, u32 length) pair, "str" below, into
 * PLAN_SEC_STRINGS; the byte after the string is NUL. An index field is a u32
 * record number, or PLAN_NONE where the table says "or NONE". A range is
 * (u32 first, u32 count) into another table. Record layouts follow.
 *
 * Every record is described once, as a field list (an X-macro:
 * X(S, offset, type, name, target)) after its table; plan_record.c expands
 * the lists into the table both the writer and the loader walk, and
 * plan_record.h into the native structs. Types: U32, STR, INDEX (a record
 * of section target), INDEX_NONE (the same, or NONE), FIRST then COUNT (a
 * range in target). The loader checks what a type says; anything more (a
 * range whose length is a sum, an index whose table depends on another
 * field, flags, enumerations) it checks by hand, as the tables note.
 */
#ifndef APIM_COMMON_PLAN_FORMAT_H
#define APIM_COMMON_PLAN_FORMAT_H

/* The first byte is not ASCII and the CR LF / 1A / LF tail breaks under
 * newline conversion, so a plan mangled as text fails the magic check. */
#define PLAN_MAGIC \
    "\x89"         \
    "APM\r\n\x1a\n"
#define PLAN_MAGIC_SIZE         8
#define PLAN_VERSION_MAJOR      2
#define PLAN_VERSION_MINOR      3
#define PLAN_HEADER_SIZE        64
#define PLAN_SECTION_ENTRY_SIZE 16
#define PLAN_MAX_SECTIONS       64
#define PLAN_MAX_SIZE           (256u * 1024u * 1024u)
#define PLAN_NONE               0xFFFFFFFFu

enum plan_section {
    PLAN_SEC_STRINGS = 1,
    PLAN_SEC_SERVICE = 2,
    PLAN_SEC_APIS = 3,
    PLAN_SEC_OPERATIONS = 4,
    PLAN_SEC_ROUTE_NODES = 5,
    PLAN_SEC_ROUTE_EDGES = 6,
    PLAN_SEC_OP_REFS = 7,
    PLAN_SEC_QUERY_PARAMS = 8,
    PLAN_SEC_VERSION_SETS = 9,
    PLAN_SEC_PRODUCTS = 10,
    PLAN_SEC_PRODUCT_APIS = 11,
    PLAN_SEC_SUBSCRIPTIONS = 12,
    PLAN_SEC_BACKENDS = 13,
    PLAN_SEC_NAMED_VALUES = 14,
    PLAN_SEC_OP_CONTRACTS = 15, /* from 2.1; optional: 2.0 plans have none */
    /* From 2.2, all six or none (a configuration without policies): the
     * effective pipelines, "Pipelines" below. */
    PLAN_SEC_PIPELINES = 16,
    PLAN_SEC_STEPS = 17,
    PLAN_SEC_STEP_ATTRS = 18,
    PLAN_SEC_EXPRS = 19,
    PLAN_SEC_OP_PIPELINES = 20,
    PLAN_SEC_PRODUCT_PIPELINES = 21,
    PLAN_SEC_JOBS = 22, /* from 2.3; optional: only a configuration with jobs has it */
};

/* The highest section kind this reader knows. */
#define PLAN_SEC_LAST PLAN_SEC_JOBS

/* PLAN_SEC_SERVICE: exactly one record.
 *   0  str  name (the API Management service)
 *   8  str  gateway name (the seed's gatewayName, or the service name)
 *  16  u32  flags: PLAN_SERVICE_*
 *  20  u32  reserved
 */
#define PLAN_SERVICE_FIELDS(X, S) \
    X(S, 0, STR, name, 0)         \
    X(S, 8, STR, gateway_name, 0) \
    X(S, 16, U32, flags, 0)       \
    X(S, 20, U32, reserved, 0)
#define PLAN_SERVICE_SIZE 24

enum plan_service_flags {
    /* --allow-unenforced-policies: operations that would fail closed are
     * served (their closed flags stay in the plan, for plan show). */
    PLAN_SERVICE_ALLOW_UNENFORCED = 1 << 0,
};

/* Fail closed. A request fails closed (500, the request is not forwarded)
 * when its effective policy holds a policy that refuses requests (access
 * control, limits, content validation) that the gateway does not apply.
 * Sections are bits: 1 inbound, 2 backend, 4 outbound, 8 on-error. With op
 * the operation and P the product the access decision chose (or NONE):
 *
 *   closed = op.flags & PLAN_OP_CLOSED                    (reason: op.reason)
 *         || P == NONE && op.flags & PLAN_OP_CLOSED_BARE  (reason: op.reason)
 *         || P != NONE && op.reach & P.closed  (reason: P.reason[lowest bit])
 *
 * op.reach holds the sections in which the operation's and its API's
 * documents run the outer scopes (<base />); P.closed the sections in which
 * the product's document, or the global one it runs, fails closed. */
#define PLAN_SECTION_MASK 0xFu

/* PLAN_SEC_APIS: one record per API revision (and per version).
 *   0  str  id (without ";rev=N")
 *   8  str  display name
 *  16  str  path, without leading or trailing '/' ("" = the gateway root)
 *  24  str  service URL ("" = none: a backend or the operations say where)
 *  32  str  version ("" = not versioned, or the Original of a version set)
 *  40  str  subscription key header name (resolved: default applied)
 *  48  str  subscription key query parameter name (resolved)
 *  56  u32  revision number
 *  60  u32  flags: PLAN_API_*
 *  64  u32  version set index, or NONE
 *  68  u32  backend index (set-backend-service backend-id), or NONE
 *  72  u32  first operation
 *  76  u32  number of operations (a range in PLAN_SEC_OPERATIONS)
 *  80  u32  root node of the API's route tree (PLAN_SEC_ROUTE_NODES)
 *  84  u32  reserved
 */
#define PLAN_API_FIELDS(X, S)                                \
    X(S, 0, STR, id, 0)                                      \
    X(S, 8, STR, display_name, 0)                            \
    X(S, 16, STR, path, 0)                                   \
    X(S, 24, STR, service_url, 0)                            \
    X(S, 32, STR, version, 0)                                \
    X(S, 40, STR, key_header, 0)                             \
    X(S, 48, STR, key_query, 0)                              \
    X(S, 56, U32, revision, 0)                               \
    X(S, 60, U32, flags, 0)                                  \
    X(S, 64, INDEX_NONE, version_set, PLAN_SEC_VERSION_SETS) \
    X(S, 68, INDEX_NONE, backend, PLAN_SEC_BACKENDS)         \
    X(S, 72, FIRST, first_op, PLAN_SEC_OPERATIONS)           \
    X(S, 76, COUNT, nops, PLAN_SEC_OPERATIONS)               \
    X(S, 80, INDEX, route_root, PLAN_SEC_ROUTE_NODES)        \
    X(S, 84, U32, reserved, 0)
#define PLAN_API_SIZE 88

enum plan_api_flags {
    PLAN_API_CURRENT = 1 << 0,      /* the current revision: serves URLs without ;rev= */
    PLAN_API_SUB_REQUIRED = 1 << 1, /* subscriptionRequired */
    PLAN_API_HTTP = 1 << 2,         /* protocols */
    PLAN_API_HTTPS = 1 << 3,
    PLAN_API_WS = 1 << 4,
    PLAN_API_WSS = 1 << 5,
};

/* PLAN_SEC_OPERATIONS: grouped by API (each API's range is contiguous).
 *   0  str  id
 *   8  str  display name
 *  16  str  method (upper case)
 *  24  str  URL template as written, "/users/{id}?q={q}"
 *  32  str  base URL of this operation: its own endpoint or base-url ("" = the API's)
 *  40  u32  API index
 *  44  u32  backend index, or NONE
 *  48  u32  first query parameter
 *  52  u32  number of query parameters (a range in PLAN_SEC_QUERY_PARAMS)
 *  56  u32  flags: PLAN_OP_*
 *  60  u32  reach: sections that run the product and global scopes (see above)
 *  64  str  why it fails closed: "policy 'validate-jwt' at API scope" ("" = open)
 */
#define PLAN_OPERATION_FIELDS(X, S)                     \
    X(S, 0, STR, id, 0)                                 \
    X(S, 8, STR, display_name, 0)                       \
    X(S, 16, STR, method, 0)                            \
    X(S, 24, STR, url_template, 0)                      \
    X(S, 32, STR, backend_url, 0)                       \
    X(S, 40, INDEX, api, PLAN_SEC_APIS)                 \
    X(S, 44, INDEX_NONE, backend, PLAN_SEC_BACKENDS)    \
    X(S, 48, FIRST, first_query, PLAN_SEC_QUERY_PARAMS) \
    X(S, 52, COUNT, nquery, PLAN_SEC_QUERY_PARAMS)      \
    X(S, 56, U32, flags, 0)                             \
    X(S, 60, U32, reach, 0)                             \
    X(S, 64, STR, closed_why, 0)
#define PLAN_OPERATION_SIZE 72

enum plan_op_flags {
    PLAN_OP_WILDCARD = 1 << 0,    /* the path ends in a "*" segment */
    PLAN_OP_CLOSED = 1 << 1,      /* fails closed, whatever the product */
    PLAN_OP_CLOSED_BARE = 1 << 2, /* fails closed when no product applies */
};

#define PLAN_OP_FLAGS_KNOWN 0x7u

/* PLAN_SEC_OP_CONTRACTS: one record per operation, in the same order
 * (record i belongs to operation i), so the operation record stays as it is.
 *   0  str  the operation's contract as API Management holds it, compact
 *           JSON: {"description", "templateParameters", "request",
 *           "responses"}, each only when the operation has it; "" for none.
 *           Examples are kept (the mock-response policy answers with them).
 *           Readers must treat it as untrusted JSON text.
 *   8  u32  reserved
 *  12  u32  reserved
 */
#define PLAN_OP_CONTRACT_FIELDS(X, S) \
    X(S, 0, STR, contract, 0)         \
    X(S, 8, U32, reserved, 0)         \
    X(S, 12, U32, reserved2, 0)
#define PLAN_OP_CONTRACT_SIZE 16

/* PLAN_SEC_ROUTE_NODES: one segment trie per API; a node's children always
 * come after it, so the tree has no cycles.
 *   0  u32  first edge (PLAN_SEC_ROUTE_EDGES)
 *   4  u32  number of literal edges (sorted by case-folded text)
 *   8  u32  number of pattern edges (after the literal ones)
 *  12  u32  parameter child ({name} as a whole segment), or NONE
 *  16  u32  first op ref of operations ending here
 *  20  u32  number of them (a range in PLAN_SEC_OP_REFS)
 *  24  u32  first op ref of wildcard operations (a "*" segment here: any rest matches)
 *  28  u32  number of them
 * The edges are the range (first edge, literal + pattern edges), which the
 * loader checks itself: no field list type says "a range of a sum".
 */
#define PLAN_NODE_FIELDS(X, S)                              \
    X(S, 0, U32, first_edge, 0)                             \
    X(S, 4, U32, nliteral, 0)                               \
    X(S, 8, U32, npattern, 0)                               \
    X(S, 12, INDEX_NONE, param_child, PLAN_SEC_ROUTE_NODES) \
    X(S, 16, FIRST, first_op, PLAN_SEC_OP_REFS)             \
    X(S, 20, COUNT, nops, PLAN_SEC_OP_REFS)                 \
    X(S, 24, FIRST, first_wild, PLAN_SEC_OP_REFS)           \
    X(S, 28, COUNT, nwild, PLAN_SEC_OP_REFS)
#define PLAN_NODE_SIZE 32

/* PLAN_SEC_ROUTE_EDGES:
 *   0  str  literal segment (case-folded), or pattern with its holes unnamed
 *           ("{id}.json" is stored as "{}.json", "v{n}" as "v{}")
 *   8  u32  child node
 *  12  u32  reserved
 */
#define PLAN_EDGE_FIELDS(X, S)                  \
    X(S, 0, STR, segment, 0)                    \
    X(S, 8, INDEX, child, PLAN_SEC_ROUTE_NODES) \
    X(S, 12, U32, reserved, 0)
#define PLAN_EDGE_SIZE 16

/* PLAN_SEC_OP_REFS: u32 operation indexes. */
#define PLAN_OP_REF_FIELDS(X, S) X(S, 0, INDEX, op, PLAN_SEC_OPERATIONS)
#define PLAN_OP_REF_SIZE         4

/* PLAN_SEC_QUERY_PARAMS: the query part of an operation's URL template.
 *   0  str  name
 *   8  str  literal value ("" for a parameter)
 *  16  u32  flags: PLAN_QUERY_*
 *  20  u32  reserved
 */
#define PLAN_QUERY_FIELDS(X, S) \
    X(S, 0, STR, name, 0)       \
    X(S, 8, STR, value, 0)      \
    X(S, 16, U32, flags, 0)     \
    X(S, 20, U32, reserved, 0)
#define PLAN_QUERY_SIZE 24

enum plan_query_flags {
    PLAN_QUERY_PARAM = 1 << 0, /* name={param}, not name=literal */
};

/* PLAN_SEC_VERSION_SETS:
 *   0  str  id
 *   8  str  display name
 *  16  str  query parameter name (Query scheme)
 *  24  str  header name (Header scheme)
 *  32  u32  scheme: enum plan_version_scheme
 *  36  u32  reserved
 */
#define PLAN_VERSION_SET_FIELDS(X, S) \
    X(S, 0, STR, id, 0)               \
    X(S, 8, STR, display_name, 0)     \
    X(S, 16, STR, query_name, 0)      \
    X(S, 24, STR, header_name, 0)     \
    X(S, 32, U32, scheme, 0)          \
    X(S, 36, U32, reserved, 0)
#define PLAN_VERSION_SET_SIZE 40

enum plan_version_scheme {
    PLAN_SCHEME_SEGMENT = 0,
    PLAN_SCHEME_QUERY = 1,
    PLAN_SCHEME_HEADER = 2,
};

/* PLAN_SEC_PRODUCTS:
 *   0  str  id
 *   8  str  display name
 *  16  u32  flags: PLAN_PRODUCT_*
 *  20  u32  first API link
 *  24  u32  number of links (a range in PLAN_SEC_PRODUCT_APIS)
 *  28  u32  closed: sections that fail closed under this product (see above)
 *  32  str  why, per section: 32 inbound, 40 backend, 48 outbound,
 *           56 on-error ("" = open)
 */
#define PLAN_PRODUCT_FIELDS(X, S)                     \
    X(S, 0, STR, id, 0)                               \
    X(S, 8, STR, display_name, 0)                     \
    X(S, 16, U32, flags, 0)                           \
    X(S, 20, FIRST, first_api, PLAN_SEC_PRODUCT_APIS) \
    X(S, 24, COUNT, napis, PLAN_SEC_PRODUCT_APIS)     \
    X(S, 28, U32, closed, 0)                          \
    X(S, 32, STR, why_inbound, 0)                     \
    X(S, 40, STR, why_backend, 0)                     \
    X(S, 48, STR, why_outbound, 0)                    \
    X(S, 56, STR, why_on_error, 0)
#define PLAN_PRODUCT_SIZE 64

enum plan_product_flags {
    PLAN_PRODUCT_SUB_REQUIRED = 1 << 0,
    PLAN_PRODUCT_APPROVAL = 1 << 1,
    PLAN_PRODUCT_PUBLISHED = 1 << 2,
};

/* PLAN_SEC_PRODUCT_APIS: u32 API indexes (every revision of a linked API). */
#define PLAN_PRODUCT_API_FIELDS(X, S) X(S, 0, INDEX, api, PLAN_SEC_APIS)
#define PLAN_PRODUCT_API_SIZE         4

/* PLAN_SEC_SUBSCRIPTIONS:
 *   0  str  id
 *   8  str  display name
 *  16  str  primary key
 *  24  str  secondary key
 *  32  str  scope as written
 *  40  u32  scope kind: enum plan_scope
 *  44  u32  scope target: product index (PRODUCT) or any API index with the
 *           scoped id (API); NONE for ALL
 *  48  u32  state: enum plan_sub_state
 *  52  u32  flags: PLAN_SUB_*
 * The target is a u32 in the list: which table it indexes depends on the
 * scope kind, so the loader checks it itself.
 */
#define PLAN_SUBSCRIPTION_FIELDS(X, S) \
    X(S, 0, STR, id, 0)                \
    X(S, 8, STR, display_name, 0)      \
    X(S, 16, STR, primary_key, 0)      \
    X(S, 24, STR, secondary_key, 0)    \
    X(S, 32, STR, scope, 0)            \
    X(S, 40, U32, scope_kind, 0)       \
    X(S, 44, U32, scope_target, 0)     \
    X(S, 48, U32, state, 0)            \
    X(S, 52, U32, flags, 0)
#define PLAN_SUBSCRIPTION_SIZE 56

enum plan_scope {
    PLAN_SCOPE_ALL = 0,
    PLAN_SCOPE_API = 1,
    PLAN_SCOPE_PRODUCT = 2,
};

enum plan_sub_state {
    PLAN_SUB_ACTIVE = 0,
    PLAN_SUB_SUBMITTED = 1,
    PLAN_SUB_SUSPENDED = 2,
    PLAN_SUB_EXPIRED = 3,
    PLAN_SUB_REJECTED = 4,
    PLAN_SUB_CANCELLED = 5,
};

enum plan_sub_flags {
    PLAN_SUB_ALLOW_TRACING = 1 << 0,
    PLAN_SUB_GENERATED_KEYS = 1 << 1, /* keys made up locally: none in the template */
    PLAN_SUB_BUILT_IN = 1 << 2,       /* the service's all-access subscription */
};

/* PLAN_SEC_BACKENDS:
 *   0  str  id
 *   8  str  URL ("" for a pool)
 *  16  str  protocol
 *  24  u32  flags: PLAN_BACKEND_*
 *  28  u32  reserved
 */
#define PLAN_BACKEND_FIELDS(X, S) \
    X(S, 0, STR, id, 0)           \
    X(S, 8, STR, url, 0)          \
    X(S, 16, STR, protocol, 0)    \
    X(S, 24, U32, flags, 0)       \
    X(S, 28, U32, reserved, 0)
#define PLAN_BACKEND_SIZE 32

enum plan_backend_flags {
    PLAN_BACKEND_POOL = 1 << 0,
    PLAN_BACKEND_NO_CHAIN_CHECK = 1 << 1, /* tls.validateCertificateChain false */
    PLAN_BACKEND_NO_NAME_CHECK = 1 << 2,  /* tls.validateCertificateName false */
};

/* PLAN_SEC_NAMED_VALUES:
 *   0  str  id
 *   8  str  display name
 *  16  str  value ("" for Key Vault values, which are not known locally)
 *  24  u32  flags: PLAN_NV_*
 *  28  u32  reserved
 */
#define PLAN_NAMED_VALUE_FIELDS(X, S) \
    X(S, 0, STR, id, 0)               \
    X(S, 8, STR, display_name, 0)     \
    X(S, 16, STR, value, 0)           \
    X(S, 24, U32, flags, 0)           \
    X(S, 28, U32, reserved, 0)
#define PLAN_NAMED_VALUE_SIZE 32

enum plan_nv_flags {
    PLAN_NV_SECRET = 1 << 0,
    PLAN_NV_KEY_VAULT = 1 << 1,
};

/* ---- Pipelines (2.2) ----
 *
 * The effective policy of every operation, composed at compile time as
 * 'apim policy show' composes it (compiler/policy/policy_compose.h): the
 * operation's and its API's documents with <base /> resolved and fragments
 * inlined. The product scope is chosen per request (the subscription's
 * product), so it stays dynamic: where the API's <base /> (or a scope
 * without a document) would run the product's section, the operation's
 * pipeline holds a PLAN_STEP_PRODUCT step, which runs the section of the
 * chosen product's pipeline (the product's document over the global one)
 * or, without a product, of the no-product pipeline (the global document
 * alone). So each operation pipeline is composed once, not once per
 * product, and a product's document is stored once, not once per API.
 * Identical pipelines are stored once (5 000 operations without documents
 * of their own under one API policy share one record).
 *
 * PLAN_SEC_PIPELINES: one record per distinct pipeline; per section, its
 * top-level steps (a range in PLAN_SEC_STEPS).
 *   0  u32  first inbound step     4  u32  number of them
 *   8  u32  first backend step    12  u32  number
 *  16  u32  first outbound step   20  u32  number
 *  24  u32  first on-error step   28  u32  number
 *  32  u32  flags: PLAN_PIPE_*    36  u32  reserved
 */
#define PLAN_PIPELINE_FIELDS(X, S)                  \
    X(S, 0, FIRST, first_inbound, PLAN_SEC_STEPS)   \
    X(S, 4, COUNT, n_inbound, PLAN_SEC_STEPS)       \
    X(S, 8, FIRST, first_backend, PLAN_SEC_STEPS)   \
    X(S, 12, COUNT, n_backend, PLAN_SEC_STEPS)      \
    X(S, 16, FIRST, first_outbound, PLAN_SEC_STEPS) \
    X(S, 20, COUNT, n_outbound, PLAN_SEC_STEPS)     \
    X(S, 24, FIRST, first_on_error, PLAN_SEC_STEPS) \
    X(S, 28, COUNT, n_on_error, PLAN_SEC_STEPS)     \
    X(S, 32, U32, flags, 0)                         \
    X(S, 36, U32, reserved, 0)
#define PLAN_PIPELINE_SIZE 40

enum plan_pipe_flags {
    PLAN_PIPE_PRODUCT = 1 << 0, /* holds a PLAN_STEP_PRODUCT step */
};

/* PLAN_SEC_STEPS: the elements of the pipelines. A step's children are a
 * contiguous range after it (children of one parent, in document order);
 * every step belongs to one parent or one pipeline section.
 *   0  str  element name ("set-header"; "" for a product step)
 *   8  str  where it is written: "file:line:col" ("" if nowhere: the default
 *           global <forward-request />, a product step)
 *  16  str  its text, verbatim, when it holds text (<value>, <set-body>)
 *  24  u32  policy: the row of compiler/policies.def (the writer's catalog
 *           order; the name is authoritative), or NONE (configuration, an
 *           unknown policy, a product step)
 *  28  u32  kind: enum plan_step_kind
 *  32  u32  section: one section bit (PLAN_SECTION_MASK)
 *  36  u32  scope: enum plan_step_scope, the document that wrote it
 *  40  u32  first child      44  u32  number of children
 *  48  u32  first attribute  52  u32  number (a range in PLAN_SEC_STEP_ATTRS)
 *  56  u32  the expression that is its whole text (PLAN_SEC_EXPRS), or NONE
 *  60  u32  flags: PLAN_STEP_*
 *  64  str  the fragment that wrote it ("" for the scope's own document)
 */
#define PLAN_STEP_FIELDS(X, S)                       \
    X(S, 0, STR, name, 0)                            \
    X(S, 8, STR, at, 0)                              \
    X(S, 16, STR, text, 0)                           \
    X(S, 24, U32, policy, 0)                         \
    X(S, 28, U32, kind, 0)                           \
    X(S, 32, U32, section, 0)                        \
    X(S, 36, U32, scope, 0)                          \
    X(S, 40, FIRST, first_child, PLAN_SEC_STEPS)     \
    X(S, 44, COUNT, nchildren, PLAN_SEC_STEPS)       \
    X(S, 48, FIRST, first_attr, PLAN_SEC_STEP_ATTRS) \
    X(S, 52, COUNT, nattrs, PLAN_SEC_STEP_ATTRS)     \
    X(S, 56, INDEX_NONE, text_expr, PLAN_SEC_EXPRS)  \
    X(S, 60, U32, flags, 0)                          \
    X(S, 64, STR, fragment, 0)
#define PLAN_STEP_SIZE 72

enum plan_step_kind {
    PLAN_STEP_POLICY = 0,  /* a policy */
    PLAN_STEP_ELEMENT = 1, /* a policy's configuration (<value>, <when>) */
    PLAN_STEP_PRODUCT = 2, /* runs the product's (or no-product) pipeline's section */
};

enum plan_step_scope {
    PLAN_STEP_GLOBAL = 0,
    PLAN_STEP_PRODUCT_SCOPE = 1,
    PLAN_STEP_API = 2,
    PLAN_STEP_OPERATION = 3,
};

enum plan_step_flags {
    PLAN_STEP_FRAGMENT = 1 << 0, /* written by a fragment the scope includes */
};

#define PLAN_STEP_FLAGS_KNOWN 0x1u

/* PLAN_SEC_STEP_ATTRS: a step's attributes, in document order.
 *   0  str  name
 *   8  str  value, entities decoded
 *  16  u32  the expression that is the whole value (PLAN_SEC_EXPRS), or NONE
 *  20  u32  reserved
 */
#define PLAN_STEP_ATTR_FIELDS(X, S)            \
    X(S, 0, STR, name, 0)                      \
    X(S, 8, STR, value, 0)                     \
    X(S, 16, INDEX_NONE, expr, PLAN_SEC_EXPRS) \
    X(S, 20, U32, reserved, 0)
#define PLAN_STEP_ATTR_SIZE 24

/* PLAN_SEC_EXPRS: policy expressions.
 *   0  str  source: "@(...)" or "@{...}", entities decoded, {{named values}}
 *           as written
 *   8  str  where it is written: "file:line:col"
 *  16  str  code: its program (csx_code.h; named values substituted);
 *           empty = not compiled: it names a named value whose value the
 *           plan cannot hold (a secret), or apim validate rejects it
 *  24  u32  members: with code, the fingerprint of the member table it was
 *           compiled against (csx_members_fingerprint: member ids move
 *           when csx_members.def gains a row); 0 without code
 *  28  u32  reserved
 */
#define PLAN_EXPR_FIELDS(X, S) \
    X(S, 0, STR, text, 0)      \
    X(S, 8, STR, at, 0)        \
    X(S, 16, STR, code, 0)     \
    X(S, 24, U32, members, 0)  \
    X(S, 28, U32, reserved2, 0)
#define PLAN_EXPR_SIZE 32

/* PLAN_SEC_OP_PIPELINES: one record per operation, in operation order.
 * PLAN_SEC_PRODUCT_PIPELINES: one per product, in product order, then one
 * more: the call without a product (the global document alone).
 *   0  u32  pipeline (PLAN_SEC_PIPELINES)
 */
#define PLAN_PIPELINE_REF_FIELDS(X, S) X(S, 0, INDEX, pipeline, PLAN_SEC_PIPELINES)
#define PLAN_PIPELINE_REF_SIZE         4

/* ---- Streaming jobs (2.3) ----
 *
 * PLAN_SEC_JOBS: one record per streaming job of the configuration
 * (compiler/stream/stream_decl.h), in declaration order; the section is
 * written only when there are jobs, so a plan without jobs keeps its bytes
 * and its minor version.
 *   0  str  name (unique without case; never "")
 *   8  str  definition: the job's canonical JSON (docs/plan-format.md,
 *           "Streaming jobs"): compact, keys in a fixed order, defaults
 *           applied, durations in milliseconds. The loader checks that it
 *           parses as a JSON object.
 *  16  str  hash: the lower-case hex SHA-256 of the definition's bytes (64
 *           characters), the checkpoint's definition hash
 *  24  u32  flags: PLAN_JOB_*
 *  28  u32  reserved
 */
#define PLAN_JOB_FIELDS(X, S)   \
    X(S, 0, STR, name, 0)       \
    X(S, 8, STR, definition, 0) \
    X(S, 16, STR, hash, 0)      \
    X(S, 24, U32, flags, 0)     \
    X(S, 28, U32, reserved, 0)
#define PLAN_JOB_SIZE 32

enum plan_job_flags {
    PLAN_JOB_AUTO_START = 1 << 0, /* autoStart: started with the gateway */
};

#define PLAN_JOB_FLAGS_KNOWN 0x1u

#endif
