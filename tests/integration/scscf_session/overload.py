#!/usr/bin/env python3
"""S-CSCF overload control (session.max_pending: 4), by raw sockets.

    overload.py <scscf port> <contact port> <callee user>

The callee's only contact (a UDP socket on <contact port>) takes INVITEs
and answers none, so each forked INVITE stays pending until the branch
timeout. A burst of 8 INVITEs from alice: 3 are forked (3 of 4 pending =
the admission share), the other 5 get 503 with Retry-After at once and
never reach the contact. While at the bound an in-dialog BYE still passes
(the contact answers it 200). Once the pending INVITEs have ended (408
after the branch timeout) a new INVITE is forked again. Every wait is
bounded. Exit 0 on success, 1 with a reason on failure.
"""
import re
import socket
import sys
import time

SC_PORT, CONTACT_PORT, CALLEE = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
HOST = "127.0.0.1"
SC = "%s:%d" % (HOST, SC_PORT)


def fail(why):
    print("FAIL:", why)
    sys.exit(1)


def header(msg, name):
    m = re.search(r"(?im)^%s\s*:\s*(.*)$" % re.escape(name), msg)
    return m.group(1).strip() if m else None


def invite(n, ue_port):
    return ("INVITE sip:%s@open-ims.test SIP/2.0\r\n"
            "Via: SIP/2.0/UDP %s:%d;branch=z9hG4bKol%d\r\n"
            "Max-Forwards: 70\r\nRoute: <sip:orig@%s;lr>\r\n"
            "P-Asserted-Identity: <sip:alice@open-ims.test>\r\n"
            "From: <sip:alice@open-ims.test>;tag=ol%d\r\nTo: <sip:%s@open-ims.test>\r\n"
            "Call-ID: ol-%d\r\nCSeq: 1 INVITE\r\nContact: <sip:alice@%s:%d>\r\n"
            "Content-Length: 0\r\n\r\n"
            % (CALLEE, HOST, ue_port, n, SC, n, CALLEE, n, HOST, ue_port)).encode()


def ack(resp, n, ue_port):
    """Hop-by-hop ACK of a non-2xx final (RFC 3261 17.1.1.3)."""
    return ("ACK sip:%s@open-ims.test SIP/2.0\r\n"
            "Via: SIP/2.0/UDP %s:%d;branch=z9hG4bKol%d\r\n"
            "Max-Forwards: 70\r\nRoute: <sip:orig@%s;lr>\r\n"
            "From: <sip:alice@open-ims.test>;tag=ol%d\r\nTo: %s\r\n"
            "Call-ID: ol-%d\r\nCSeq: 1 ACK\r\nContent-Length: 0\r\n\r\n"
            % (CALLEE, HOST, ue_port, n, SC, n, header(resp, "To"), n)).encode()


def bye(ue_port):
    """In dialog (To tag), routed through the S-CSCF by its Record-Route."""
    return ("BYE sip:%s@%s:%d SIP/2.0\r\n"
            "Via: SIP/2.0/UDP %s:%d;branch=z9hG4bKolbye\r\n"
            "Max-Forwards: 70\r\nRoute: <sip:%s;lr>\r\n"
            "From: <sip:alice@open-ims.test>;tag=olbye\r\n"
            "To: <sip:%s@open-ims.test>;tag=callee\r\n"
            "Call-ID: ol-bye\r\nCSeq: 2 BYE\r\nContent-Length: 0\r\n\r\n"
            % (CALLEE, HOST, CONTACT_PORT, HOST, ue_port, SC, CALLEE)).encode()


UE_SEEN = []


def drain(sock, wait):
    """Every datagram within wait seconds, decoded (the UE's are also kept
    in UE_SEEN, so a response read by one step is not lost to another)."""
    out = []
    end = time.time() + wait
    while time.time() < end:
        sock.settimeout(max(0.02, end - time.time()))
        try:
            data, addr = sock.recvfrom(65535)
        except socket.timeout:
            break
        out.append((data.decode(errors="replace"), addr, time.time()))
    if sock is UE:
        UE_SEEN.extend(out)
    return out


def answer_200(sock, req, addr):
    vias = [v.strip() for v in re.findall(r"(?im)^(?:via|v)\s*:.*$", req)]
    lines = (["SIP/2.0 200 OK"] + vias +
             ["From: " + header(req, "From"), "To: " + header(req, "To"),
              "Call-ID: " + header(req, "Call-ID"), "CSeq: " + header(req, "CSeq"),
              "Content-Length: 0", "", ""])
    sock.sendto("\r\n".join(lines).encode(), addr)


