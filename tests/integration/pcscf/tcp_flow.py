#!/usr/bin/env python3
"""P-CSCF over TCP from a UE behind NAT: the UE's connection comes from an
ephemeral port where nothing listens, so a terminating request can only
reach it over the connection its REGISTER came on (TS 24.229 5.2.2.1,
RFC 5626 flows). Plays both the UE (TCP) and the I/S-CSCF (UDP).

    tcp_flow.py <pcscf port> <core port>
Exit 0 on success, 1 with a reason on failure. Every wait is bounded.
"""
import re
import socket
import sys

P_PORT, CORE_PORT = int(sys.argv[1]), int(sys.argv[2])
HOST = "127.0.0.1"


def fail(why):
    print("FAIL:", why)
    sys.exit(1)


def read_tcp(sock, buf):
    """One SIP message from a TCP stream (headers + Content-Length body)."""
    while b"\r\n\r\n" not in buf:
        chunk = sock.recv(4096)
        if not chunk:
            fail("UE connection closed")
        buf += chunk
    head, rest = buf.split(b"\r\n\r\n", 1)
    m = re.search(rb"(?im)^(?:content-length|l)\s*:\s*(\d+)", head)
    n = int(m.group(1)) if m else 0
    while len(rest) < n:
        rest += sock.recv(4096)
    return head.decode() + "\r\n\r\n" + rest[:n].decode(), rest[n:]


def header(msg, name):
    m = re.search(r"(?im)^%s\s*:\s*(.*)$" % re.escape(name), msg)
    return m.group(1).strip() if m else None


def reply_to(req, code, reason, extra=""):
    """A response built from a request (all Vias, From, To, Call-ID, CSeq)."""
    vias = [v.strip() for v in re.findall(r"(?im)^(?:via|v)\s*:.*$", req)]
    lines = ["SIP/2.0 %d %s" % (code, reason)] + vias
    to = header(req, "To")
    if ";tag=" not in to:
        to += ";tag=t%d" % code
    lines += ["From: " + header(req, "From"), "To: " + to,
              "Call-ID: " + header(req, "Call-ID"), "CSeq: " + header(req, "CSeq")]
    if extra:
        lines.append(extra)
    return ("\r\n".join(lines) + "\r\nContent-Length: 0\r\n\r\n").encode()


core = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
core.bind((HOST, CORE_PORT))
core.settimeout(5)
ue = socket.create_connection((HOST, P_PORT), timeout=5)
ue_ip, ue_port = ue.getsockname()
contact = "sip:alice@192.0.2.10:5060;transport=tcp"  # private, unreachable

ue.sendall((
    "REGISTER sip:open-ims.test SIP/2.0\r\n"
    "Via: SIP/2.0/TCP 192.0.2.10:5060;branch=z9hG4bKtcpflow1\r\n"
    "Max-Forwards: 70\r\nFrom: <sip:alice@open-ims.test>;tag=u1\r\n"
    "To: <sip:alice@open-ims.test>\r\nCall-ID: tcpflow-1\r\nCSeq: 1 REGISTER\r\n"
    "Contact: <%s>\r\nExpires: 600\r\nSupported: path\r\nContent-Length: 0\r\n\r\n"
    % contact).encode())

reg, (p_ip, p_port) = core.recvfrom(65535)
reg = reg.decode()
path = header(reg, "Path")
if not path or "flow-" not in path:
    fail("REGISTER without our Path: %r" % path)
core.sendto(reply_to(reg, 200, "OK",
                     "Contact: <%s>;expires=600\r\nPath: %s\r\n"
                     "P-Associated-URI: <sip:alice@open-ims.test>\r\n"
                     "Service-Route: <sip:orig@%s:%d;lr;orig>" % (contact, path, HOST, CORE_PORT)),
            (p_ip, p_port))
resp, buf = read_tcp(ue, b"")
if not resp.startswith("SIP/2.0 200"):
    fail("UE got %r" % resp.splitlines()[0])

# Terminating request along the Path: must come back on the UE's connection.
uri = re.search(r"<([^>]+)>", path).group(1)
core.sendto((
    "MESSAGE %s SIP/2.0\r\n"
    "Via: SIP/2.0/UDP %s:%d;branch=z9hG4bKtcpflow2\r\n"
    "Route: <%s>\r\nMax-Forwards: 70\r\nFrom: <sip:bob@open-ims.test>;tag=b1\r\n"
    "To: <sip:alice@open-ims.test>\r\nCall-ID: tcpflow-2\r\nCSeq: 1 MESSAGE\r\n"
    "Content-Type: text/plain\r\nContent-Length: 2\r\n\r\nhi"
    % (contact, HOST, CORE_PORT, uri)).encode(), (p_ip, p_port))
msg, buf = read_tcp(ue, buf)
if not msg.startswith("MESSAGE "):
    fail("UE got %r instead of the MESSAGE" % msg.splitlines()[0])
ue.sendall(reply_to(msg, 200, "OK"))
while True:
    resp, addr = core.recvfrom(65535)
    resp = resp.decode()
    if resp.startswith("SIP/2.0 200") and "tcpflow-2" in resp:
        break
    if not resp.startswith("SIP/2.0 1"):
        fail("core got %r" % resp.splitlines()[0])
print("PASS: MESSAGE reached the UE over its own connection from port %d" % ue_port)
