/* csx_natives.c - the sparse table of natives by member id: a member
 * absent here is reported at run time as not run by apimlocal. */
#include "csx_natives.h"

const csx_native csx_natives[CSXM_COUNT] = {
#define CSX_NATIVE_ROW(id, fn) [id] = fn,
    CSX_NATIVES_CTX(CSX_NATIVE_ROW) CSX_NATIVES_JWT(CSX_NATIVE_ROW) CSX_NATIVES_STR(CSX_NATIVE_ROW)
        CSX_NATIVES_JSON(CSX_NATIVE_ROW) CSX_NATIVES_LINQ(CSX_NATIVE_ROW)
            CSX_NATIVES_TIME(CSX_NATIVE_ROW) CSX_NATIVES_OUT(CSX_NATIVE_ROW)
                CSX_NATIVES_REGEX(CSX_NATIVE_ROW)
#undef CSX_NATIVE_ROW
};
