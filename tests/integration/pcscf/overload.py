#!/usr/bin/env python3
"""P-CSCF overload control (max_pending_registers: 4), by raw sockets.

    overload.py <pcscf port> <core port>

The core (a UDP socket on the I-CSCF port) takes REGISTERs and answers
none, so they stay pending. Three new registrations are relayed; the
fourth (3 of 4 pending = the admission share) gets 503 with Retry-After
and is not relayed; a REGISTER with credentials still is; with 4 pending
any REGISTER gets 503. The core then answers them all, and a new
registration is relayed again. Every wait is bounded.
Exit 0 on success, 1 with a reason on failure.
"""
import re
import socket
import sys
import time

P_PORT, CORE_PORT = int(sys.argv[1]), int(sys.argv[2])
HOST = "127.0.0.1"


def fail(why):
    print("FAIL:", why)
    sys.exit(1)


def header(msg, name):
    m = re.search(r"(?im)^%s\s*:\s*(.*)$" % re.escape(name), msg)
    return m.group(1).strip() if m else None


def register(n, credentials):
    auth = ('Authorization: Digest username="u%d@open-ims.test", realm="open-ims.test", '
            'nonce="bm9uY2U=", uri="sip:open-ims.test", response="%s"\r\n'
            % (n, "0123456789abcdef0123456789abcdef" if credentials else ""))
    return ("REGISTER sip:open-ims.test SIP/2.0\r\n"
            "Via: SIP/2.0/UDP 127.0.0.1:5060;rport;branch=z9hG4bKov%d\r\n"
            "Max-Forwards: 70\r\nFrom: <sip:u%d@open-ims.test>;tag=ov%d\r\n"
            "To: <sip:u%d@open-ims.test>\r\nCall-ID: ov-%d\r\nCSeq: 1 REGISTER\r\n"
            "Contact: <sip:u%d@127.0.0.1:5060>\r\nExpires: 600\r\nSupported: path\r\n"
            "%sContent-Length: 0\r\n\r\n" % (n, n, n, n, n, n, auth)).encode()


def final_response(sock, call_id, wait=3.0):
    """The first final response for call_id at the UE, or None."""
    end = time.time() + wait
    while time.time() < end:
        sock.settimeout(max(0.05, end - time.time()))
        try:
            data = sock.recv(65535).decode(errors="replace")
        except socket.timeout:
            break
        m = re.match(r"SIP/2\.0 (\d+)", data)
        if m and int(m.group(1)) >= 200 and header(data, "Call-ID") == call_id:
            return data
    return None


def relayed(core, wait=1.0):
    """Call-IDs of the REGISTERs the core received (retransmissions merged)
    within wait seconds, with the last copy of each."""
    seen = {}
    end = time.time() + wait
    while time.time() < end:
        core.settimeout(max(0.05, end - time.time()))
        try:
            data, addr = core.recvfrom(65535)
        except socket.timeout:
            break
        text = data.decode(errors="replace")
        if text.startswith("REGISTER"):
            seen[header(text, "Call-ID")] = (text, addr)
    return seen


def answer(core, req, addr):
    vias = [v.strip() for v in re.findall(r"(?im)^(?:via|v)\s*:.*$", req)]
    to = header(req, "To") + ";tag=core"
    lines = ["SIP/2.0 401 Unauthorized"] + vias + [
        "From: " + header(req, "From"), "To: " + to, "Call-ID: " + header(req, "Call-ID"),
        "CSeq: " + header(req, "CSeq"),
        'WWW-Authenticate: Digest realm="open-ims.test", nonce="bm9uY2U=", algorithm=MD5']
    core.sendto(("\r\n".join(lines) + "\r\nContent-Length: 0\r\n\r\n").encode(), addr)


core = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
core.bind((HOST, CORE_PORT))
ue = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
ue.bind((HOST, 0))
pending = {}

for n in (1, 2, 3):
    ue.sendto(register(n, False), (HOST, P_PORT))
    got = relayed(core, 1.0)
    if "ov-%d" % n not in got:
        fail("new registration %d (%d pending) not relayed" % (n, n - 1))
    pending.update(got)

ue.sendto(register(4, False), (HOST, P_PORT))
resp = final_response(ue, "ov-4")
if not resp or not resp.startswith("SIP/2.0 503"):
    fail("new registration with 3 of 4 pending: expected 503, got %r" % (resp or "nothing"))
if not header(resp, "Retry-After"):
    fail("503 without Retry-After")
if "ov-4" in relayed(core, 0.6):
    fail("refused REGISTER was relayed anyway")

ue.sendto(register(5, True), (HOST, P_PORT))
got = relayed(core, 1.0)
if "ov-5" not in got:
    fail("REGISTER with credentials (3 of 4 pending) not relayed")
pending.update(got)

ue.sendto(register(6, True), (HOST, P_PORT))
resp = final_response(ue, "ov-6")
if not resp or not resp.startswith("SIP/2.0 503"):
    fail("REGISTER with credentials at the bound: expected 503, got %r" % (resp or "nothing"))

for cid, (req, addr) in pending.items():
    answer(core, req, addr)
for cid in list(pending):
    resp = final_response(ue, cid)
    if not resp or not resp.startswith("SIP/2.0 401"):
        fail("core's 401 for %s not relayed to the UE: %r" % (cid, resp or "nothing"))

ue.sendto(register(7, False), (HOST, P_PORT))
got = relayed(core, 1.0)
if "ov-7" not in got:
    fail("new registration not relayed once the core answered")
# Nothing left in flight when the P-CSCF is stopped.
answer(core, *got["ov-7"])
if not final_response(ue, "ov-7"):
    fail("core's 401 for ov-7 not relayed")
print("ok - overload: 503 + Retry-After beyond the admission share and the bound, "
      "credentials admitted first, relayed again after the answers")
sys.exit(0)