def finals(msgs):
    """{call number: (status, response, arrival)} of final responses."""
    got = {}
    for text, _, t in msgs:
        m = re.match(r"SIP/2\.0 (\d+)", text)
        cid = header(text, "Call-ID") or ""
        if m and int(m.group(1)) >= 200 and cid.startswith("ol-") and cid != "ol-bye":
            got.setdefault(int(cid[3:]), (int(m.group(1)), text, t))
    return got


UE = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)


def main():
    ue = UE
    ue.bind((HOST, 0))
    ue_port = ue.getsockname()[1]
    contact = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    contact.bind((HOST, CONTACT_PORT))

    sent = {}
    for n in range(1, 9):
        sent[n] = time.time()
        ue.sendto(invite(n, ue_port), (HOST, SC_PORT))
    end = time.time() + 2.0
    while time.time() < end and len(finals(UE_SEEN)) < 5:
        drain(ue, 0.1)
    drain(ue, 0.2)
    got = finals(UE_SEEN)
    refused = {n: r for n, r in got.items() if r[0] == 503}
    if len(refused) != 5 or len(got) != 5:
        fail("burst of 8 with max_pending 4: want 5 x 503 at once, got %s"
             % sorted((n, r[0]) for n, r in got.items()))
    for n, (status, text, t) in refused.items():
        if not header(text, "Retry-After"):
            fail("503 to INVITE %d without Retry-After" % n)
        # At once: the alternative is the branch timeout or Timer B; a
        # second leaves room for a loaded test machine.
        if t - sent[n] > 1.0:
            fail("503 to INVITE %d after %.0f ms, not at once" % (n, (t - sent[n]) * 1000))
        ue.sendto(ack(text, n, ue_port), (HOST, SC_PORT))
    print("ok   - burst of 8 INVITEs, max_pending 4: 3 forked, 5 x 503 with Retry-After: %s"
          % header(next(iter(refused.values()))[1], "Retry-After"))

    forked = set()
    for text, _, _ in drain(contact, 0.2):
        if text.startswith("INVITE"):
            forked.add(header(text, "Call-ID"))
    want = {"ol-%d" % n for n in range(1, 9) if n not in refused}
    if forked != want:
        fail("the contact got %s, want the 3 admitted %s" % (sorted(forked), sorted(want)))
    print("ok   - only the admitted INVITEs reached the contact")

    # In-dialog BYE while at the bound: never refused.
    ue.sendto(bye(ue_port), (HOST, SC_PORT))
    bye_ok = False
    end = time.time() + 3
    while time.time() < end and not bye_ok:
        for text, addr, _ in drain(contact, 0.2):
            if text.startswith("BYE"):
                answer_200(contact, text, addr)
        for text, _, _ in drain(ue, 0.2):
            if header(text, "Call-ID") == "ol-bye" and text.startswith("SIP/2.0 200"):
                bye_ok = True
    if not bye_ok:
        fail("in-dialog BYE at the bound: no 200")
    print("ok   - in-dialog BYE passes while INVITEs are refused")

    # The pending INVITEs end (branch timeout: 408), then one is forked again.
    end = time.time() + 5
    while time.time() < end:
        drain(contact, 0.1)  # retransmitted INVITEs, ignored
        drain(ue, 0.1)
        if len(finals(UE_SEEN)) == 8:
            break
    late = finals(UE_SEEN)
    ended = {n: r[0] for n, r in late.items() if n not in refused}
    if sorted(ended) != sorted(n for n in range(1, 9) if n not in refused):
        fail("the admitted INVITEs did not all end: %s" % ended)
    for n, (status, text, _) in late.items():
        if n not in refused:
            ue.sendto(ack(text, n, ue_port), (HOST, SC_PORT))
    print("ok   - the forked INVITEs ended (%s)" % sorted(set(ended.values())))
    ue.sendto(invite(9, ue_port), (HOST, SC_PORT))
    again = [t for t, _, _ in drain(contact, 1.0)
             if t.startswith("INVITE") and header(t, "Call-ID") == "ol-9"]
    drain(ue, 0.1)
    early = finals(UE_SEEN)
    if not again or (9 in early and early[9][0] == 503):
        fail("after the load went away a new INVITE was not forked")
    print("ok   - after the pending INVITEs ended a new one is forked again")
    sys.exit(0)


main()
