/*
 * dia_msg: creating Cx/Sh requests and answers with the mandatory
 * envelope (TS 29.229 6.1 / TS 29.329 6.1: Session-Id, application ids,
 * Auth-Session-State NO_STATE_MAINTAINED, Origin-*, Destination-*).
 */
#include <errno.h>

#include "dia_internal.h"

static unsigned app_of_id(uint32_t id)
{
	return id == CX_APP_ID ? DIA_APP_CX : id == SH_APP_ID ? DIA_APP_SH : 0;
}

int dia_new_request(unsigned app, uint32_t cmd_code, const char *dest_realm,
		    const char *dest_host, struct msg **out)
{
	struct dict_object *cmd = dia_cmd(cmd_code, true);
	struct msg *m = NULL;
	int ret;

	*out = NULL;
	if (!cmd || !dia_app_id(app) || !dest_realm)
		return -EINVAL;
	ret = dia_neg(fd_msg_new(cmd, MSGFL_ALLOC_ETEID, &m));
	if (ret != 0)
		return ret;
	ret = dia_neg(fd_msg_new_session(m, (os0_t)"ims", 3));
	if (ret == 0)
		ret = dia_add_app_ids(m, app);
	if (ret == 0)
		ret = dia_neg(fd_msg_add_origin(m, 0));
	if (ret == 0 && dest_host)
		ret = dia_add_utf8(m, DIA_AVP_DESTINATION_HOST, dest_host);
	if (ret == 0)
		ret = dia_add_utf8(m, DIA_AVP_DESTINATION_REALM, dest_realm);
	if (ret != 0) {
		fd_msg_free(m);
		return ret;
	}
	*out = m;
	return 0;
}

int dia_new_answer(struct msg **msg)
{
	struct msg *m;
	struct msg_hdr *hdr = NULL;
	unsigned app;
	int ret;

	if (!msg || !*msg)
		return -EINVAL;
	if (fd_msg_hdr(*msg, &hdr) != 0 || !(hdr->msg_flags & CMD_FLAG_REQUEST))
		return -EINVAL;
	app = app_of_id(hdr->msg_appl);
	m = *msg;
	/* Copies Session-Id and Proxy-Info, links the request to the answer. */
	ret = dia_neg(fd_msg_new_answer_from_req(fd_g_config->cnf_dict, &m, 0));
	if (ret != 0)
		return ret;
	*msg = m;
	if (app)
		ret = dia_add_app_ids(m, app);
	if (ret == 0)
		ret = dia_neg(fd_msg_add_origin(m, 0));
	return ret; /* on error *msg is the (incomplete) answer: caller frees */
}

struct msg *dia_answer_request(struct msg *ans)
{
	struct msg *q = NULL;

	if (!ans || fd_msg_answ_getq(ans, &q) != 0)
		return NULL;
	return q;
}

int dia_send_answer(struct msg **ans)
{
	int ret;

	if (!ans || !*ans)
		return -EINVAL;
	ret = dia_neg(fd_msg_send(ans, NULL, NULL));
	if (*ans) { /* not taken by freeDiameter */
		fd_msg_free(*ans);
		*ans = NULL;
	}
	return ret;
}
