/* csx_natives.h - the natives behind csx_members.def's rows, one file per
 * family (context model, strings and conversions, JSON and crypto, LINQ);
 * csx_natives.c puts them in the table indexed by member id. */
#ifndef APIM_CSX_CSX_NATIVES_H
#define APIM_CSX_CSX_NATIVES_H

#include "csx_vm_int.h"

#define CSX_NATIVE(fn)                                                  \
    int fn(struct csx_vm *vm, unsigned m, const struct csx_value *self, \
           const struct csx_value *args, unsigned argc, unsigned targ, struct csx_value *out)

/* X(member id, native) for every member that has one. */
#define CSX_NATIVES_CTX(X)                                 \
    X(CSXM_CONTEXT_API, csx_nat_ctx_object)                \
    X(CSXM_CONTEXT_DEPLOYMENT, csx_nat_ctx_object)         \
    X(CSXM_CONTEXT_LASTERROR, csx_nat_ctx_object)          \
    X(CSXM_CONTEXT_OPERATION, csx_nat_ctx_object)          \
    X(CSXM_CONTEXT_PRODUCT, csx_nat_ctx_object)            \
    X(CSXM_CONTEXT_REQUEST, csx_nat_ctx_object)            \
    X(CSXM_CONTEXT_SUBSCRIPTION, csx_nat_ctx_object)       \
    X(CSXM_CONTEXT_USER, csx_nat_ctx_object)               \
    X(CSXM_CONTEXT_VARIABLES, csx_nat_ctx_object)          \
    X(CSXM_CONTEXT_RESPONSE, csx_nat_ctx_response)         \
    X(CSXM_CONTEXT_REQUESTID, csx_nat_ctx_scalar)          \
    X(CSXM_CONTEXT_TIMESTAMP, csx_nat_ctx_scalar)          \
    X(CSXM_CONTEXT_ELAPSED, csx_nat_ctx_scalar)            \
    X(CSXM_CONTEXT_TRACING, csx_nat_ctx_scalar)            \
    X(CSXM_CONTEXT_TRACE, csx_nat_ctx_scalar)              \
    X(CSXM_API_ID, csx_nat_ctx_prop)                       \
    X(CSXM_API_ISCURRENTREVISION, csx_nat_ctx_scalar)      \
    X(CSXM_API_NAME, csx_nat_ctx_prop)                     \
    X(CSXM_API_PATH, csx_nat_ctx_prop)                     \
    X(CSXM_API_REVISION, csx_nat_ctx_prop)                 \
    X(CSXM_API_SERVICEURL, csx_nat_ctx_url)                \
    X(CSXM_API_VERSION, csx_nat_ctx_prop)                  \
    X(CSXM_DEPLOYMENT_GATEWAYID, csx_nat_ctx_prop)         \
    X(CSXM_DEPLOYMENT_REGION, csx_nat_ctx_prop)            \
    X(CSXM_DEPLOYMENT_SERVICENAME, csx_nat_ctx_prop)       \
    X(CSXM_DEPLOYMENT_SERVICEID, csx_nat_ctx_prop)         \
    X(CSXM_LASTERROR_SOURCE, csx_nat_ctx_prop)             \
    X(CSXM_LASTERROR_REASON, csx_nat_ctx_prop)             \
    X(CSXM_LASTERROR_MESSAGE, csx_nat_ctx_prop)            \
    X(CSXM_LASTERROR_SCOPE, csx_nat_ctx_prop)              \
    X(CSXM_LASTERROR_SECTION, csx_nat_ctx_prop)            \
    X(CSXM_LASTERROR_PATH, csx_nat_ctx_prop)               \
    X(CSXM_LASTERROR_POLICYID, csx_nat_ctx_prop)           \
    X(CSXM_OPERATION_ID, csx_nat_ctx_prop)                 \
    X(CSXM_OPERATION_METHOD, csx_nat_ctx_prop)             \
    X(CSXM_OPERATION_NAME, csx_nat_ctx_prop)               \
    X(CSXM_OPERATION_URLTEMPLATE, csx_nat_ctx_prop)        \
    X(CSXM_PRODUCT_ID, csx_nat_ctx_prop)                   \
    X(CSXM_PRODUCT_NAME, csx_nat_ctx_prop)                 \
    X(CSXM_REQUEST_BODY, csx_nat_ctx_message)              \
    X(CSXM_REQUEST_HEADERS, csx_nat_ctx_message)           \
    X(CSXM_REQUEST_IPADDRESS, csx_nat_ctx_prop)            \
    X(CSXM_REQUEST_MATCHEDPARAMETERS, csx_nat_ctx_message) \
    X(CSXM_REQUEST_METHOD, csx_nat_ctx_prop)               \
    X(CSXM_REQUEST_ORIGINALURL, csx_nat_ctx_url)           \
    X(CSXM_REQUEST_URL, csx_nat_ctx_url)                   \
    X(CSXM_RESPONSE_BODY, csx_nat_ctx_message)             \
    X(CSXM_RESPONSE_HEADERS, csx_nat_ctx_message)          \
    X(CSXM_RESPONSE_STATUSCODE, csx_nat_ctx_message)       \
    X(CSXM_RESPONSE_STATUSREASON, csx_nat_ctx_message)     \
    X(CSXM_SUBSCRIPTION_ID, csx_nat_ctx_prop)              \
    X(CSXM_SUBSCRIPTION_KEY, csx_nat_ctx_prop)             \
    X(CSXM_SUBSCRIPTION_NAME, csx_nat_ctx_prop)            \
    X(CSXM_SUBSCRIPTION_PRIMARYKEY, csx_nat_ctx_prop)      \
    X(CSXM_SUBSCRIPTION_SECONDARYKEY, csx_nat_ctx_prop)    \
    X(CSXM_USER_EMAIL, csx_nat_ctx_prop)                   \
    X(CSXM_USER_FIRSTNAME, csx_nat_ctx_prop)               \
    X(CSXM_USER_ID, csx_nat_ctx_prop)                      \
    X(CSXM_USER_LASTNAME, csx_nat_ctx_prop)                \
    X(CSXM_USER_NOTE, csx_nat_ctx_prop)                    \
    X(CSXM_URL_HOST, csx_nat_ctx_url_part)                 \
    X(CSXM_URL_PATH, csx_nat_ctx_url_part)                 \
    X(CSXM_URL_PORT, csx_nat_ctx_url_part)                 \
    X(CSXM_URL_QUERY, csx_nat_ctx_url_part)                \
    X(CSXM_URL_QUERYSTRING, csx_nat_ctx_url_part)          \
    X(CSXM_URL_SCHEME, csx_nat_ctx_url_part)               \
    X(CSXM_URL_TOSTRING, csx_nat_ctx_url_part)             \
    X(CSXM_BODY_AS, csx_nat_ctx_body_as)                   \
    X(CSXM_HEADERS_INDEX, csx_nat_ctx_dict)                \
    X(CSXM_HEADERS_GETVALUEORDEFAULT, csx_nat_ctx_dict)    \
    X(CSXM_HEADERS_CONTAINSKEY, csx_nat_ctx_dict)          \
    X(CSXM_HEADERS_COUNT, csx_nat_ctx_dict)                \
    X(CSXM_HEADERS_KEYS, csx_nat_ctx_dict)                 \
    X(CSXM_STRMAP_INDEX, csx_nat_ctx_dict)                 \
    X(CSXM_STRMAP_GETVALUEORDEFAULT, csx_nat_ctx_dict)     \
    X(CSXM_STRMAP_CONTAINSKEY, csx_nat_ctx_dict)           \
    X(CSXM_STRMAP_COUNT, csx_nat_ctx_dict)                 \
    X(CSXM_VARIABLES_INDEX, csx_nat_ctx_vars)              \
    X(CSXM_VARIABLES_GETVALUEORDEFAULT, csx_nat_ctx_vars)  \
    X(CSXM_VARIABLES_CONTAINSKEY, csx_nat_ctx_vars)        \
    X(CSXM_VARIABLES_COUNT, csx_nat_ctx_vars)              \
    X(CSXM_EXCEPTION_MESSAGE, csx_nat_ctx_exception)       \
    X(CSXM_EXCEPTION_CTOR, csx_nat_ctx_exception)

