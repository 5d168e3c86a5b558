/*
 * ims-hssctl admin commands: changes that the S-CSCF serving a user must
 * learn about. They write the database and queue an HSS-initiated request
 * (store_queue.h) that ims-hss sends: RTR (TS 29.228 6.1.3) for
 *   subscriber deregister IMPI [--impu URI] [--reason R] [--reason-info T] [--wait S]
 * and PPR (6.1.6) after
 *   ifc add ... (the IMPU's profile changed), impu bar|unbar URI,
 *   subscriber push-profile URI
 * when an S-CSCF is assigned to the IMPU. admin-request show ID prints a row.
 */
#ifndef HSSCTL_ADMIN_H
#define HSSCTL_ADMIN_H

#include "hssctl.h"

/* argv from the command word on. Returns the exit status of a command it
 * handles, or -1 when the command is not one of these (main goes on). */
int hssctl_admin_dispatch(struct hssctl *h, int argc, char **argv);

#endif
