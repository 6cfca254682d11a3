/* csx_bind_names.c - type names in policy expressions: the member table's
 * types, C# aliases, the other .NET types API Management allows (not
 * modelled: dynamic), the ones it does not, and the namespace roots.
 *
 * Source of the allowed list: ".NET Framework types allowed in policy
 * expressions", https://learn.microsoft.com/azure/api-management/api-management-policy-expressions
 * (the simple names of its table; a name found there is allowed whatever
 * namespace it is written with). Exception types are allowed by name
 * (System.Exception is listed; a catch names its subclasses). Authorization
 * is the type get-authorization-context stores (get-authorization-context
 * policy page: (Authorization)context.Variables.GetValueOrDefault(...)). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csx_bind_int.h"

struct tn_row {
    const char *name;
    enum type_name tn;
    int type;
};

/* C# aliases and keyword types not spelled as the table spells them. */
static const struct tn_row aliases[] = {
    { "String", TN_KNOWN, CSXT_STRING },  { "Int32", TN_KNOWN, CSXT_INT },
    { "Int64", TN_KNOWN, CSXT_LONG },     { "Boolean", TN_KNOWN, CSXT_BOOL },
    { "Double", TN_KNOWN, CSXT_DOUBLE },  { "Decimal", TN_KNOWN, CSXT_DECIMAL },
    { "Char", TN_KNOWN, CSXT_CHAR },      { "Byte", TN_KNOWN, CSXT_BYTE },
    { "Object", TN_KNOWN, CSXT_OBJECT },  { "IEnumerable", TN_KNOWN, CSXT_ENUMERABLE },
    { "float", TN_OPEN, CSXT_DYNAMIC },   { "short", TN_OPEN, CSXT_DYNAMIC },
    { "ushort", TN_OPEN, CSXT_DYNAMIC },  { "uint", TN_OPEN, CSXT_DYNAMIC },
    { "ulong", TN_OPEN, CSXT_DYNAMIC },   { "sbyte", TN_OPEN, CSXT_DYNAMIC },
    { "dynamic", TN_OPEN, CSXT_DYNAMIC },
};

/* Allowed, not modelled: the page's table (simple names), and the context
 * model's interfaces the member table does not hold. */
static const char *const open_names[] = {
    "Formatting",
    "Extensions",
    "JConstructor",
    "JContainer",
    "JRaw",
    "JTokenType",
    "Array",
    "BitConverter",
    "Dictionary",
    "HashSet",
    "ICollection",
    "IDictionary",
    "IEnumerator",
    "IList",
    "IReadOnlyCollection",
    "IReadOnlyDictionary",
    "ISet",
    "KeyValuePair",
    "List",
    "Queue",
    "Stack",
    "DateTimeKind",
    "DateTimeOffset",
    "Exception",
    "Int16",
    "UInt16",
    "UInt32",
    "UInt64",
    "SByte",
    "Single",
    "StringReader",
    "StringWriter",
    "Enumerable",
    "MidpointRounding",
    "IPAddress",
    "Nullable",
    "Random",
    "AsymmetricAlgorithm",
    "CipherMode",
    "HashAlgorithm",
    "HashAlgorithmName",
    "HMAC",
    "HMACMD5",
    "HMACSHA1",
    "HMACSHA384",
    "HMACSHA512",
    "KeyedHashAlgorithm",
    "MD5",
    "Oid",
    "PaddingMode",
    "RNGCryptoServiceProvider",
    "RSA",
    "RSAEncryptionPadding",
    "RSASignaturePadding",
    "SHA1",
    "SHA1Managed",
    "SHA256Managed",
    "SHA384",
    "SHA384Managed",
    "SHA512",
    "SHA512Managed",
    "SymmetricAlgorithm",
    "PublicKey",
    "RSACertificateExtensions",
    "X500DistinguishedName",
    "X509Certificate",
    "X509Certificate2",
    "X509ContentType",
    "X509NameType",
    "StringComparer",
    "StringComparison",
    "StringSplitOptions",
    "Capture",
    "CaptureCollection",
    "Group",
    "GroupCollection",
    "RegexOptions",
    "StringBuilder",
    "TimeZone",
    "TimeZoneInfo",
    "Tuple",
    "UriPartial",
    "XAttribute",
    "XCData",
    "XComment",
    "XContainer",
    "XDeclaration",
    "XDocument",
    "XDocumentType",
    "XElement",
    "XName",
    "XNamespace",
    "XNode",
    "XNodeDocumentOrderComparer",
    "XNodeEqualityComparer",
    "XObject",
    "XProcessingInstruction",
    "XText",
    "XmlNodeType",
    "IGroup",
    "IUserIdentity",
    "IPrivateEndpointConnection",
    "ISubscriptionKeyParameterNames",
    "IMessageBody",
    "IUrl",
    "IRequest",
    "IApi",
    /* get-authorization-context's Authorization is a table type (csx_members.def) */
};