#define CSX_NATIVES_JWT(X)                       \
    X(CSXM_STRING_ASJWT, csx_nat_jwt_parse)      \
    X(CSXM_JWT_ALGORITHM, csx_nat_jwt_prop)      \
    X(CSXM_JWT_AUDIENCES, csx_nat_jwt_prop)      \
    X(CSXM_JWT_CLAIMS, csx_nat_jwt_prop)         \
    X(CSXM_JWT_EXPIRATIONTIME, csx_nat_jwt_prop) \
    X(CSXM_JWT_ID, csx_nat_jwt_prop)             \
    X(CSXM_JWT_ISSUER, csx_nat_jwt_prop)         \
    X(CSXM_JWT_ISSUEDAT, csx_nat_jwt_prop)       \
    X(CSXM_JWT_NOTBEFORE, csx_nat_jwt_prop)      \
    X(CSXM_JWT_SUBJECT, csx_nat_jwt_prop)        \
    X(CSXM_JWT_TYPE, csx_nat_jwt_prop)           \
    X(CSXM_STRING_ASBASIC, csx_nat_jwt_basic)    \
    X(CSXM_BASIC_USERID, csx_nat_jwt_basic_prop) \
    X(CSXM_BASIC_PASSWORD, csx_nat_jwt_basic_prop)

