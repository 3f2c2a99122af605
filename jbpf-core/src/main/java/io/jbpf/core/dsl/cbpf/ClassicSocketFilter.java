package io.jbpf.core.dsl.cbpf;

import io.jbpf.core.BpfException;
import io.jbpf.core.Errno;
import io.jbpf.core.internal.sys.NativeBuffer;
import io.jbpf.core.internal.sys.Sys;
import io.jbpf.core.link.ClassicBpfInstruction;
import io.jbpf.core.link.SocketFilter;
import io.jbpf.core.prog.Program;
import io.jbpf.core.prog.ProgramSpec;
import io.jbpf.core.prog.ProgramType;
import java.lang.ref.Reference;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Classic BPF on sockets: attach a {@link CbpfProgram} with {@code SO_ATTACH_FILTER} (the kernel
 * runs it as classic BPF), or convert it to eBPF and attach that with {@code SO_ATTACH_BPF}; read
 * back the classic filter a socket has ({@code SO_GET_FILTER}); lock a socket's filter
 * ({@code SO_LOCK_FILTER}).
 *
 * <p>What a filter sees depends on the socket: a packet socket sees the frame from the link-layer
 * header, a UDP socket from the UDP header, a TCP socket from the TCP header. The return value is
 * how many bytes to keep; 0 drops the packet. The returned {@link SocketFilter} detaches the filter
 * when closed; it does not own the socket.
 */
public final class ClassicSocketFilter {
    private static final int SOL_SOCKET = 1;
    private static final int SO_GET_FILTER = 26;
    private static final int SO_LOCK_FILTER = 44;

    private ClassicSocketFilter() {
    }

    /**
     * Attaches {@code program} to socket {@code socketFd} as classic BPF ({@code SO_ATTACH_FILTER}),
     * replacing any filter there.
     *
     * @throws CbpfException if the program breaks the kernel's rules (checked before the call)
     * @throws io.jbpf.core.link.AttachException if the kernel refuses
     */
    public static SocketFilter attach(int socketFd, CbpfProgram program) {
        program.validate();
        List<ClassicBpfInstruction> code = new ArrayList<>(program.size());
        for (CbpfInsn in : program.instructions()) {
            code.add(new ClassicBpfInstruction(in.code(), in.jt(), in.jf(), in.k()));
        }
        return SocketFilter.attachClassic(socketFd, code);
    }

    /**
     * Converts {@code program} to eBPF the way the kernel does ({@link CbpfConverter#socketFilter}),
     * loads it as a {@code SOCKET_FILTER} program and attaches it with {@code SO_ATTACH_BPF}. The
     * socket keeps the program alive; the program's own fd is closed before this returns.
     *
     * @param name the program's name in the kernel (at most 15 characters)
     */
    public static SocketFilter attachConverted(int socketFd, CbpfProgram program, String name) {
        ProgramSpec spec = ProgramSpec.builder(name, ProgramType.SOCKET_FILTER)
                .instructions(CbpfConverter.socketFilter(program)).license("GPL").build();
        try (Program p = Program.load(spec)) {
            return SocketFilter.attach(p, socketFd);
        }
    }

    /**
     * The classic filter attached to {@code socketFd} ({@code SO_GET_FILTER}), empty when there is
     * none. A filter attached with {@code SO_ATTACH_BPF} is not classic: the kernel does not give it
     * back, and this is empty too.
     */
    public static Optional<CbpfProgram> attached(int socketFd) {
        NativeBuffer len = NativeBuffer.allocate(4);
        len.buffer().order(ByteOrder.nativeOrder()).putInt(0, 0);
        // with a length of 0 the kernel only says how many instructions there are
        int r = Sys.get().getsockopt(socketFd, SOL_SOCKET, SO_GET_FILTER, 0, len.address());
        check(r, "SO_GET_FILTER", socketFd);
        int count = len.buffer().order(ByteOrder.nativeOrder()).getInt(0);
        if (count <= 0) {
            return Optional.empty();
        }
        NativeBuffer insns = NativeBuffer.allocate(CbpfProgram.INSN_BYTES * count);
        len.buffer().putInt(0, count); // in instructions, not bytes
        r = Sys.get().getsockopt(socketFd, SOL_SOCKET, SO_GET_FILTER, insns.address(), len.address());
        check(r, "SO_GET_FILTER", socketFd);
        int got = len.buffer().getInt(0);
        byte[] bytes = insns.toArray(CbpfProgram.INSN_BYTES * Math.min(got, count));
        Reference.reachabilityFence(insns);
        Reference.reachabilityFence(len);
        return Optional.of(CbpfProgram.fromBytes(bytes, ByteOrder.nativeOrder()));
    }

    /**
     * Locks the filter of {@code socketFd} ({@code SO_LOCK_FILTER}): from now on it cannot be
     * detached or replaced (the kernel answers EPERM), not even by this process.
     */
    public static void lock(int socketFd) {
        NativeBuffer one = NativeBuffer.allocate(4);
        ByteBuffer b = one.buffer().order(ByteOrder.nativeOrder());
        b.putInt(0, 1);
        int r = Sys.get().setsockopt(socketFd, SOL_SOCKET, SO_LOCK_FILTER, one.address(), 4);
        Reference.reachabilityFence(one);
        check(r, "SO_LOCK_FILTER", socketFd);
    }

    private static void check(int r, String what, int socketFd) {
        if (r < 0) {
            throw new BpfException(what.equals("SO_GET_FILTER") ? "getsockopt" : "setsockopt", Errno.of(-r),
                    what + " on socket fd " + socketFd);
        }
    }
}
