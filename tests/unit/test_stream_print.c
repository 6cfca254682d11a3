/* Unit tests for pprint's bytes (runtime/stream/stream_repr.c): print()
 * of each record (str() at the top), Python 3 repr() of str (quote choice, escapes, printable
 * non-ASCII kept), int, float (shortest round trip, exponent rules), None/True/False, tuples,
 * dicts, and the time line of datetime.fromtimestamp. Each expected string
 * is what CPython 3 prints. */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "cunit_run.h"
#include "stream_testutil.h"

static void repr_is(json_t *key, json_t *val, const char *want)
{
    char out[256];
    CU_ASSERT_EQUAL(stream_repr(key, val, out, sizeof(out)), 0);
    CU_ASSERT_STRING_EQUAL(out, want);
    if (strcmp(out, want) != 0)
        fprintf(stderr, "got %s want %s\n", out, want);
    json_decref(key);
    json_decref(val);
}

static void str_is(const char *s, const char *want)
{
    repr_is(NULL, json_stringn_nocheck(s, strlen(s)), want);
}

static void test_str(void)
{
    str_is("hello", "'hello'");
    str_is("", "''");
    str_is("it's", "\"it's\"");
    str_is("say \"hi\"", "'say \"hi\"'");
    str_is("it's \"x\"", "'it\\'s \"x\"'");
    str_is("a\tb\nc\rd\\", "'a\\tb\\nc\\rd\\\\'");
    str_is("\x01\x1f\x7f", "'\\x01\\x1f\\x7f'");
    str_is("caf\xc3\xa9 \xe6\x97\xa5\xe6\x9c\xac", "'caf\xc3\xa9 \xe6\x97\xa5\xe6\x9c\xac'");
    str_is("\xc2\xa0\xc2\x85", "'\\xa0\\x85'");              /* NBSP, NEL: not printable */
    str_is("\xe2\x80\xa8\xef\xbb\xbf", "'\\u2028\\ufeff'");  /* LINE SEPARATOR, BOM */
    str_is("\xf0\x9f\x98\x80", "'\xf0\x9f\x98\x80'");        /* emoji: printable */
    str_is("\xf3\xb0\x80\x80", "'\\U000f0000'");             /* private use plane */
    str_is("\xcd\xb8\xe0\xb6\xa5", "'\\u0378\xe0\xb6\xa5'"); /* unassigned U+0378 */
}

static void test_numbers(void)
{
    repr_is(NULL, json_integer(-42), "-42");
    repr_is(NULL, json_real(1.0), "1.0");
    repr_is(NULL, json_real(0.1), "0.1");
    repr_is(NULL, json_real(2.5), "2.5");
    repr_is(NULL, json_real(-0.0), "-0.0");
    repr_is(NULL, json_real(1e16), "1e+16");
    repr_is(NULL, json_real(1e15), "1000000000000000.0");
    repr_is(NULL, json_real(123456789.123), "123456789.123");
    repr_is(NULL, json_real(0.0001), "0.0001");
    repr_is(NULL, json_real(0.00001), "1e-05");
    repr_is(NULL, json_real(1.5e-7), "1.5e-07");
    repr_is(NULL, json_real(1e22), "1e+22");
    repr_is(NULL, json_real(1.0 / 3.0), "0.3333333333333333");
    repr_is(NULL, json_real(123.456e300), "1.23456e+302");
}

static void test_structures(void)
{
    repr_is(json_string("hello"), json_integer(1), "('hello', 1)");
    repr_is(json_pack("[si]", "a", 2), json_real(0.5), "(('a', 2), 0.5)");
    repr_is(json_pack("[s]", "a"), json_null(), "(('a',), None)");
    repr_is(NULL, json_pack("{sbsnso}", "t", 1, "n", "l", json_pack("[ib]", 1, 0)),
            "{'t': True, 'n': None, 'l': [1, False]}");
}

static void test_time(void)
{
    char t[64];
    CU_ASSERT_EQUAL(stream_pprint_time(1357008430000LL, t, sizeof(t)), 0);
    CU_ASSERT_STRING_EQUAL(t, "2013-01-01 02:47:10");
    CU_ASSERT_EQUAL(stream_pprint_time(1500, t, sizeof(t)), 0);
    CU_ASSERT_STRING_EQUAL(t, "1970-01-01 00:00:01.500000");
    setenv("TZ", "Asia/Kolkata", 1); /* +05:30: the local zone, as fromtimestamp */
    tzset();
    CU_ASSERT_EQUAL(stream_pprint_time(0, t, sizeof(t)), 0);
    CU_ASSERT_STRING_EQUAL(t, "1970-01-01 05:30:00");
    stream_test_utc();
}

/* The header is printed for an empty batch too; the scala style. */
static void test_empty_and_scala(void)
{
    char *got = stream_test_run("{\"batchInterval\":1000,\"sources\":[{\"name\":\"q\",\"type\":"
                                "\"queue\",\"batches\":[[\"a\"]]}],\"pipeline\":[{\"op\":\"map\","
                                "\"pair\":{\"key\":\"$\",\"value\":1}}],\"outputs\":[{\"type\":"
                                "\"print\",\"style\":\"scala\"},{\"type\":\"print\"}]}",
                                2000);
    CU_ASSERT_STRING_EQUAL(
        got,
        "-------------------------------------------\nTime: 1000 ms\n"
        "-------------------------------------------\n(a,1)\n\n" STREAM_HDR(
            "1970-01-01 00:00:01") "('a', 1)\n\n"
                                   "-------------------------------------------\nTime: 2000 ms\n"
                                   "-------------------------------------------\n\n" STREAM_HDR(
                                       "1970-01-01 00:00:02") "\n");
    free(got);
}

/* pprint is print(record): str() at the top, so text shows without quotes,
 * while inside a tuple, list or dict it is repr(). */
static void test_print_is_str(void)
{
    char *got = stream_test_run("{\"batchInterval\":1000,\"sources\":[{\"name\":\"q\",\"type\":"
                                "\"queue\",\"batches\":[[\"it's\",3,2.5,null,[\"a\"],{\"k\":"
                                "\"v\"}]]}],\"pipeline\":[],\"outputs\":[{\"type\":\"print\"}]}",
                                1000);
    CU_ASSERT_STRING_EQUAL(got, STREAM_HDR("1970-01-01 00:00:01") "it's\n3\n2.5\nNone\n['a']\n"
                                                                  "{'k': 'v'}\n\n");
    free(got);
}

int main(void)
{
    stream_test_utc();
    CU_TestInfo tests[] = {
        { "str", test_str },
        { "numbers", test_numbers },
        { "structures", test_structures },
        { "time", test_time },
        { "empty_and_scala", test_empty_and_scala },
        { "print_is_str", test_print_is_str },
        CU_TEST_INFO_NULL,
    };
    CU_SuiteInfo suites[] = { { "stream_print", NULL, NULL, NULL, NULL, tests },
                              CU_SUITE_INFO_NULL };
    return cunit_run(suites);
}