#define CSX_NATIVES_STR(X)                                \
    X(CSXM_STRING_LENGTH, csx_nat_str_length)             \
    X(CSXM_STRING_INDEX, csx_nat_str_index)               \
    X(CSXM_STRING_SPLIT, csx_nat_str_split)               \
    X(CSXM_STRING_SUBSTRING, csx_nat_str_substring)       \
    X(CSXM_STRING_REPLACE, csx_nat_str_replace)           \
    X(CSXM_STRING_TOLOWER, csx_nat_str_case)              \
    X(CSXM_STRING_TOUPPER, csx_nat_str_case)              \
    X(CSXM_STRING_TOLOWERINVARIANT, csx_nat_str_case)     \
    X(CSXM_STRING_TOUPPERINVARIANT, csx_nat_str_case)     \
    X(CSXM_STRING_TRIM, csx_nat_str_trim)                 \
    X(CSXM_STRING_TRIMSTART, csx_nat_str_trim)            \
    X(CSXM_STRING_TRIMEND, csx_nat_str_trim)              \
    X(CSXM_STRING_STARTSWITH, csx_nat_str_test)           \
    X(CSXM_STRING_ENDSWITH, csx_nat_str_test)             \
    X(CSXM_STRING_CONTAINS, csx_nat_str_test)             \
    X(CSXM_STRING_EQUALS, csx_nat_str_test)               \
    X(CSXM_STRING_SEQUALS, csx_nat_str_test)              \
    X(CSXM_STRING_INDEXOF, csx_nat_str_indexof)           \
    X(CSXM_STRING_LASTINDEXOF, csx_nat_str_indexof)       \
    X(CSXM_STRING_PADLEFT, csx_nat_str_pad)               \
    X(CSXM_STRING_PADRIGHT, csx_nat_str_pad)              \
    X(CSXM_STRING_ISNULLOREMPTY, csx_nat_str_isnull)      \
    X(CSXM_STRING_ISNULLORWHITESPACE, csx_nat_str_isnull) \
    X(CSXM_STRING_FORMAT, csx_nat_str_format)             \
    X(CSXM_STRING_JOIN, csx_nat_str_join)                 \
    X(CSXM_STRING_CONCAT, csx_nat_str_concat)             \
    X(CSXM_STRING_EMPTY, csx_nat_str_empty)               \
    X(CSXM_OBJECT_TOSTRING, csx_nat_str_tostring)         \
    X(CSXM_OBJECT_EQUALS, csx_nat_str_equals)             \
    X(CSXM_INT_PARSE, csx_nat_conv_parse)                 \
    X(CSXM_LONG_PARSE, csx_nat_conv_parse)                \
    X(CSXM_DOUBLE_PARSE, csx_nat_conv_parse)              \
    X(CSXM_BOOL_PARSE, csx_nat_conv_parse)                \
    X(CSXM_INT_MAXVALUE, csx_nat_conv_parse)              \
    X(CSXM_GUID_NEWGUID, csx_nat_conv_guid)               \
    X(CSXM_CONVERT_TOBASE64STRING, csx_nat_conv_base64)   \
    X(CSXM_CONVERT_FROMBASE64STRING, csx_nat_conv_base64) \
    X(CSXM_CONVERT_TOSTRING, csx_nat_conv_convert)        \
    X(CSXM_CONVERT_TOINT32, csx_nat_conv_convert)         \
    X(CSXM_CONVERT_TOINT64, csx_nat_conv_convert)         \
    X(CSXM_CONVERT_TODOUBLE, csx_nat_conv_convert)        \
    X(CSXM_CONVERT_TOBOOLEAN, csx_nat_conv_convert)       \
    X(CSXM_ENCODING_UTF8, csx_nat_conv_encoding)          \
    X(CSXM_ENCODING_ASCII, csx_nat_conv_encoding)         \
    X(CSXM_ENCODING_GETBYTES, csx_nat_conv_encoding)      \
    X(CSXM_ENCODING_GETSTRING, csx_nat_conv_encoding)     \
    X(CSXM_BYTES_LENGTH, csx_nat_conv_array)              \
    X(CSXM_ARRAY_LENGTH, csx_nat_conv_array)              \
    X(CSXM_ARRAY_INDEX, csx_nat_conv_array)               \
    X(CSXM_BYTES_INDEX, csx_nat_conv_array)               \
    X(CSXM_STRINGS_LENGTH, csx_nat_conv_array)            \
    X(CSXM_STRINGS_INDEX, csx_nat_conv_array)             \
    X(CSXM_DATETIME_UTCNOW, csx_nat_conv_date)            \
    X(CSXM_DATETIME_NOW, csx_nat_conv_date)               \
    X(CSXM_DATETIME_ADDSECONDS, csx_nat_conv_date)        \
    X(CSXM_DATETIME_ADDMINUTES, csx_nat_conv_date)        \
    X(CSXM_DATETIME_ADDHOURS, csx_nat_conv_date)          \
    X(CSXM_DATETIME_ADDDAYS, csx_nat_conv_date)           \
    X(CSXM_DATETIME_TICKS, csx_nat_conv_date)             \
    X(CSXM_TIMESPAN_TOTALSECONDS, csx_nat_conv_date)      \
    X(CSXM_TIMESPAN_TOTALMILLISECONDS, csx_nat_conv_date) \
    X(CSXM_MATH_MIN, csx_nat_conv_math)                   \
    X(CSXM_MATH_MAX, csx_nat_conv_math)                   \
    X(CSXM_MATH_ABS, csx_nat_conv_math)                   \
    X(CSXM_MATH_FLOOR, csx_nat_conv_math)                 \
    X(CSXM_MATH_CEILING, csx_nat_conv_math)               \
    X(CSXM_RANDOM_CTOR, csx_nat_conv_random)              \
    X(CSXM_RANDOM_NEXT, csx_nat_conv_random)              \
    X(CSXM_RANDOM_NEXTDOUBLE, csx_nat_conv_random)

