package io.jbpf.core.internal.netlink;

import io.jbpf.core.BpfException;
import io.jbpf.core.Errno;
import io.jbpf.core.NetlinkException;
import io.jbpf.core.internal.sys.Fd;
import io.jbpf.core.internal.sys.NativeBuffer;
import io.jbpf.core.internal.sys.Sys;
import io.jbpf.core.internal.sys.Syscalls;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A netlink socket that sends one request at a time and reads its answer: an ACK, an error with
 * the kernel's extended-ack message, or the replies of a get or dump. The socket belongs to the
 * network namespace of the thread that opened it, whatever thread uses it later. Not thread-safe:
 * callers serialise requests (every method is synchronized).
 */
public final class NetlinkSocket implements AutoCloseable {
    private static final int SOCK_RAW = 3;
    private static final int SOCK_CLOEXEC = 0x80000;
    private static final int SOL_SOCKET = 1;
    private static final int SO_RCVTIMEO = 20;
    private static final int RECV_SIZE = 64 * 1024;
    private static final int TIMEOUT_SECONDS = 10;

    /** One reply: its type, flags and the bytes after the {@code nlmsghdr}. */
    public record Reply(int type, int flags, ByteBuffer body) {}

    private final Fd fd;
    private final AtomicInteger seq = new AtomicInteger((int) (System.nanoTime() & 0x3fffffff));
    private final NativeBuffer recvBuffer = NativeBuffer.allocate(RECV_SIZE);
    private final NativeBuffer kernelAddress = sockaddrNl();

    private NetlinkSocket(Fd fd) {
        this.fd = fd;
    }

    /** Opens a socket of {@code protocol} (e.g. {@link Netlink#NETLINK_ROUTE}) in the calling thread's netns. */
    public static NetlinkSocket open(int protocol) {
        Syscalls sys = Sys.get();
        int n = sys.socket(Netlink.AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, protocol);
        if (n < 0) {
            throw new BpfException("socket(AF_NETLINK)", Errno.of(-n), "open a netlink socket");
        }
        Fd fd = Fd.own(n, "netlink socket");
        try {
            NativeBuffer one = NativeBuffer.allocate(4);
            one.buffer().putInt(0, 1);
            // best effort: older kernels lack these options and still work without them
            sys.setsockopt(n, Netlink.SOL_NETLINK, Netlink.NETLINK_EXT_ACK, one.address(), 4);
            sys.setsockopt(n, Netlink.SOL_NETLINK, Netlink.NETLINK_CAP_ACK, one.address(), 4);
            NativeBuffer tv = NativeBuffer.allocate(16);
            tv.buffer().putLong(0, TIMEOUT_SECONDS);
            sys.setsockopt(n, SOL_SOCKET, SO_RCVTIMEO, tv.address(), 16);
            NativeBuffer local = sockaddrNl();
            int r = sys.bind(n, local.address(), 12);
            if (r < 0) {
                throw new BpfException("bind(AF_NETLINK)", Errno.of(-r), "bind a netlink socket");
            }
            return new NetlinkSocket(fd);
        } catch (RuntimeException e) {
            fd.close();
            throw e;
        }
    }

    private static NativeBuffer sockaddrNl() {
        NativeBuffer a = NativeBuffer.allocate(12);
        a.buffer().putShort(0, (short) Netlink.AF_NETLINK);
        return a;
    }

    /** Sends {@code m} asking for an ACK and waits for it; a refusal throws {@link NetlinkException}. */
    public synchronized void execute(NetlinkMessage m, String what) {
        exchange(m, Netlink.NLM_F_ACK, what);
    }

    /**
     * Sends a get or dump request {@code m} and returns its replies (for a dump, up to
     * {@code NLMSG_DONE}); an error throws {@link NetlinkException}.
     */
    public synchronized List<Reply> query(NetlinkMessage m, String what) {
        boolean dump = (m.flags() & Netlink.NLM_F_DUMP) == Netlink.NLM_F_DUMP;
        return exchange(m, dump ? 0 : Netlink.NLM_F_ACK, what);
    }

