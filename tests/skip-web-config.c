/* SPDX-License-Identifier: MIT */
/* Stands in for a unit suite of --web.config.file when it is not built: skips, saying why. */
#include <stdio.h>

int
main(void)
{
	fputs("SKIP: built without --web.config.file support (configure --disable-web-config, or "
	      "libyaml, GnuTLS or libxcrypt missing): nothing to test\n", stderr);
	return 77;
}
