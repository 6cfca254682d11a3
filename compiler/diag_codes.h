/* diag_codes.h - every diagnostic the compiler can emit, in one list.
 *
 *   X(enum id, "APIMnnnn", default level, "slug")
 *
 * Codes are stable: users suppress and search for them, and docs/validate.md
 * documents each one (a test fails if one is missing there). Append new codes;
 * never renumber or reuse one.
 *   APIM1xxx  reading input, JSON syntax
 *   APIM2xxx  ARM template expressions
 *   APIM3xxx  template structure, parameters, resources, deployments
 *   APIM4xxx  API Management resource properties (the model)
 *   APIM5xxx  semantic checks across resources
 *   APIM6xxx  the routing plan: what the local gateway can serve
 *   APIM7xxx  imported specifications (OpenAPI, Swagger) and APIOps folders
 *   APIM8xxx  policy expressions (the C# in @(...) and @{...})
 *   APIM9xxx  streaming jobs (compiler/stream/stream_decl.h)
 */
#ifndef APIM_COMMON_DIAG_CODES_H
#define APIM_COMMON_DIAG_CODES_H

#define DIAG_CODES(X)                                                                           \
    X(DC_IO, "APIM1000", DIAG_ERROR, "cannot-read-file")                                        \
    X(DC_SYNTAX, "APIM1001", DIAG_ERROR, "json-syntax")                                         \
    X(DC_BAD_CHAR, "APIM1002", DIAG_ERROR, "json-invalid-character")                            \
    X(DC_UNTERMINATED_STRING, "APIM1003", DIAG_ERROR, "json-unterminated-string")               \
    X(DC_BAD_ESCAPE, "APIM1004", DIAG_ERROR, "json-invalid-escape")                             \
    X(DC_UNTERMINATED_COMMENT, "APIM1005", DIAG_ERROR, "json-unterminated-comment")             \
    X(DC_BAD_NUMBER, "APIM1006", DIAG_ERROR, "json-invalid-number")                             \
    X(DC_NUMBER_RANGE, "APIM1007", DIAG_ERROR, "json-number-out-of-range")                      \
    X(DC_TOO_DEEP, "APIM1008", DIAG_ERROR, "json-nesting-too-deep")                             \
    X(DC_TOO_LARGE, "APIM1009", DIAG_ERROR, "input-too-large")                                  \
    X(DC_BAD_UTF8, "APIM1010", DIAG_ERROR, "invalid-utf8")                                      \
    X(DC_DUPLICATE_KEY, "APIM1011", DIAG_WARNING, "json-duplicate-key")                         \
    X(DC_TRAILING_COMMA, "APIM1012", DIAG_WARNING, "json-trailing-comma")                       \
    X(DC_TOO_MANY_ERRORS, "APIM1013", DIAG_ERROR, "too-many-errors")                            \
    X(DC_EMPTY_INPUT, "APIM1014", DIAG_ERROR, "empty-input")                                    \
    X(DC_UNKNOWN_DOCUMENT, "APIM1015", DIAG_ERROR, "unrecognized-document")                     \
    X(DC_NOTHING_FOUND, "APIM1016", DIAG_ERROR, "no-configuration-found")                       \
    X(DC_YAML_SYNTAX, "APIM1020", DIAG_ERROR, "yaml-syntax")                                    \
    X(DC_XML_SYNTAX, "APIM1030", DIAG_ERROR, "policy-xml-syntax")                               \
    X(DC_XML_UNCLOSED, "APIM1031", DIAG_ERROR, "policy-xml-element-not-closed")                 \
    X(DC_XML_STRAY_CLOSE, "APIM1032", DIAG_ERROR, "policy-xml-unmatched-closing-tag")           \
    X(DC_XML_ATTRIBUTE, "APIM1033", DIAG_ERROR, "policy-xml-attribute")                         \
    X(DC_XML_ENTITY, "APIM1034", DIAG_ERROR, "policy-xml-entity")                               \
    X(DC_XML_EXPRESSION, "APIM1035", DIAG_ERROR, "policy-xml-expression-not-closed")            \
    X(DC_XML_UNTERMINATED, "APIM1036", DIAG_ERROR, "policy-xml-unterminated")                   \
    X(DC_XML_ROOT, "APIM1037", DIAG_ERROR, "policy-xml-root")                                   \
    X(DC_XML_LIMIT, "APIM1038", DIAG_ERROR, "policy-xml-limit")                                 \
    X(DC_XML_LT, "APIM1039", DIAG_ERROR, "policy-xml-unescaped-less-than")                      \
    X(DC_EXPR_SYNTAX, "APIM2001", DIAG_ERROR, "expression-syntax")                              \
    X(DC_UNKNOWN_FUNCTION, "APIM2002", DIAG_ERROR, "unknown-function")                          \
    X(DC_ARG_COUNT, "APIM2003", DIAG_ERROR, "wrong-argument-count")                             \
    X(DC_ARG_TYPE, "APIM2004", DIAG_ERROR, "wrong-argument-type")                               \
    X(DC_UNDEFINED_PARAMETER, "APIM2005", DIAG_ERROR, "undefined-parameter")                    \
    X(DC_UNDEFINED_VARIABLE, "APIM2006", DIAG_ERROR, "undefined-variable")                      \
    X(DC_CYCLE, "APIM2007", DIAG_ERROR, "circular-reference")                                   \
    X(DC_NO_PROPERTY, "APIM2008", DIAG_ERROR, "missing-property-or-index")                      \
    X(DC_NOT_ALLOWED_HERE, "APIM2009", DIAG_ERROR, "function-not-allowed-here")                 \
    X(DC_EVAL, "APIM2010", DIAG_ERROR, "evaluation-failed")                                     \
    X(DC_BRACKET_TRAP, "APIM2011", DIAG_WARNING, "literal-looks-like-expression")               \
    X(DC_VALUE_TOO_LARGE, "APIM2012", DIAG_ERROR, "value-too-large")                            \
    X(DC_DEPLOY_TIME, "APIM2013", DIAG_WARNING, "known-only-at-deployment")                     \
    X(DC_UNDEFINED_LAMBDA_VAR, "APIM2014", DIAG_ERROR, "undefined-lambda-variable")             \
    X(DC_NOT_TEMPLATE, "APIM3001", DIAG_ERROR, "template-structure")                            \
    X(DC_MISSING_PARAMETER, "APIM3002", DIAG_ERROR, "missing-parameter")                        \
    X(DC_PARAM_TYPE, "APIM3003", DIAG_ERROR, "parameter-type")                                  \
    X(DC_PARAM_ALLOWED, "APIM3004", DIAG_ERROR, "parameter-not-allowed-value")                  \
    X(DC_PARAM_RANGE, "APIM3005", DIAG_ERROR, "parameter-out-of-range")                         \
    X(DC_PARAM_LENGTH, "APIM3006", DIAG_ERROR, "parameter-length")                              \
    X(DC_PARAM_UNDECLARED, "APIM3007", DIAG_ERROR, "parameter-not-declared")                    \
    X(DC_PARAM_DECL, "APIM3008", DIAG_ERROR, "parameter-declaration")                           \
    X(DC_PARAM_FILE, "APIM3010", DIAG_ERROR, "parameters-file")                                 \
    X(DC_UNKNOWN_TEMPLATE_KEY, "APIM3011", DIAG_WARNING, "unknown-template-property")           \
    X(DC_COPY, "APIM3012", DIAG_ERROR, "copy-loop")                                             \
    X(DC_RESOURCE_DECL, "APIM3013", DIAG_ERROR, "resource-declaration")                         \
    X(DC_NAME_SEGMENTS, "APIM3014", DIAG_ERROR, "resource-name-segments")                       \
    X(DC_DUPLICATE_RESOURCE, "APIM3015", DIAG_ERROR, "duplicate-resource")                      \
    X(DC_DEPENDS_ON, "APIM3016", DIAG_ERROR, "dependency-not-found")                            \
    X(DC_LINKED_TEMPLATE, "APIM3017", DIAG_WARNING, "linked-template-not-read")                 \
    X(DC_DEPLOYMENT, "APIM3018", DIAG_ERROR, "nested-deployment")                               \
    X(DC_OUTPUT, "APIM3019", DIAG_ERROR, "output")                                              \
    X(DC_UNKNOWN_RESOURCE_KEY, "APIM3020", DIAG_WARNING, "unknown-resource-property")           \
    X(DC_VARIABLE_DECL, "APIM3021", DIAG_ERROR, "variable-declaration")                         \
    X(DC_UNKNOWN_APIM_TYPE, "APIM4001", DIAG_WARNING, "unknown-apim-resource-type")             \
    X(DC_NOT_EMULATED, "APIM4002", DIAG_NOTE, "resource-type-not-emulated")                     \
    X(DC_REQUIRED_PROPERTY, "APIM4003", DIAG_ERROR, "missing-required-property")                \
    X(DC_UNKNOWN_PROPERTY, "APIM4004", DIAG_WARNING, "unknown-property")                        \
    X(DC_PROPERTY_VALUE, "APIM4005", DIAG_ERROR, "invalid-property-value")                      \
    X(DC_RESOURCE_NAME, "APIM4006", DIAG_ERROR, "invalid-resource-name")                        \
    X(DC_POLICY_NAME, "APIM4007", DIAG_ERROR, "policy-name-not-policy")                         \
    X(DC_POLICY_LINK, "APIM4008", DIAG_WARNING, "policy-link-not-read")                         \
    X(DC_API_VERSION, "APIM4009", DIAG_WARNING, "unknown-api-version")                          \
    X(DC_SIMPLE_API, "APIM4010", DIAG_ERROR, "simple-api-document")                             \
    X(DC_UNKNOWN_POLICY, "APIM4011", DIAG_ERROR, "unknown-policy")                              \
    X(DC_POLICY_SECTION, "APIM4012", DIAG_ERROR, "policy-not-allowed-in-section")               \
    X(DC_POLICY_SCOPE, "APIM4013", DIAG_ERROR, "policy-not-allowed-at-scope")                   \
    X(DC_POLICY_UNREADABLE, "APIM4014", DIAG_WARNING, "policy-text-unreadable")                 \
    X(DC_API_TYPE_UNKNOWN, "APIM4015", DIAG_WARNING, "api-type-unknown")                        \
    X(DC_POLICY_ATTR_UNKNOWN, "APIM4020", DIAG_ERROR, "policy-attribute-unknown")               \
    X(DC_POLICY_ATTR_MISSING, "APIM4021", DIAG_ERROR, "policy-attribute-missing")               \
    X(DC_POLICY_ATTR_VALUE, "APIM4022", DIAG_ERROR, "policy-attribute-value")                   \
    X(DC_POLICY_ATTR_EXPR, "APIM4023", DIAG_ERROR, "policy-expression-not-allowed")             \
    X(DC_POLICY_ATTR_EXCL, "APIM4024", DIAG_ERROR, "policy-attributes-exclusive")               \
    X(DC_POLICY_CHILD_UNKNOWN, "APIM4025", DIAG_ERROR, "policy-element-unknown")                \
    X(DC_POLICY_CHILD_MISSING, "APIM4026", DIAG_ERROR, "policy-element-missing")                \
    X(DC_POLICY_CHILD_COUNT, "APIM4027", DIAG_ERROR, "policy-element-too-many")                 \
    X(DC_POLICY_ONCE, "APIM4028", DIAG_ERROR, "policy-once-only")                               \
    X(DC_POLICY_ORDER, "APIM4029", DIAG_ERROR, "policy-element-order")                          \
    X(DC_POLICY_NOT_INSIDE, "APIM4030", DIAG_ERROR, "policy-not-allowed-inside")                \
    X(DC_POLICY_BASE_TWICE, "APIM4031", DIAG_ERROR, "policy-base-twice")                        \
    X(DC_POLICY_BASE_GLOBAL, "APIM4032", DIAG_WARNING, "policy-base-at-global-scope")           \
    X(DC_POLICY_TEXT, "APIM4033", DIAG_ERROR, "policy-element-text")                            \
    X(DC_FLOW_BEFORE_SET, "APIM4034", DIAG_ERROR, "variable-read-before-set")                   \
    X(DC_FLOW_DEFAULT_BEFORE_SET, "APIM4035", DIAG_WARNING, "variable-default-before-set")      \
    X(DC_FLOW_NEVER_SET, "APIM4036", DIAG_ERROR, "variable-never-set")                          \
    X(DC_FLOW_DEFAULT_NEVER_SET, "APIM4037", DIAG_WARNING, "variable-default-never-set")        \
    X(DC_FLOW_PRODUCT_ONLY, "APIM4038", DIAG_WARNING, "variable-set-by-product-only")           \
    X(DC_WORKSPACE_POLICY, "APIM4039", DIAG_WARNING, "workspace-policy-not-composed")           \
    X(DC_BAD_METHOD, "APIM5001", DIAG_ERROR, "invalid-http-method")                             \
    X(DC_URL_TEMPLATE, "APIM5002", DIAG_ERROR, "url-template-syntax")                           \
    X(DC_TEMPLATE_PARAM_UNDECLARED, "APIM5003", DIAG_ERROR, "template-parameter-undeclared")    \
    X(DC_TEMPLATE_PARAM_UNUSED, "APIM5004", DIAG_ERROR, "template-parameter-unused")            \
    X(DC_DUPLICATE_OPERATION, "APIM5005", DIAG_ERROR, "duplicate-operation")                    \
    X(DC_DUPLICATE_PATH, "APIM5006", DIAG_ERROR, "duplicate-api-path")                          \
    X(DC_VERSION_SET_REF, "APIM5007", DIAG_ERROR, "version-set-not-found")                      \
    X(DC_PRODUCT_LINK, "APIM5008", DIAG_ERROR, "product-link-not-found")                        \
    X(DC_SUBSCRIPTION_SCOPE, "APIM5009", DIAG_ERROR, "subscription-scope-not-found")            \
    X(DC_BACKEND_REF, "APIM5010", DIAG_ERROR, "backend-not-found")                              \
    X(DC_NAMED_VALUE_REF, "APIM5011", DIAG_ERROR, "named-value-not-found")                      \
    X(DC_VERSIONING, "APIM5012", DIAG_ERROR, "api-versioning")                                  \
    X(DC_REVISION, "APIM5013", DIAG_ERROR, "api-revision")                                      \
    X(DC_API_PATH, "APIM5014", DIAG_ERROR, "invalid-api-path")                                  \
    X(DC_LOGGER_REF, "APIM5015", DIAG_ERROR, "logger-not-found")                                \
    X(DC_NO_OPERATIONS, "APIM5017", DIAG_WARNING, "api-without-operations")                     \
    X(DC_SERVICE_URL, "APIM5019", DIAG_ERROR, "invalid-service-url")                            \
    X(DC_GATEWAY_REF, "APIM5020", DIAG_ERROR, "gateway-link-not-found")                         \
    X(DC_API_REF, "APIM5021", DIAG_ERROR, "api-not-found")                                      \
    X(DC_FRAGMENT_REF, "APIM5022", DIAG_ERROR, "policy-fragment-not-found")                     \
    X(DC_SUBSCRIPTION_STATE, "APIM5023", DIAG_WARNING, "subscription-not-active")               \
    X(DC_SUBSCRIPTION_KEY, "APIM5024", DIAG_ERROR, "invalid-subscription-key")                  \
    X(DC_RESOURCE_CONFLICT, "APIM5025", DIAG_ERROR, "conflicting-resource-definition")          \
    X(DC_BUILTIN_ENTITY, "APIM5026", DIAG_NOTE, "built-in-entity")                              \
    X(DC_UNUSUAL_METHOD, "APIM5027", DIAG_WARNING, "unusual-http-method")                       \
    X(DC_POLICY_NOT_APPLIED, "APIM6001", DIAG_WARNING, "policy-not-applied")                    \
    X(DC_PLAN_SERVICE, "APIM6002", DIAG_ERROR, "plan-service")                                  \
    X(DC_PLAN_API_FILTER, "APIM6003", DIAG_ERROR, "plan-api-not-found")                         \
    X(DC_API_NOT_SERVED, "APIM6004", DIAG_WARNING, "api-not-served")                            \
    X(DC_FAILS_CLOSED, "APIM6005", DIAG_WARNING, "operation-fails-closed")                      \
    X(DC_BACKEND_URL_UNRESOLVED, "APIM6006", DIAG_WARNING, "backend-url-not-resolved")          \
    X(DC_IMPORT_NOT_SUPPORTED, "APIM7001", DIAG_WARNING, "import-format-not-supported")         \
    X(DC_IMPORT_LINK, "APIM7002", DIAG_WARNING, "import-link-not-resolved")                     \
    X(DC_OPENAPI_VERSION, "APIM7003", DIAG_ERROR, "openapi-version")                            \
    X(DC_OPENAPI_STRUCTURE, "APIM7004", DIAG_ERROR, "openapi-structure")                        \
    X(DC_OPENAPI_METHOD, "APIM7005", DIAG_ERROR, "openapi-unknown-method")                      \
    X(DC_OPENAPI_REF_NOT_FOUND, "APIM7006", DIAG_ERROR, "openapi-ref-not-found")                \
    X(DC_OPENAPI_REF_CYCLE, "APIM7007", DIAG_ERROR, "openapi-ref-circular")                     \
    X(DC_OPENAPI_EXTERNAL_REF, "APIM7008", DIAG_ERROR, "openapi-external-ref")                  \
    X(DC_OPENAPI_PATH_PARAM, "APIM7009", DIAG_ERROR, "openapi-url-parameter")                   \
    X(DC_OPENAPI_DUPLICATE_ID, "APIM7010", DIAG_WARNING, "openapi-duplicate-operation-id")      \
    X(DC_OPENAPI_NOT_IMPORTED, "APIM7011", DIAG_WARNING, "openapi-part-not-imported")           \
    X(DC_OPENAPI_SERVER_URL, "APIM7012", DIAG_WARNING, "openapi-server-url")                    \
    X(DC_OPENAPI_SWAGGER_YAML, "APIM7013", DIAG_ERROR, "swagger-yaml-not-supported")            \
    X(DC_OPENAPI_TOO_LARGE, "APIM7014", DIAG_ERROR, "openapi-too-large")                        \
    X(DC_IMPORT_FORMAT_MISMATCH, "APIM7015", DIAG_WARNING, "import-format-mismatch")            \
    X(DC_IMPORT_VALUE, "APIM7016", DIAG_ERROR, "import-value")                                  \
    X(DC_OPERATION_CONTRACT, "APIM7017", DIAG_ERROR, "operation-contract-too-large")            \
    X(DC_APIOPS_UNKNOWN, "APIM7050", DIAG_WARNING, "apiops-not-an-artifact")                    \
    X(DC_APIOPS_MISSING, "APIM7051", DIAG_ERROR, "apiops-information-file-missing")             \
    X(DC_APIOPS_MALFORMED, "APIM7052", DIAG_ERROR, "apiops-artifact-malformed")                 \
    X(DC_APIOPS_LINK, "APIM7053", DIAG_WARNING, "apiops-link-not-found")                        \
    X(DC_APIOPS_SPEC_UNUSED, "APIM7054", DIAG_WARNING, "apiops-specification-not-used")         \
    X(DC_APIOPS_SECRET, "APIM7055", DIAG_WARNING, "apiops-secret-without-value")                \
    X(DC_APIOPS_IGNORED, "APIM7056", DIAG_WARNING, "apiops-key-ignored")                        \
    X(DC_APIOPS_OPERATION, "APIM7057", DIAG_ERROR, "apiops-operation-not-found")                \
    X(DC_CONFIG_INVALID, "APIM7060", DIAG_ERROR, "apiops-configuration-invalid")                \
    X(DC_CONFIG_NO_MATCH, "APIM7061", DIAG_WARNING, "apiops-override-matches-nothing")          \
    X(DC_CONFIG_TOKEN, "APIM7062", DIAG_WARNING, "apiops-token-not-replaced")                   \
    X(DC_CONFIG_DUPLICATE, "APIM7063", DIAG_WARNING, "apiops-override-duplicate")               \
    X(DC_CONFIG_UNUSED, "APIM7064", DIAG_WARNING, "apiops-configuration-not-used")              \
    X(DC_CSX_SYNTAX, "APIM8001", DIAG_ERROR, "expression-csharp-syntax")                        \
    X(DC_CSX_UNTERMINATED, "APIM8002", DIAG_ERROR, "expression-unterminated")                   \
    X(DC_CSX_BAD_CHAR, "APIM8003", DIAG_ERROR, "expression-invalid-character")                  \
    X(DC_CSX_BAD_LITERAL, "APIM8004", DIAG_ERROR, "expression-invalid-literal")                 \
    X(DC_CSX_NOT_ALLOWED, "APIM8005", DIAG_ERROR, "expression-construct-not-allowed")           \
    X(DC_CSX_TOO_COMPLEX, "APIM8006", DIAG_ERROR, "expression-too-complex")                     \
    X(DC_CSX_NOT_A_TYPE, "APIM8007", DIAG_ERROR, "expression-expected-type")                    \
    X(DC_CSX_NOT_ASSIGNABLE, "APIM8008", DIAG_ERROR, "expression-not-assignable")               \
    X(DC_CSX_UNKNOWN_NAME, "APIM8010", DIAG_ERROR, "expression-unknown-name")                   \
    X(DC_CSX_UNKNOWN_MEMBER, "APIM8011", DIAG_ERROR, "expression-unknown-member")               \
    X(DC_CSX_ARG_COUNT, "APIM8012", DIAG_ERROR, "expression-wrong-argument-count")              \
    X(DC_CSX_TYPE_NOT_ALLOWED, "APIM8013", DIAG_ERROR, "expression-type-not-allowed")           \
    X(DC_CSX_NO_RETURN, "APIM8014", DIAG_ERROR, "expression-block-without-return")              \
    X(DC_CSX_VOID_VALUE, "APIM8015", DIAG_ERROR, "expression-void-value")                       \
    X(DC_CSX_VARIABLE_TYPE, "APIM8016", DIAG_ERROR, "expression-variable-type-not-allowed")     \
    X(DC_STREAM_UNKNOWN_KEY, "APIM9001", DIAG_ERROR, "stream-unknown-key")                      \
    X(DC_STREAM_UNKNOWN_SOURCE, "APIM9002", DIAG_ERROR, "stream-unknown-source-type")           \
    X(DC_STREAM_UNKNOWN_OP, "APIM9003", DIAG_ERROR, "stream-unknown-operator")                  \
    X(DC_STREAM_UNKNOWN_OUTPUT, "APIM9004", DIAG_ERROR, "stream-unknown-output-type")           \
    X(DC_STREAM_UNKNOWN_AGG, "APIM9005", DIAG_ERROR, "stream-unknown-aggregate")                \
    X(DC_STREAM_MISSING, "APIM9006", DIAG_ERROR, "stream-missing-field")                        \
    X(DC_STREAM_DURATION, "APIM9007", DIAG_ERROR, "stream-invalid-duration")                    \
    X(DC_STREAM_WINDOW_MULTIPLE, "APIM9008", DIAG_ERROR, "stream-window-not-multiple-of-batch") \
    X(DC_STREAM_SLIDE, "APIM9009", DIAG_ERROR, "stream-slide-longer-than-window")               \
    X(DC_STREAM_CHECKPOINT, "APIM9010", DIAG_ERROR, "stream-checkpoint-required")               \
    X(DC_STREAM_NO_OUTPUT, "APIM9011", DIAG_ERROR, "stream-no-output")                          \
    X(DC_STREAM_INPUT, "APIM9012", DIAG_ERROR, "stream-unknown-input")                          \
    X(DC_STREAM_UNION, "APIM9013", DIAG_ERROR, "stream-union-inputs")                           \
    X(DC_STREAM_ELEMENT, "APIM9014", DIAG_ERROR, "stream-element-type-mismatch")                \
    X(DC_STREAM_LISTEN, "APIM9015", DIAG_ERROR, "stream-invalid-listen-address")                \
    X(DC_STREAM_LISTEN_CLASH, "APIM9016", DIAG_ERROR, "stream-listen-address-in-use")           \
    X(DC_STREAM_OPERATION, "APIM9017", DIAG_ERROR, "stream-operation-not-found")                \
    X(DC_STREAM_LOGGER, "APIM9018", DIAG_ERROR, "stream-logger-not-event-hub")                  \
    X(DC_STREAM_DUPLICATE, "APIM9019", DIAG_ERROR, "stream-duplicate-job")                      \
    X(DC_STREAM_ARM_EXPRESSION, "APIM9020", DIAG_WARNING, "stream-expression-not-evaluated")    \
    X(DC_STREAM_VALUE, "APIM9021", DIAG_ERROR, "stream-invalid-value")                          \
    X(DC_STREAM_INGEST_BACKEND, "APIM9022", DIAG_WARNING, "stream-ingest-backend-not-serve")    \
    X(DC_STREAM_INGEST_NO_LISTEN, "APIM9023", DIAG_ERROR, "stream-ingest-without-listen")       \
    X(DC_STREAM_GATEWAY_LOG_FIELD, "APIM9024", DIAG_WARNING, "stream-unknown-gateway-log-field")

enum diag_code {
#define X(id, code, level, slug) id,
    DIAG_CODES(X)
#undef X
    DIAG_CODE_COUNT
};

#endif