#define CSX_NATIVES_JSON(X)                                     \
    X(CSXM_JOBJECT_CTOR, csx_nat_json_new)                      \
    X(CSXM_JARRAY_CTOR, csx_nat_json_new)                       \
    X(CSXM_JPROPERTY_CTOR, csx_nat_json_new)                    \
    X(CSXM_JVALUE_CTOR, csx_nat_json_new)                       \
    X(CSXM_JOBJECT_PARSE, csx_nat_json_parse)                   \
    X(CSXM_JARRAY_PARSE, csx_nat_json_parse)                    \
    X(CSXM_JTOKEN_PARSE, csx_nat_json_parse)                    \
    X(CSXM_JSONCONVERT_DESERIALIZEOBJECT, csx_nat_json_parse)   \
    X(CSXM_JOBJECT_FROMOBJECT, csx_nat_json_from)               \
    X(CSXM_JTOKEN_FROMOBJECT, csx_nat_json_from)                \
    X(CSXM_JSONCONVERT_SERIALIZEOBJECT, csx_nat_json_serialize) \
    X(CSXM_JTOKEN_TOSTRING, csx_nat_json_serialize)             \
    X(CSXM_JOBJECT_INDEX, csx_nat_json_index)                   \
    X(CSXM_JARRAY_INDEX, csx_nat_json_index)                    \
    X(CSXM_JTOKEN_INDEX, csx_nat_json_index)                    \
    X(CSXM_JOBJECT_GETVALUE, csx_nat_json_index)                \
    X(CSXM_JOBJECT_ADD, csx_nat_json_edit)                      \
    X(CSXM_JARRAY_ADD, csx_nat_json_edit)                       \
    X(CSXM_JOBJECT_REMOVE, csx_nat_json_edit)                   \
    X(CSXM_JOBJECT_CONTAINSKEY, csx_nat_json_edit)              \
    X(CSXM_JARRAY_COUNT, csx_nat_json_edit)                     \
    X(CSXM_JOBJECT_PROPERTIES, csx_nat_json_edit)               \
    X(CSXM_JTOKEN_CHILDREN, csx_nat_json_edit)                  \
    X(CSXM_JPROPERTY_NAME, csx_nat_json_prop)                   \
    X(CSXM_JPROPERTY_VALUE, csx_nat_json_prop)                  \
    X(CSXM_JTOKEN_VALUE, csx_nat_json_value)                    \
    X(CSXM_JTOKEN_TOOBJECT, csx_nat_json_value)                 \
    X(CSXM_JTOKEN_SELECTTOKEN, csx_nat_json_select)             \
    X(CSXM_HMACSHA256_CTOR, csx_nat_json_hash)                  \
    X(CSXM_HMACSHA256_COMPUTEHASH, csx_nat_json_hash)           \
    X(CSXM_HMACSHA256_KEY, csx_nat_json_hash)                   \
    X(CSXM_SHA256_CREATE, csx_nat_json_hash)                    \
    X(CSXM_SHA256_COMPUTEHASH, csx_nat_json_hash)               \
    X(CSXM_URI_ESCAPEDATASTRING, csx_nat_json_escape)           \
    X(CSXM_URI_UNESCAPEDATASTRING, csx_nat_json_escape)         \
    X(CSXM_WEBUTILITY_URLENCODE, csx_nat_json_escape)           \
    X(CSXM_WEBUTILITY_URLDECODE, csx_nat_json_escape)

