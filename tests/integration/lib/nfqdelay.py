#!/usr/bin/env python3
# Delays every packet sent to NFQUEUE <queue> by <delay_ms> before accepting it: tc netem's
# "delay" for kernels built without sch_netem. Raw nfnetlink_queue (no library), FIFO order.
# Run inside the network namespace whose iptables rule queues the packets (with --queue-bypass,
# so packets pass undelayed if this process is gone). Usage: nfqdelay.py <queue> <delay_ms>
import collections, os, select, signal, socket, struct, sys, time

NETLINK_NETFILTER = 12
NFNL_SUBSYS_QUEUE = 3
NFQNL_MSG_PACKET, NFQNL_MSG_VERDICT, NFQNL_MSG_CONFIG = 0, 1, 2
NFQA_CFG_CMD, NFQA_CFG_PARAMS, NFQA_CFG_QUEUE_MAXLEN = 1, 2, 3
NFQNL_CFG_CMD_BIND = 1
NFQNL_COPY_META = 1
NFQA_PACKET_HDR, NFQA_VERDICT_HDR = 1, 2
NLM_F_REQUEST, NLM_F_ACK = 1, 4
NLMSG_ERROR = 2
NF_ACCEPT = 1

queue, delay = int(sys.argv[1]), float(sys.argv[2]) / 1000.0
sock = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, NETLINK_NETFILTER)
sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 8 << 20)
sock.bind((0, 0))
seq = 0


def attr(t, payload):
    a = struct.pack("HH", 4 + len(payload), t) + payload
    return a + b"\0" * ((4 - len(a) % 4) % 4)


def send(msg_type, payload, flags=NLM_F_REQUEST, family=socket.AF_UNSPEC):
    global seq
    seq += 1
    body = struct.pack("BBH", family, 0, socket.htons(queue)) + payload
    sock.send(struct.pack("IHHII", 16 + len(body), (NFNL_SUBSYS_QUEUE << 8) | msg_type, flags, seq, 0) + body)


send(NFQNL_MSG_CONFIG, attr(NFQA_CFG_CMD, struct.pack("!BxH", NFQNL_CFG_CMD_BIND, socket.AF_INET)), NLM_F_REQUEST | NLM_F_ACK)
send(NFQNL_MSG_CONFIG, attr(NFQA_CFG_PARAMS, struct.pack("!IB", 0, NFQNL_COPY_META)) + attr(NFQA_CFG_QUEUE_MAXLEN, struct.pack("!I", 20000)), NLM_F_REQUEST | NLM_F_ACK)

pending = collections.deque()  # (due, packet id)
stop = False


def on_term(*_):
    global stop
    stop = True


signal.signal(signal.SIGTERM, on_term)
signal.signal(signal.SIGINT, on_term)
print(f"nfqdelay queue {queue} delay {delay * 1000:.0f} ms", flush=True)
handled = 0
while not stop:
    now = time.monotonic()
    while pending and pending[0][0] <= now:
        _, pid = pending.popleft()
        send(NFQNL_MSG_VERDICT, attr(NFQA_VERDICT_HDR, struct.pack("!II", NF_ACCEPT, pid)))
    timeout = max(0.0, pending[0][0] - now) if pending else 0.5
    try:
        r, _, _ = select.select([sock], [], [], timeout)
    except InterruptedError:
        continue
    if not r:
        continue
    data = sock.recv(1 << 20)
    off = 0
    while off + 16 <= len(data):
        ln, typ, _fl, _sq, _pid = struct.unpack_from("IHHII", data, off)
        if ln < 16:
            break
        if typ == NLMSG_ERROR:
            err = struct.unpack_from("i", data, off + 16)[0]
            if err != 0:
                print(f"netlink error {err}", flush=True)
                sys.exit(1)
        elif typ == (NFNL_SUBSYS_QUEUE << 8) | NFQNL_MSG_PACKET:
            a = off + 16 + 4
            end = off + ln
            while a + 4 <= end:
                alen, atype = struct.unpack_from("HH", data, a)
                if alen < 4:
                    break
                if (atype & 0x7FFF) == NFQA_PACKET_HDR:
                    pid = struct.unpack_from("!I", data, a + 4)[0]
                    pending.append((time.monotonic() + delay, pid))
                    handled += 1
                a += (alen + 3) & ~3
        off += (ln + 3) & ~3
# Release what is still held, then exit (the rule is removed by the caller).
for _, pid in pending:
    send(NFQNL_MSG_VERDICT, attr(NFQA_VERDICT_HDR, struct.pack("!II", NF_ACCEPT, pid)))
print(f"nfqdelay done: {handled} packets delayed", flush=True)
