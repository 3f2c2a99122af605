package io.jbpf.core.internal.sys;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The FFM backend (Java 22+): libc through downcall handles. errno is captured by the linker
 * into a per-thread segment. Pointer arguments travel as {@code long} addresses.
 */
public final class FfmSyscalls implements Syscalls {

    private static final Arch ARCH = Arch.current();
    private static final Linker LINKER = Linker.nativeLinker();
    private static final SymbolLookup LIBC = LINKER.defaultLookup();
    private static final StructLayout STATE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO =
            STATE.varHandle(java.lang.foreign.MemoryLayout.PathElement.groupElement("errno"));
    private static final Linker.Option CAPTURE = Linker.Option.captureCallState("errno");

    private static final ThreadLocal<MemorySegment> STATE_SEGMENT =
            ThreadLocal.withInitial(() -> Arena.ofAuto().allocate(STATE));

    private static MethodHandle handle(String name, FunctionDescriptor fd, Linker.Option... options) {
        MemorySegment symbol = LIBC.find(name)
                .orElseThrow(() -> new UnsatisfiedLinkError("libc has no " + name));
        return LINKER.downcallHandle(symbol, fd, options);
    }

    private static final MethodHandle SYSCALL3 = handle("syscall",
            FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG),
            Linker.Option.firstVariadicArg(1), CAPTURE);
    private static final MethodHandle SYSCALL5 = handle("syscall",
            FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG),
            Linker.Option.firstVariadicArg(1), CAPTURE);
    private static final MethodHandle CLOSE = handle("close", FunctionDescriptor.of(JAVA_INT, JAVA_INT), CAPTURE);
    private static final MethodHandle MMAP = handle("mmap",
            FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_LONG), CAPTURE);
    private static final MethodHandle MUNMAP = handle("munmap",
            FunctionDescriptor.of(JAVA_INT, JAVA_LONG, JAVA_LONG), CAPTURE);
    private static final MethodHandle IOCTL = handle("ioctl",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_LONG), Linker.Option.firstVariadicArg(2), CAPTURE);
    private static final MethodHandle SOCKET = handle("socket",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT), CAPTURE);
    private static final MethodHandle SETSOCKOPT = handle("setsockopt",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_INT), CAPTURE);
    private static final MethodHandle GETSOCKOPT = handle("getsockopt",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_LONG), CAPTURE);
    private static final MethodHandle BIND = handle("bind",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_INT), CAPTURE);
    private static final MethodHandle SENDTO = handle("sendto",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_INT), CAPTURE);
    private static final MethodHandle RECVFROM = handle("recvfrom",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_LONG), CAPTURE);
    private static final MethodHandle SETNS = handle("setns",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT), CAPTURE);
    private static final MethodHandle OPEN = handle("open",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT), Linker.Option.firstVariadicArg(2), CAPTURE);
    private static final MethodHandle IF_NAMETOINDEX = handle("if_nametoindex",
            FunctionDescriptor.of(JAVA_INT, ADDRESS));
    private static final MethodHandle GETPID = handle("getpid", FunctionDescriptor.of(JAVA_INT));
    private static final MethodHandle GETEUID = handle("geteuid", FunctionDescriptor.of(JAVA_INT));
    private static final MethodHandle READ = handle("read",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_LONG), CAPTURE);
    private static final MethodHandle WRITE = handle("write",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_LONG), CAPTURE);
    private static final MethodHandle EPOLL_CREATE1 = handle("epoll_create1",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT), CAPTURE);
    private static final MethodHandle EPOLL_CTL = handle("epoll_ctl",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_LONG), CAPTURE);
    private static final MethodHandle EPOLL_WAIT = handle("epoll_wait",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_INT, JAVA_INT), CAPTURE);
    private static final MethodHandle EVENTFD = handle("eventfd",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT), CAPTURE);
    private static final MethodHandle GETPAGESIZE = handle("getpagesize", FunctionDescriptor.of(JAVA_INT));

    @Override
    public String name() {
        return "ffm";
    }

    @Override
    public long address(ByteBuffer direct) {
        return MemorySegment.ofBuffer(direct).address() - direct.position();
    }

    private static int errno(MemorySegment state) {
        return (int) ERRNO.get(state, 0L);
    }

    private static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException r) {
            return r;
        }
        if (t instanceof Error e) {
            throw e;
        }
        return new IllegalStateException(t);
    }

    @Override
    public long bpf(int cmd, long attr, int size) {
        return bpf(STATE_SEGMENT.get(), cmd, attr, size);
    }

    /** bpf() on the frame's attr, with the errno segment the frame keeps (no thread-local lookup). */
    @Override
    public long bpf(CallFrame frame, int cmd, int size) {
        MemorySegment state = (MemorySegment) frame.backendState;
        if (state == null) {
            state = STATE_SEGMENT.get();
            frame.backendState = state;
        }
        return bpf(state, cmd, frame.attrUncleared().address(), size);
    }

    private static long bpf(MemorySegment state, int cmd, long attr, int size) {
        try {
            long r = (long) SYSCALL3.invokeExact(state, (long) ARCH.bpf, (long) cmd, attr, (long) size);
            return r == -1 ? -errno(state) : r;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public int perfEventOpen(long attr, int pid, int cpu, int groupFd, long flags) {
        MemorySegment state = STATE_SEGMENT.get();
        try {
            long r = (long) SYSCALL5.invokeExact(state, (long) ARCH.perfEventOpen, attr, (long) pid, (long) cpu,
                    (long) groupFd, flags);
            return r == -1 ? -errno(state) : (int) r;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public int close(int fd) {
        MemorySegment state = STATE_SEGMENT.get();
        try {
            int r = (int) CLOSE.invokeExact(state, fd);
            return r == -1 ? -errno(state) : r;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public long mmap(long addr, long length, int prot, int flags, int fd, long offset) {
        MemorySegment state = STATE_SEGMENT.get();
        try {
            long r = (long) MMAP.invokeExact(state, addr, length, prot, flags, fd, offset);
            return r == -1 ? -errno(state) : r;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public int munmap(long addr, long length) {
        MemorySegment state = STATE_SEGMENT.get();
        try {
            int r = (int) MUNMAP.invokeExact(state, addr, length);
            return r == -1 ? -errno(state) : r;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public int ioctl(int fd, long request, long arg) {
        MemorySegment state = STATE_SEGMENT.get();
        try {
            int r = (int) IOCTL.invokeExact(state, fd, request, arg);
            return r == -1 ? -errno(state) : r;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public int socket(int domain, int type, int protocol) {
        MemorySegment state = STATE_SEGMENT.get();
        try {
            int r = (int) SOCKET.invokeExact(state, domain, type, protocol);
            return r == -1 ? -errno(state) : r;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public int setsockopt(int fd, int level, int name, long value, int length) {
        MemorySegment state = STATE_SEGMENT.get();
        try {
            int r = (int) SETSOCKOPT.invokeExact(state, fd, level, name, value, length);
            return r == -1 ? -errno(state) : r;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public int getsockopt(int fd, int level, int name, long value, long lengthAddr) {
        MemorySegment state = STATE_SEGMENT.get();
        try {
            int r = (int) GETSOCKOPT.invokeExact(state, fd, level, name, value, lengthAddr);
            return r == -1 ? -errno(state) : r;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public int bind(int fd, long addr, int length) {
        MemorySegment state = STATE_SEGMENT.get();
        try {
            int r = (int) BIND.invokeExact(state, fd, addr, length);
            return r == -1 ? -errno(state) : r;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public long sendto(int fd, long buf, long length, int flags, long addr, int addrLength) {
        MemorySegment state = STATE_SEGMENT.get();
        try {
            long r = (long) SENDTO.invokeExact(state, fd, buf, length, flags, addr, addrLength);
            return r == -1 ? -errno(state) : r;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public long recv(int fd, long buf, long length, int flags) {
        MemorySegment state = STATE_SEGMENT.get();
        try {
            long r = (long) RECVFROM.invokeExact(state, fd, buf, length, flags, 0L, 0L);
            return r == -1 ? -errno(state) : r;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public int setns(int fd, int nstype) {
        MemorySegment state = STATE_SEGMENT.get();
        try {
            int r = (int) SETNS.invokeExact(state, fd, nstype);
            return r == -1 ? -errno(state) : r;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public int open(String path, int flags, int mode) {
        MemorySegment state = STATE_SEGMENT.get();
        try (Arena arena = Arena.ofConfined()) {
            int r = (int) OPEN.invokeExact(state, arena.allocateFrom(path), flags, mode);
            return r == -1 ? -errno(state) : r;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public int ifNameToIndex(String name) {
        try (Arena arena = Arena.ofConfined()) {
            return (int) IF_NAMETOINDEX.invokeExact(arena.allocateFrom(name));
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public int getpid() {
        try {
            return (int) GETPID.invokeExact();
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public int geteuid() {
        try {
            return (int) GETEUID.invokeExact();
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public long read(int fd, long buf, long count) {
        MemorySegment state = STATE_SEGMENT.get();
        try {
            long r = (long) READ.invokeExact(state, fd, buf, count);
            return r == -1 ? -errno(state) : r;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public long write(int fd, long buf, long count) {
        MemorySegment state = STATE_SEGMENT.get();
        try {
            long r = (long) WRITE.invokeExact(state, fd, buf, count);
            return r == -1 ? -errno(state) : r;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public int epollCreate1(int flags) {
        MemorySegment state = STATE_SEGMENT.get();
        try {
            int r = (int) EPOLL_CREATE1.invokeExact(state, flags);
            return r == -1 ? -errno(state) : r;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public int epollCtl(int epfd, int op, int fd, long event) {
        MemorySegment state = STATE_SEGMENT.get();
        try {
            int r = (int) EPOLL_CTL.invokeExact(state, epfd, op, fd, event);
            return r == -1 ? -errno(state) : r;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public int epollWait(int epfd, long events, int maxEvents, int timeoutMs) {
        MemorySegment state = STATE_SEGMENT.get();
        try {
            int r = (int) EPOLL_WAIT.invokeExact(state, epfd, events, maxEvents, timeoutMs);
            return r == -1 ? -errno(state) : r;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public int eventfd(int initval, int flags) {
        MemorySegment state = STATE_SEGMENT.get();
        try {
            int r = (int) EVENTFD.invokeExact(state, initval, flags);
            return r == -1 ? -errno(state) : r;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public int pageSize() {
        try {
            return (int) GETPAGESIZE.invokeExact();
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public ByteBuffer view(long address, int length) {
        if (address == 0 || length < 0) {
            throw new IllegalArgumentException("cannot view " + length + " bytes at address " + address);
        }
        // A plain direct buffer (JNI's NewDirectByteBuffer, through JNA), not MemorySegment.asByteBuffer(): a buffer
        // that carries a segment takes a slower path for every access, and the VarHandle acquire/release accesses
        // the ring readers make per record cost ~60 instead of ~40 ns per record in RingBufferReadBenchmark.
        return new com.sun.jna.Pointer(address).getByteBuffer(0, length).order(ByteOrder.nativeOrder());
    }
}
