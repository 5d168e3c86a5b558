#!/usr/bin/env python3
"""P-CSCF overload control of UE initial requests (max_pending_requests: 4).

    overload_invite.py <pcscf port> <core port>

A UE registers (the core, a UDP socket, answers 200 with a Service-Route),
then sends 5 INVITEs the core takes and does not answer: 3 are relayed (3
of 4 pending = the admission share), the others get 503 with Retry-After
from the P-CSCF itself, at once, and never reach the core. An in-dialog
BYE is still relayed. Once the core answers (486) a new INVITE is relayed
again. Every wait is bounded. Exit 0 on success, 1 with a reason.
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


def recv_all(sock, wait):
    out = []
    end = time.time() + wait
    while time.time() < end:
        sock.settimeout(max(0.02, end - time.time()))
        try:
            data, addr = sock.recvfrom(65535)
        except socket.timeout:
            break
        out.append((data.decode(errors="replace"), addr, time.time()))
    return out


def respond(sock, req, addr, status, extra=()):
    vias = [v.strip() for v in re.findall(r"(?im)^(?:via|v)\s*:.*$", req)]
    lines = (["SIP/2.0 %s" % status] + vias +
             ["From: " + header(req, "From"), "To: " + header(req, "To") + ";tag=core",
              "Call-ID: " + header(req, "Call-ID"), "CSeq: " + header(req, "CSeq")] +
             list(extra) + ["Content-Length: 0", "", ""])
    sock.sendto("\r\n".join(lines).encode(), addr)


core = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
core.bind((HOST, CORE_PORT))
ue = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
ue.bind((HOST, 0))
UE_PORT = ue.getsockname()[1]
UE_CONTACT = "sip:ann@%s:%d" % (HOST, UE_PORT)

ue.sendto(("REGISTER sip:open-ims.test SIP/2.0\r\n"
           "Via: SIP/2.0/UDP %s:%d;rport;branch=z9hG4bKoireg\r\n"
           "Max-Forwards: 70\r\nFrom: <sip:ann@open-ims.test>;tag=oireg\r\n"
           "To: <sip:ann@open-ims.test>\r\nCall-ID: oi-reg\r\nCSeq: 1 REGISTER\r\n"
           "Contact: <%s>\r\nExpires: 600\r\nSupported: path\r\nContent-Length: 0\r\n\r\n"
           % (HOST, UE_PORT, UE_CONTACT)).encode(), (HOST, P_PORT))
reg = [m for m in recv_all(core, 2.0) if m[0].startswith("REGISTER")]
if not reg:
    fail("REGISTER not relayed to the core")
respond(core, reg[0][0], reg[0][1], "200 OK",
        ("Contact: <%s>;expires=600" % UE_CONTACT,
         "P-Associated-URI: <sip:ann@open-ims.test>",
         "Service-Route: <sip:orig@%s:%d;lr>" % (HOST, CORE_PORT)))
if not any(t.startswith("SIP/2.0 200") for t, _, _ in recv_all(ue, 1.0)):
    fail("the UE's registration did not complete")


def invite(n):
    return ("INVITE sip:bob@open-ims.test SIP/2.0\r\n"
            "Via: SIP/2.0/UDP %s:%d;rport;branch=z9hG4bKoi%d\r\n"
            "Max-Forwards: 70\r\nFrom: <sip:ann@open-ims.test>;tag=oi%d\r\n"
            "To: <sip:bob@open-ims.test>\r\nCall-ID: oi-%d\r\nCSeq: 1 INVITE\r\n"
            "Contact: <%s>\r\nContent-Length: 0\r\n\r\n"
            % (HOST, UE_PORT, n, n, n, UE_CONTACT)).encode()


sent = {}
for n in range(1, 6):
    sent[n] = time.time()
    ue.sendto(invite(n), (HOST, P_PORT))
refused = {}
end = time.time() + 2.0
while time.time() < end and len(refused) < 2:
    for text, _, t in recv_all(ue, 0.1):
        if text.startswith("SIP/2.0 503"):
            refused.setdefault(header(text, "Call-ID"), (text, t))
time.sleep(0.2)
for text, _, t in recv_all(ue, 0.1):
    if text.startswith("SIP/2.0 503"):
        refused.setdefault(header(text, "Call-ID"), (text, t))
if sorted(refused) != ["oi-4", "oi-5"]:
    fail("5 INVITEs, max_pending_requests 4: want 503 to oi-4 and oi-5, got %s"
         % sorted(refused))
for cid, (text, t) in refused.items():
    if not header(text, "Retry-After"):
        fail("503 to %s without Retry-After" % cid)
    # At once: the alternative is no answer until the caller's Timer B
    # (32 s); a second leaves room for a loaded test machine.
    if t - sent[int(cid[3:])] > 1.0:
        fail("503 to %s after %.0f ms, not at once" % (cid, (t - sent[int(cid[3:])]) * 1000))
relayed = {}
for text, addr, _ in recv_all(core, 0.5):
    if text.startswith("INVITE"):
        relayed[header(text, "Call-ID")] = (text, addr)
if sorted(relayed) != ["oi-1", "oi-2", "oi-3"]:
    fail("the core got %s, want oi-1..3" % sorted(relayed))
print("ok - 5 INVITEs with max_pending_requests 4: 3 relayed, 2 x 503 + Retry-After at the edge")

# In dialog: never refused (it goes by its Route set, here to the core).
ue.sendto(("BYE sip:bob@%s:%d SIP/2.0\r\n"
           "Via: SIP/2.0/UDP %s:%d;rport;branch=z9hG4bKoibye\r\n"
           "Max-Forwards: 70\r\nRoute: <sip:%s:%d;lr>\r\n"
           "From: <sip:ann@open-ims.test>;tag=oibye\r\nTo: <sip:bob@open-ims.test>;tag=b\r\n"
           "Call-ID: oi-bye\r\nCSeq: 2 BYE\r\nContent-Length: 0\r\n\r\n"
           % (HOST, CORE_PORT, HOST, UE_PORT, HOST, P_PORT)).encode(), (HOST, P_PORT))
byes = [m for m in recv_all(core, 1.0) if m[0].startswith("BYE")]
if not byes:
    fail("in-dialog BYE not relayed while INVITEs are refused")
respond(core, byes[0][0], byes[0][1], "200 OK")
print("ok - in-dialog BYE relayed at the bound")

for text, addr in relayed.values():
    respond(core, text, addr, "486 Busy Here")
recv_all(core, 0.3)  # the ACKs
ue.sendto(invite(6), (HOST, P_PORT))
again = [m for m in recv_all(core, 1.0) if m[0].startswith("INVITE") and
         header(m[0], "Call-ID") == "oi-6"]
if not again:
    fail("a new INVITE was not relayed once the core answered")
respond(core, again[0][0], again[0][1], "486 Busy Here")
recv_all(core, 0.3)
print("ok - relayed again once the core answered")
sys.exit(0)
