package io.jbpf.core.link;

import io.jbpf.core.BpfException;
import io.jbpf.core.Errno;
import io.jbpf.core.internal.sys.NativeBuffer;
import io.jbpf.core.internal.sys.Sys;
import io.jbpf.core.prog.Program;
import java.lang.ref.Reference;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * A filter on one socket: an eBPF program (type SOCKET_FILTER) set with {@code SO_ATTACH_BPF}
 * (Linux 3.19), or a classic BPF program with {@code SO_ATTACH_FILTER}. The filter returns how many
 * bytes of each received packet to keep; 0 drops it. {@link #close()} removes it with
 * {@code SO_DETACH_FILTER}.
 *
 * <p>The socket is the caller's: the filter does not own or close it, and must be closed before
 * the socket is (after that the fd number may name another file).
 */
public final class SocketFilter implements Link {
    private static final int SOL_SOCKET = 1;
    private static final int SO_ATTACH_FILTER = 26;
    private static final int SO_DETACH_FILTER = 27;
    private static final int SO_ATTACH_BPF = 50;
    private static final int BPF_MAXINSNS = 4096;

    private final int socketFd;
    private final String description;
    private volatile boolean closed;

    private SocketFilter(int socketFd, String description) {
        this.socketFd = socketFd;
        this.description = description;
    }

    /** Attaches {@code program} (type SOCKET_FILTER) to socket {@code socketFd}, replacing any filter there. */
    public static SocketFilter attach(Program program, int socketFd) {
        NativeBuffer v = NativeBuffer.allocate(4);
        v.buffer().putInt(0, program.fd());
        String what = "attach socket filter program '" + program.name() + "' to socket fd " + socketFd;
        set(socketFd, SO_ATTACH_BPF, v, 4, what);
        return new SocketFilter(socketFd, "program '" + program.name() + "' on socket fd " + socketFd);
    }

    /** Attaches the classic BPF program {@code code} to socket {@code socketFd}, replacing any filter there. */
    public static SocketFilter attachClassic(int socketFd, List<ClassicBpfInstruction> code) {
        if (code.isEmpty() || code.size() > BPF_MAXINSNS) {
            throw new IllegalArgumentException("a classic BPF program has 1.." + BPF_MAXINSNS + " instructions, not "
                    + code.size());
        }
        NativeBuffer insns = NativeBuffer.allocate(8 * code.size());
        ByteBuffer b = insns.buffer();
        for (int i = 0; i < code.size(); i++) {
            ClassicBpfInstruction in = code.get(i);
            b.putShort(8 * i, (short) in.code());
            b.put(8 * i + 2, (byte) in.jt());
            b.put(8 * i + 3, (byte) in.jf());
            b.putInt(8 * i + 4, in.k());
        }
        // struct sock_fprog { unsigned short len; struct sock_filter *filter; }
        NativeBuffer prog = NativeBuffer.allocate(16);
        prog.buffer().putShort(0, (short) code.size());
        prog.buffer().putLong(8, insns.address());
        String what = "attach classic BPF filter (" + code.size() + " instructions) to socket fd " + socketFd;
        set(socketFd, SO_ATTACH_FILTER, prog, 16, what);
        Reference.reachabilityFence(insns);
        return new SocketFilter(socketFd, "classic BPF (" + code.size() + " instructions) on socket fd " + socketFd);
    }

    private static void set(int socketFd, int option, NativeBuffer value, int length, String what) {
        int r = Sys.get().setsockopt(socketFd, SOL_SOCKET, option, value.address(), length);
        Reference.reachabilityFence(value);
        if (r < 0) {
            Errno e = Errno.of(-r);
            String hint;
            switch (e) {
                case EBADF:
                case ENOTSOCK:
                    hint = "fd " + socketFd + " is not an open socket";
                    break;
                case EINVAL:
                    hint = option == SO_ATTACH_BPF ? "the program must be of type SOCKET_FILTER"
                            : "the classic BPF program is not valid (it must end in a return)";
                    break;
                default:
                    hint = "";
            }
            throw new AttachException(new BpfException("setsockopt", e, what), hint);
        }
    }

    /** Removes the filter from the socket ({@code SO_DETACH_FILTER}); a closed socket is left alone. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        NativeBuffer unused = NativeBuffer.allocate(4); // the kernel wants an int-sized value, and ignores it
        int r = Sys.get().setsockopt(socketFd, SOL_SOCKET, SO_DETACH_FILTER, unused.address(), 4);
        Reference.reachabilityFence(unused);
        if (r < 0) {
            Errno e = Errno.of(-r);
            if (e != Errno.ENOENT && e != Errno.EBADF) {
                throw new BpfException("setsockopt(SO_DETACH_FILTER)", e, "detach " + description);
            }
        }
    }

    @Override
    public boolean isClosed() {
        return closed;
    }

    /** The socket's fd number. */
    public int socketFd() {
        return socketFd;
    }

    @Override
    public String toString() {
        return "SocketFilter[" + description + (closed ? ", closed" : "") + "]";
    }
}
