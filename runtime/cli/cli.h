/* cli.h - the subcommands of the apim binary. Each takes argc/argv with
 * argv[0] being the subcommand name, and returns the process exit status:
 * 0 success, 1 the operation failed (its reasons printed), 2 usage error.
 * cli.c is the only place that sees both the compiler and the runtime. */
#ifndef APIM_CLI_CLI_H
#define APIM_CLI_CLI_H

#include <stdio.h>

enum cli_exit {
    CLI_OK = 0,
    CLI_FAILED = 1,
    CLI_USAGE = 2
};

int cli_validate(int argc, char **argv);

/* Prints "apim: <message>" and a hint to stderr; returns CLI_USAGE. */
int cli_usage_error(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
