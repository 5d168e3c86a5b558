# kamailio_cfg DIR SIPPORT CDPPORT DIAPORT: a minimal Kamailio S-CSCF
# (kamailio.cfg) and its cdp Diameter peer file (scscf.xml) in DIR.
# Sourced by kamailio_scscf.sh and tests/bench/kamailio-scscf.sh; our own
# minimal configuration. Environment (for the benchmark): KAM_CHILDREN (2
# SIP worker processes), KAM_CDP_WORKERS (2), KAM_CDP_QUEUE (32),
# KAM_DEBUG (2 = info: one line per MAR/SAR answer).
kamailio_cfg() {
	local dir=$1 sip=$2 cdp=$3 dia=$4
	cat >"$dir/scscf.xml" <<XML
<?xml version="1.0" encoding="UTF-8"?>
<DiameterPeer FQDN="scscf.open-ims.test" Realm="open-ims.test" Vendor_Id="10415"
	Product_Name="CDiameterPeer" AcceptUnknownPeers="1" DropUnknownOnDisconnect="1"
	Tc="30" Workers="${KAM_CDP_WORKERS:-2}" QueueLength="${KAM_CDP_QUEUE:-32}" TransactionTimeout="5" SessionsHashSize="128"
	DefaultAuthSessionTimeout="3600" MaxAuthSessionTimeout="3600">
	<Peer FQDN="hss.open-ims.test" Realm="open-ims.test" port="$dia"/>
	<Acceptor port="$cdp" bind="127.0.0.1"/>
	<Auth id="16777216" vendor="10415"/>
	<SupportedVendor vendor="10415"/>
	<DefaultRoute FQDN="hss.open-ims.test" metric="10"/>
</DiameterPeer>
XML
	cat >"$dir/kamailio.cfg" <<CFG
#!KAMAILIO
# Minimal S-CSCF for the Cx interop test: REGISTER -> MAR -> 401 (AKA),
# REGISTER with credentials -> SAR -> 200. Written by the test.
debug=${KAM_DEBUG:-2}
log_stderror=yes
fork=yes
children=${KAM_CHILDREN:-2}
disable_core_dump=yes
auto_aliases=no
listen=udp:127.0.0.1:$sip
alias=scscf.open-ims.test:$sip
mpath="/usr/lib/x86_64-linux-gnu/kamailio/modules/"

loadmodule "tm.so"
loadmodule "tmx.so"
loadmodule "sl.so"
loadmodule "pv.so"
loadmodule "kex.so"
loadmodule "xlog.so"
loadmodule "textops.so"
loadmodule "maxfwd.so"
loadmodule "siputils.so"
loadmodule "presence.so"
loadmodule "rr.so"
loadmodule "ims_dialog.so"
loadmodule "cdp.so"
loadmodule "cdp_avp.so"
loadmodule "ims_usrloc_scscf.so"
loadmodule "ims_registrar_scscf.so"
loadmodule "ims_auth.so"

modparam("presence", "db_url", "")
modparam("ims_dialog", "dlg_flag", 4)
modparam("ims_dialog", "db_mode", 0)
modparam("cdp", "config_file", "$dir/scscf.xml")
modparam("ims_usrloc_scscf", "db_mode", 0)
modparam("ims_auth", "name", "sip:scscf.open-ims.test:$sip")
modparam("ims_auth", "registration_default_algorithm", "AKAv1-MD5")
modparam("ims_auth", "cxdx_dest_realm", "open-ims.test")
modparam("ims_auth", "cxdx_forced_peer", "hss.open-ims.test")
modparam("ims_registrar_scscf", "scscf_name", "sip:scscf.open-ims.test:$sip")
modparam("ims_registrar_scscf", "cxdx_dest_realm", "open-ims.test")
modparam("ims_registrar_scscf", "cxdx_forced_peer", "hss.open-ims.test")

request_route {
	if (!mf_process_maxfwd_header("10")) {
		sl_send_reply("483", "Too Many Hops");
		exit;
	}
	if (!is_method("REGISTER")) {
		sl_send_reply("501", "Not Implemented");
		exit;
	}
	if (!ims_www_authenticate("\$td")) {
		if (\$? == -2) {
			send_reply("403", "Authentication Failed");
		} else {
			ims_www_challenge("MAR_REPLY", "\$td", "AKAv1-MD5");
		}
		exit;
	}
	# All four arguments: Kamailio 5.6.3's save() reads the optional
	# flags argument even when it is not given (SIGSEGV otherwise).
	save("SAR_REPLY", "location", "0", "0");
	exit;
}

route[MAR_REPLY] {
	xlog("L_INFO", "MAR reply code \$avp(s:maa_return_code)\n");
	if (\$avp(s:maa_return_code) != 1)
		send_reply("500", "MAR failed");
	exit;
}

route[SAR_REPLY] {
	xlog("L_INFO", "SAR reply code \$avp(s:saa_return_code)\n");
	if (\$avp(s:saa_return_code) != 1)
		send_reply("500", "SAR failed");
	exit;
}
CFG
}
