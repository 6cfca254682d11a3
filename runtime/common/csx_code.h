/* csx_code.h - layout of a compiled policy expression (a "program blob").
 *
 * The only contract between compiler/csx/csx_emit.c (writer) and
 * runtime/csx/csx_load.c (verifier). A program is ONE self-contained byte
 * string, pointer-free, little-endian, readable at any alignment (every
 * field is read byte by byte, csx_rd16/csx_rd32/csx_rd64 below, never
 * through a cast pointer), so a plan
 * stores it like any other string. Blobs are untrusted until csx_prog_load
 * has checked every field, index, jump and the stack depth of every path.
 * Change a layout: bump CSX_CODE_VERSION.
 *
 * Header, CSX_HEADER_SIZE bytes:
 *
 *   OFFSET  SIZE  FIELD
 *      0      4   magic "CSX\x01"
 *      4      2   version (CSX_CODE_VERSION)
 *      6      2   flags: CSX_FLAG_BLOCK (the source was @{...})
 *      8      4   number of functions F (1..CSX_MAX_FUNCS; 0 is the body)
 *     12      4   number of instructions I (1..CSX_MAX_CODE)
 *     16      4   number of constants K (..CSX_MAX_CONSTS)
 *     20      4   number of line entries L (..I)
 *     24      4   string pool size S (..CSX_MAX_POOL)
 *     28      4   local slots of the frame (..CSX_MAX_SLOTS)
 *
 * The sections follow in this order, unpadded; the blob's size is exactly
 * 32 + 16F + 8I + 16K + 8L + S.
 *
 * Function, CSX_FUNC_SIZE (16) bytes. Function 0 is the expression; the
 * others are its lambdas. All functions share ONE frame of local slots:
 * a lambda runs while the function that made it runs (natives call it
 * back synchronously: LINQ is evaluated eagerly), so its parameters and
 * the locals it closes over are plain slots of that frame.
 *      0      4   first instruction (an index into the code section)
 *      4      4   number of instructions (>= 1)
 *      8      4   first parameter slot
 *     12      2   number of parameters (slots first .. first + n - 1)
 *     14      2   reserved, zero
 *
 * Instruction, CSX_INSN_SIZE (8) bytes: {op u8, a u8, b u16, c u32}. The
 * opcodes and the meaning of a, b and c are csx_ops.def. A jump target is
 * an instruction index relative to its function's first instruction.
 *
 * Constant, CSX_CONST_SIZE (16) bytes:
 *      0      1   kind: CSX_K_STRING, CSX_K_INT, CSX_K_LONG, CSX_K_DOUBLE,
 *                 CSX_K_CHAR
 *      1      3   reserved, zero
 *      4      4   string: its length in bytes; others: zero
 *      8      8   string: offset in the pool; INT, LONG: the value (int64);
 *                 DOUBLE: its IEEE-754 bits; CHAR: the code point
 *
 * Line entry, CSX_LINE_SIZE (8) bytes, sorted by instruction, strictly:
 *      0      4   instruction (absolute index)
 *      4      4   byte offset in the expression's text ('@' is 0) of the
 *                 construct that instruction and the ones up to the next
 *                 entry come from (runtime errors are located by it)
 *
 * String pool: the bytes of the string constants (UTF-8, no NULs needed).
 */
#ifndef APIM_COMMON_CSX_CODE_H
#define APIM_COMMON_CSX_CODE_H

#include <stdint.h>
#include <string.h>

#define CSX_MAGIC        "CSX\x01"
#define CSX_CODE_VERSION 1
#define CSX_HEADER_SIZE  32
#define CSX_FUNC_SIZE    16
#define CSX_INSN_SIZE    8
#define CSX_CONST_SIZE   16
#define CSX_LINE_SIZE    8
#define CSX_FLAG_BLOCK   1u
#define CSX_NONE         0xFFFFFFFFu

/* Caps: a 64 KiB expression (APIM_MAX_EXPR_LENGTH) stays far below them. */
#define CSX_MAX_FUNCS  4096u
#define CSX_MAX_CODE   (1u << 20)
#define CSX_MAX_CONSTS (1u << 16)
#define CSX_MAX_POOL   (1u << 20)
#define CSX_MAX_SLOTS  65535u
#define CSX_MAX_COUNT  4096u /* values one NEWARR or CONCAT takes */
#define CSX_MAX_STACK  1024u /* stack depth of one function */

enum csx_const_kind {
    CSX_K_STRING = 1,
    CSX_K_INT = 2,
    CSX_K_LONG = 3,
    CSX_K_DOUBLE = 4,
    CSX_K_CHAR = 5
};

enum csx_operand {
    CSXO_NONE,
    CSXO_ARGC,
    CSXO_TARG,
    CSXO_ALIGN,
    CSXO_CONST,
    CSXO_KOPT,
    CSXO_NAME,
    CSXO_SLOT,
    CSXO_SLOT2,
    CSXO_JUMP,
    CSXO_FUNC,
    CSXO_MEMBER,
    CSXO_TYPE,
    CSXO_COUNT
};

enum csx_op {
#define CSX_OP(name, a, b, c, pop, popx, push) CSX_OP_##name,
#include "csx_ops.def"
#undef CSX_OP
    CSX_OP_COUNT
};

struct csx_insn {
    uint8_t op, a;
    uint16_t b;
    uint32_t c;
};

static inline uint16_t csx_rd16(const unsigned char *p)
{
    return (uint16_t)(p[0] | (unsigned)p[1] << 8);
}

static inline uint32_t csx_rd32(const unsigned char *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static inline uint64_t csx_rd64(const unsigned char *p)
{
    return (uint64_t)csx_rd32(p) | (uint64_t)csx_rd32(p + 4) << 32;
}

/* The instruction at p (CSX_INSN_SIZE bytes). */
static inline struct csx_insn csx_rd_insn(const unsigned char *p)
{
    return (struct csx_insn){ p[0], p[1], csx_rd16(p + 2), csx_rd32(p + 4) };
}

#endif
