/* main.c - the apim binary: everything is in cli.c and the table. */
#include "cli.h"

int main(int argc, char **argv)
{
    return cli_main(argc, argv);
}
