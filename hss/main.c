/* ims-hss: the HSS daemon (Cx server on MariaDB); see hss_daemon.h. */
#include "hss_daemon.h"

int main(int argc, char **argv)
{
	return ims_daemon_main(&hss_daemon_spec, argc, argv);
}