#define CSX_NATIVES_LINQ(X)                              \
    X(CSXM_ENUMERABLE_ANY, csx_nat_linq_test)            \
    X(CSXM_ENUMERABLE_ALL, csx_nat_linq_test)            \
    X(CSXM_ENUMERABLE_COUNT, csx_nat_linq_test)          \
    X(CSXM_ENUMERABLE_CONTAINS, csx_nat_linq_test)       \
    X(CSXM_ENUMERABLE_FIRST, csx_nat_linq_pick)          \
    X(CSXM_ENUMERABLE_FIRSTORDEFAULT, csx_nat_linq_pick) \
    X(CSXM_ENUMERABLE_LAST, csx_nat_linq_pick)           \
    X(CSXM_ENUMERABLE_LASTORDEFAULT, csx_nat_linq_pick)  \
    X(CSXM_ENUMERABLE_SINGLE, csx_nat_linq_pick)         \
    X(CSXM_ENUMERABLE_WHERE, csx_nat_linq_map)           \
    X(CSXM_ENUMERABLE_SELECT, csx_nat_linq_map)          \
    X(CSXM_ENUMERABLE_SKIP, csx_nat_linq_slice)          \
    X(CSXM_ENUMERABLE_TAKE, csx_nat_linq_slice)          \
    X(CSXM_ENUMERABLE_DISTINCT, csx_nat_linq_slice)      \
    X(CSXM_ENUMERABLE_TOARRAY, csx_nat_linq_slice)       \
    X(CSXM_ENUMERABLE_TOLIST, csx_nat_linq_slice)