/* .NET types a policy expression may not use: files, processes, threads,
 * the network outside send-request, reflection, the environment. */
static const char *const denied_names[] = {
    "File",
    "Directory",
    "FileInfo",
    "DirectoryInfo",
    "FileStream",
    "StreamReader",
    "StreamWriter",
    "Path",
    "DriveInfo",
    "HttpClient",
    "HttpRequestMessage",
    "WebClient",
    "WebRequest",
    "HttpWebRequest",
    "Socket",
    "TcpClient",
    "UdpClient",
    "Dns",
    "Environment",
    "Process",
    "ProcessStartInfo",
    "Thread",
    "ThreadPool",
    "Task",
    "Parallel",
    "Timer",
    "Assembly",
    "Activator",
    "AppDomain",
    "MethodInfo",
    "PropertyInfo",
    "FieldInfo",
    "BindingFlags",
    "Marshal",
    "GC",
    "Console",
    "Registry",
    "Debugger",
};

/* Namespaces nothing of which is allowed (System.IO.StringReader and
 * StringWriter are listed by name and found before this). */
static const char *const denied_ns[] = {
    "System.IO",        "System.Net.Http",    "System.Net.Sockets", "System.Reflection",
    "System.Threading", "System.Diagnostics", "System.Runtime",     "Microsoft.Win32",
};

static struct tn_row *rows;
static size_t nrows;
static struct str *type_strs;
static size_t ntype_strs;

static int cmp_row(const void *x, const void *y)
{
    return strcmp(((const struct tn_row *)x)->name, ((const struct tn_row *)y)->name);
}

static void add(struct tn_row *v, size_t *n, const char *name, enum type_name tn, int type)
{
    v[(*n)++] = (struct tn_row){ name, tn, type };
}

/* One sorted array of every name, made on first use (static data; the
 * compiler is single-threaded). Table names with '<' or '[' are not names. */
static void prepare(void)
{
    if (rows != NULL)
        return;
    static struct tn_row v[CSXT_COUNT + sizeof(aliases) / sizeof(aliases[0]) +
                           sizeof(open_names) / sizeof(open_names[0]) +
                           sizeof(denied_names) / sizeof(denied_names[0])];
    static struct str strs[CSXT_COUNT];
    size_t n = 0;
    for (int t = CSXT_OBJECT; t < CSXT_COUNT; t++) {
        if (strpbrk(csx_type_rows[t].name, "<[") == NULL && t != CSXT_NULL && t != CSXT_VOID) {
            add(v, &n, csx_type_rows[t].name, TN_KNOWN, t);
            strs[ntype_strs++] = str_from_cstr(csx_type_rows[t].name);
        }
    }
    for (size_t i = 0; i < sizeof(aliases) / sizeof(aliases[0]); i++)
        v[n++] = aliases[i];
    for (size_t i = 0; i < sizeof(open_names) / sizeof(open_names[0]); i++)
        add(v, &n, open_names[i], TN_OPEN, CSXT_DYNAMIC);
    for (size_t i = 0; i < sizeof(denied_names) / sizeof(denied_names[0]); i++)
        add(v, &n, denied_names[i], TN_DENIED, CSXT_DYNAMIC);
    qsort(v, n, sizeof(v[0]), cmp_row);
    rows = v;
    nrows = n;
    type_strs = strs;
}

bool bind_eq(struct str s, const char *c)
{
    size_t n = strlen(c);
    return s.len == n && memcmp(s.ptr, c, n) == 0;
}

static bool ends_with(struct str s, const char *suffix)
{
    size_t n = strlen(suffix);
    return s.len >= n && memcmp(s.ptr + s.len - n, suffix, n) == 0;
}

enum type_name bind_type_name(struct str name, int *type)
{
    prepare();
    size_t lo = 0, hi = nrows;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        size_t n = strlen(rows[mid].name);
        int c = strncmp(rows[mid].name, name.ptr, n < name.len ? n : name.len);
        c = c != 0 ? c : n == name.len ? 0 : n < name.len ? -1 : 1;
        if (c == 0) {
            *type = rows[mid].type;
            return rows[mid].tn;
        }
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    *type = CSXT_DYNAMIC;
    return name.len > 9 && ends_with(name, "Exception") ? TN_OPEN : TN_UNKNOWN;
}

bool bind_namespace_root(struct str name)
{
    return bind_eq(name, "System") || bind_eq(name, "Newtonsoft") || bind_eq(name, "Microsoft");
}

bool bind_denied_namespace(struct str ns)
{
    for (size_t i = 0; i < sizeof(denied_ns) / sizeof(denied_ns[0]); i++) {
        size_t k = strlen(denied_ns[i]);
        if (ns.len >= k && memcmp(ns.ptr, denied_ns[i], k) == 0 &&
            (ns.len == k || ns.ptr[k] == '.'))
            return true;
    }
    return false;
}

size_t bind_type_names(const struct str **v)
{
    prepare();
    *v = type_strs;
    return ntype_strs;
}
