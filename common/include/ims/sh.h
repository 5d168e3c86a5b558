/*
 * sh: protocol constants of the Sh interface (TS 29.328 / TS 29.329).
 *
 * Codes only; the dictionary is built from common/diameter/dict_sh.c.
 * Sh reuses some Cx AVPs (Public-Identity, Server-Name, Supported-Features,
 * Wildcarded-*, Session-Priority): use the CX_AVP_* codes for those.
 * Experimental-Result-Code values are in cx.h (DIA_EXP_*), shared by both.
 * Vendor-Id of every SH_AVP_* is DIA_VENDOR_3GPP (10415).
 */
#ifndef IMS_SH_H
#define IMS_SH_H

#define SH_APP_ID 16777217u /* TS 29.329 6.1 */

enum sh_cmd { /* TS 29.329 6.1 */
	SH_CMD_UDR = 306, /* User-Data (AS -> HSS) */
	SH_CMD_PUR = 307, /* Profile-Update (AS -> HSS) */
	SH_CMD_SNR = 308, /* Subscribe-Notifications (AS -> HSS) */
	SH_CMD_PNR = 309, /* Push-Notification (HSS -> AS) */
};

enum sh_avp { /* TS 29.329 6.3 */
	SH_AVP_USER_IDENTITY = 700,
	SH_AVP_MSISDN = 701,
	SH_AVP_USER_DATA = 702, /* dictionary name "User-Data-29.329" (606 is Cx User-Data) */
	SH_AVP_DATA_REFERENCE = 703,
	SH_AVP_SERVICE_INDICATION = 704,
	SH_AVP_SUBS_REQ_TYPE = 705,
	SH_AVP_REQUESTED_DOMAIN = 706,
	SH_AVP_CURRENT_LOCATION = 707,
	SH_AVP_IDENTITY_SET = 708,
	SH_AVP_EXPIRY_TIME = 709,
	SH_AVP_SEND_DATA_INDICATION = 710,
	SH_AVP_DSAI_TAG = 711,
	SH_AVP_ONE_TIME_NOTIFICATION = 712,
	SH_AVP_REQUESTED_NODES = 713,
	SH_AVP_SERVING_NODE_INDICATION = 714,
	SH_AVP_REPOSITORY_DATA_ID = 715,
	SH_AVP_SEQUENCE_NUMBER = 716,
	SH_AVP_PRE_PAGING_SUPPORTED = 717,
	SH_AVP_LOCAL_TIME_ZONE_INDICATION = 718,
	SH_AVP_UDR_FLAGS = 719,
	SH_AVP_CALL_REFERENCE_INFO = 720,
	SH_AVP_CALL_REFERENCE_NUMBER = 721,
	SH_AVP_AS_NUMBER = 722,
};

enum sh_data_reference { /* 703, TS 29.329 6.3.4 */
	SH_DREF_REPOSITORY_DATA = 0,
	SH_DREF_IMS_PUBLIC_IDENTITY = 10,
	SH_DREF_IMS_USER_STATE = 11,
	SH_DREF_SCSCF_NAME = 12,
	SH_DREF_INITIAL_FILTER_CRITERIA = 13,
	SH_DREF_LOCATION_INFORMATION = 14,
	SH_DREF_USER_STATE = 15,
	SH_DREF_CHARGING_INFORMATION = 16,
	SH_DREF_MSISDN = 17,
	SH_DREF_PSI_ACTIVATION = 18,
	SH_DREF_DSAI = 19,
	SH_DREF_RESERVED_20 = 20,
	SH_DREF_SERVICE_LEVEL_TRACE_INFO = 21,
	SH_DREF_IP_ADDRESS_SECURE_BINDING_INFORMATION = 22,
	SH_DREF_SERVICE_PRIORITY_LEVEL = 23,
	SH_DREF_SMS_REGISTRATION_INFO = 24,
	SH_DREF_UE_REACHABILITY_FOR_IP = 25,
	SH_DREF_TADS_INFORMATION = 26,
	SH_DREF_STN_SR = 27,
	SH_DREF_UE_SRVCC_CAPABILITY = 28,
	SH_DREF_EXTENDED_PRIORITY = 29,
	SH_DREF_CSRN = 30,
	SH_DREF_REFERENCE_LOCATION_INFORMATION = 31,
	SH_DREF_IMSI = 32,
	SH_DREF_IMS_PRIVATE_USER_IDENTITY = 33,
	SH_DREF_IMEISV = 34,
	SH_DREF_UE_5G_SRVCC_CAPABILITY = 35,
};

enum sh_subs_req_type { SH_SUBSCRIBE = 0, SH_UNSUBSCRIBE = 1 };                 /* 705 */
enum sh_requested_domain { SH_CS_DOMAIN = 0, SH_PS_DOMAIN = 1 };               /* 706 */
enum sh_current_location {                                                     /* 707 */
	SH_DO_NOT_NEED_INITIATE_ACTIVE_LOCATION_RETRIEVAL = 0,
	SH_INITIATE_ACTIVE_LOCATION_RETRIEVAL = 1,
};
enum sh_identity_set {                                                         /* 708 */
	SH_ALL_IDENTITIES = 0,
	SH_REGISTERED_IDENTITIES = 1,
	SH_IMPLICIT_IDENTITIES = 2,
	SH_ALIAS_IDENTITIES = 3,
};
enum sh_send_data_indication {                                                 /* 710 */
	SH_USER_DATA_NOT_REQUESTED = 0,
	SH_USER_DATA_REQUESTED = 1,
};
#define SH_ONE_TIME_NOTIFICATION_REQUESTED 0   /* 712 */
#define SH_ONLY_SERVING_NODES_REQUIRED 0       /* 714 */
enum sh_pre_paging_supported { SH_PREPAGING_NOT_SUPPORTED = 0, SH_PREPAGING_SUPPORTED = 1 }; /* 717 */
enum sh_local_time_zone_indication {                                           /* 718 */
	SH_ONLY_LOCAL_TIME_ZONE_REQUESTED = 0,
	SH_LOCAL_TIME_ZONE_WITH_LOCATION_INFO_REQUESTED = 1,
};
#define SH_UDR_FLAG_LOCATION_INFORMATION_EPS_SUPPORTED 0x1u /* 719 bit 0 */
#define SH_UDR_FLAG_RAT_TYPE_REQUESTED 0x2u                 /* 719 bit 1 */

#endif