#define CSX_NATIVES_TIME(X)                                              \
    X(CSXM_DATETIMEOFFSET_ADDSECONDS, csx_nat_time_offset)               \
    X(CSXM_DATETIMEOFFSET_ADDMINUTES, csx_nat_time_offset)               \
    X(CSXM_DATETIMEOFFSET_ADDHOURS, csx_nat_time_offset)                 \
    X(CSXM_DATETIMEOFFSET_ADDDAYS, csx_nat_time_offset)                  \
    X(CSXM_DATETIMEOFFSET_UTCNOW, csx_nat_time_offset)                   \
    X(CSXM_DATETIMEOFFSET_NOW, csx_nat_time_offset)                      \
    X(CSXM_DATETIMEOFFSET_FROMUNIXTIMESECONDS, csx_nat_time_offset)      \
    X(CSXM_DATETIMEOFFSET_FROMUNIXTIMEMILLISECONDS, csx_nat_time_offset) \
    X(CSXM_DATETIMEOFFSET_CTOR, csx_nat_time_offset)                     \
    X(CSXM_DATETIMEOFFSET_TOUNIXTIMESECONDS, csx_nat_time_offset)        \
    X(CSXM_DATETIMEOFFSET_TOUNIXTIMEMILLISECONDS, csx_nat_time_offset)   \
    X(CSXM_DATETIMEOFFSET_UTCDATETIME, csx_nat_time_offset)              \
    X(CSXM_BITCONVERTER_TOSTRING, csx_nat_time_bits)                     \
    X(CSXM_BITCONVERTER_TOINT32, csx_nat_time_bits)                      \
    X(CSXM_CONVERT_TOBYTE, csx_nat_time_tobyte)                          \
    X(CSXM_GUID_PARSE, csx_nat_time_guid)                                \
    X(CSXM_GUID_TOBYTEARRAY, csx_nat_time_guid)                          \
    X(CSXM_MATH_ROUND, csx_nat_time_round)                               \
    X(CSXM_TIMESPAN_FROMMILLISECONDS, csx_nat_time_span)                 \
    X(CSXM_TIMESPAN_FROMSECONDS, csx_nat_time_span)                      \
    X(CSXM_TIMESPAN_FROMMINUTES, csx_nat_time_span)                      \
    X(CSXM_TIMESPAN_FROMHOURS, csx_nat_time_span)                        \
    X(CSXM_TIMESPAN_FROMDAYS, csx_nat_time_span)                         \
    X(CSXM_DATETIME_CTOR, csx_nat_time_date_new)                         \
    X(CSXM_WEBUTILITY_HTMLENCODE, csx_nat_web_html)                      \
    X(CSXM_WEBUTILITY_HTMLDECODE, csx_nat_web_html)                      \
    X(CSXM_URI_CTOR, csx_nat_web_uri)                                    \
    X(CSXM_URI_SCHEME, csx_nat_web_uri)                                  \
    X(CSXM_URI_HOST, csx_nat_web_uri)                                    \
    X(CSXM_URI_PORT, csx_nat_web_uri)                                    \
    X(CSXM_URI_ABSOLUTEPATH, csx_nat_web_uri)                            \
    X(CSXM_URI_QUERY, csx_nat_web_uri)                                   \
    X(CSXM_URI_FRAGMENT, csx_nat_web_uri)                                \
    X(CSXM_URI_PATHANDQUERY, csx_nat_web_uri)                            \
    X(CSXM_URI_AUTHORITY, csx_nat_web_uri)                               \
    X(CSXM_URI_ABSOLUTEURI, csx_nat_web_uri)

/* Members with out parameters: they return an "out tuple" (csx_nat_out.c). */
#define CSX_NATIVES_OUT(X)                          \
    X(CSXM_INT_TRYPARSE, csx_nat_out_tryparse)      \
    X(CSXM_LONG_TRYPARSE, csx_nat_out_tryparse)     \
    X(CSXM_DOUBLE_TRYPARSE, csx_nat_out_tryparse)   \
    X(CSXM_BOOL_TRYPARSE, csx_nat_out_tryparse)     \
    X(CSXM_GUID_TRYPARSE, csx_nat_out_tryparse)     \
    X(CSXM_HEADERS_TRYGETVALUE, csx_nat_out_tryget) \
    X(CSXM_STRMAP_TRYGETVALUE, csx_nat_out_tryget)  \
    X(CSXM_VARIABLES_TRYGETVALUE, csx_nat_out_tryget)