    private List<Reply> exchange(NetlinkMessage m, int extraFlags, String what) {
        int s = seq.incrementAndGet();
        byte[] bytes = m.bytes(s);
        if (extraFlags != 0) {
            ByteBuffer h = ByteBuffer.wrap(bytes).order(ByteOrder.nativeOrder());
            h.putShort(6, (short) (h.getShort(6) | extraFlags));
        }
        String request = Netlink.typeName(m.type());
        NativeBuffer out = NativeBuffer.of(bytes);
        long sent = Sys.get().sendto(fd.get(), out.address(), bytes.length, 0, kernelAddress.address(), 12);
        if (sent < 0) {
            throw new NetlinkException(request + " (sendto)", Errno.of((int) -sent), what, "");
        }
        List<Reply> replies = new ArrayList<>();
        while (true) {
            long n = Sys.get().recv(fd.get(), recvBuffer.address(), RECV_SIZE, 0);
            if (n < 0) {
                Errno e = Errno.of((int) -n);
                if (e == Errno.EINTR) {
                    continue;
                }
                throw new NetlinkException(request + " (recv)", e, what,
                        e == Errno.EAGAIN ? "no answer within " + TIMEOUT_SECONDS + " s" : "");
            }
            ByteBuffer b = ByteBuffer.wrap(recvBuffer.toArray((int) n)).order(ByteOrder.nativeOrder());
            int p = 0;
            while (p + Netlink.HEADER_SIZE <= n) {
                int len = b.getInt(p);
                int type = Short.toUnsignedInt(b.getShort(p + 4));
                int flags = Short.toUnsignedInt(b.getShort(p + 6));
                int msgSeq = b.getInt(p + 8);
                if (len < Netlink.HEADER_SIZE || p + len > n) {
                    throw new NetlinkException(request, Errno.EBADMSG, what, "malformed reply");
                }
                ByteBuffer body = b.slice(p + Netlink.HEADER_SIZE, len - Netlink.HEADER_SIZE).order(ByteOrder.nativeOrder());
                p += Netlink.align(len);
                if (msgSeq != s) {
                    continue; // an answer to an earlier request that timed out
                }
                if (type == Netlink.NLMSG_ERROR) {
                    int err = body.getInt(0);
                    if (err == 0) {
                        return replies;
                    }
                    throw new NetlinkException(request, Errno.of(-err), what, extendedAck(body, flags));
                }
                if (type == Netlink.NLMSG_DONE) {
                    int err = body.capacity() >= 4 ? body.getInt(0) : 0;
                    if (err < 0) {
                        throw new NetlinkException(request, Errno.of(-err), what, "");
                    }
                    return replies;
                }
                if (type == Netlink.NLMSG_NOOP) {
                    continue;
                }
                replies.add(new Reply(type, flags, body));
                if ((flags & Netlink.NLM_F_MULTI) == 0 && extraFlags == 0) {
                    return replies;
                }
            }
        }
    }

    /** The {@code NLMSGERR_ATTR_MSG} text of an error reply ({@code struct nlmsgerr} + TLVs), or empty. */
    static String extendedAck(ByteBuffer body, int flags) {
        if ((flags & Netlink.NLM_F_ACK_TLVS) == 0 || body.capacity() < 4 + Netlink.HEADER_SIZE) {
            return "";
        }
        int origLen = body.getInt(4);
        int tlvStart = 4 + ((flags & Netlink.NLM_F_CAPPED) != 0 ? Netlink.HEADER_SIZE : Netlink.align(origLen));
        if (tlvStart > body.capacity()) {
            return "";
        }
        return NetlinkAttributes.parse(body, tlvStart, body.capacity()).string(Netlink.NLMSGERR_ATTR_MSG).orElse("");
    }

    @Override
    public void close() {
        fd.close();
    }
}