#define CSX_NATIVES_REGEX(X)                     \
    X(CSXM_REGEX_CTOR, csx_nat_regex_ctor)       \
    X(CSXM_REGEX_SISMATCH, csx_nat_regex_static) \
    X(CSXM_REGEX_SMATCH, csx_nat_regex_static)   \
    X(CSXM_REGEX_SMATCHES, csx_nat_regex_static) \
    X(CSXM_REGEX_SREPLACE, csx_nat_regex_static) \
    X(CSXM_REGEX_SSPLIT, csx_nat_regex_static)   \
    X(CSXM_REGEX_ESCAPE, csx_nat_regex_escape)   \
    X(CSXM_REGEX_UNESCAPE, csx_nat_regex_escape) \
    X(CSXM_REGEX_ISMATCH, csx_nat_regex_method)  \
    X(CSXM_REGEX_MATCH, csx_nat_regex_method)    \
    X(CSXM_REGEX_MATCHES, csx_nat_regex_method)  \
    X(CSXM_REGEX_REPLACE, csx_nat_regex_method)  \
    X(CSXM_REGEX_SPLIT, csx_nat_regex_method)    \
    X(CSXM_MATCH_SUCCESS, csx_nat_regex_match)   \
    X(CSXM_MATCH_VALUE, csx_nat_regex_match)     \
    X(CSXM_MATCH_GROUPS, csx_nat_regex_match)    \
    X(CSXM_MATCH_INDEX, csx_nat_regex_match)     \
    X(CSXM_MATCH_LENGTH, csx_nat_regex_match)    \
    X(CSXM_MATCH_NEXTMATCH, csx_nat_regex_match) \
    X(CSXM_MATCHES_COUNT, csx_nat_regex_match)   \
    X(CSXM_MATCHES_INDEX, csx_nat_regex_match)   \
    X(CSXM_GROUPS_COUNT, csx_nat_regex_match)    \
    X(CSXM_GROUPS_INDEX, csx_nat_regex_match)    \
    X(CSXM_GROUP_SUCCESS, csx_nat_regex_match)   \
    X(CSXM_GROUP_VALUE, csx_nat_regex_match)     \
    X(CSXM_GROUP_INDEX, csx_nat_regex_match)     \
    X(CSXM_GROUP_LENGTH, csx_nat_regex_match)

/* A Uri's ToString() (its AbsoluteUri: new Uri keeps no escapes). */
struct str csx_nat_web_uri_str(struct arena *a, const struct csx_value *v);

/* The text of a Match or Group value (its ToString(), its Value). */
struct str csx_nat_regex_str(const struct csx_value *v);

/* %xx (and with plus, '+') decoded, in a. */
struct str csx_nat_ctx_decode(struct arena *a, struct str s, bool plus);
/* Base64 (url: the URL-safe alphabet, padding optional) to bytes in the
 * VM's arena; -1 after csx_fail when s is not Base64. */
int csx_nat_conv_unbase64(struct csx_vm *vm, struct str s, bool url, struct csx_value *out);

#define CSX_NATIVE_DECL(id, fn) CSX_NATIVE(fn);
CSX_NATIVES_CTX(CSX_NATIVE_DECL)
CSX_NATIVES_JWT(CSX_NATIVE_DECL)
CSX_NATIVES_STR(CSX_NATIVE_DECL)
CSX_NATIVES_JSON(CSX_NATIVE_DECL)
CSX_NATIVES_LINQ(CSX_NATIVE_DECL)
CSX_NATIVES_TIME(CSX_NATIVE_DECL)
CSX_NATIVES_OUT(CSX_NATIVE_DECL)
CSX_NATIVES_REGEX(CSX_NATIVE_DECL)
#undef CSX_NATIVE_DECL

#endif
