package io.jbpf.core.internal.sys;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** The JNA backend: libc through JNA direct mapping (static native methods). */
final class JnaSyscalls implements Syscalls {

    private static final Arch ARCH = Arch.current();

    /** Direct-mapped libc functions; errno is saved by JNA after each call. */
    static final class Libc {
        static {
            Native.register(NativeLibrary.getInstance("c"));
        }

        private Libc() {}

        static native long syscall(long number, long a, long b, long c, long d, long e);

        static native int close(int fd);

        static native long mmap(long addr, long length, int prot, int flags, int fd, long offset);

        static native int munmap(long addr, long length);

        static native int ioctl(int fd, long request, long arg);

        static native int socket(int domain, int type, int protocol);

        static native int setsockopt(int fd, int level, int name, long value, int length);

        static native int getsockopt(int fd, int level, int name, long value, long lengthAddr);

        static native int bind(int fd, long addr, int length);

        static native long sendto(int fd, long buf, long length, int flags, long addr, int addrLength);

        static native long recvfrom(int fd, long buf, long length, int flags, long addr, long addrLength);

        static native int setns(int fd, int nstype);

        static native int open(String path, int flags, int mode);

        static native int if_nametoindex(String name);

        static native int getpid();

        static native int geteuid();

        static native long read(int fd, long buf, long count);

        static native long write(int fd, long buf, long count);

        static native int epoll_create1(int flags);

        static native int epoll_ctl(int epfd, int op, int fd, long event);

        static native int epoll_wait(int epfd, long events, int maxEvents, int timeout);

        static native int eventfd(int initval, int flags);

        static native int getpagesize();
    }

    @Override
    public String name() {
        return "jna";
    }

    @Override
    public long address(ByteBuffer direct) {
        return Pointer.nativeValue(Native.getDirectBufferPointer(direct));
    }

    private static long check(long r) {
        return r == -1 ? -Native.getLastError() : r;
    }

    private static int check(int r) {
        return r == -1 ? -Native.getLastError() : r;
    }

    @Override
    public long bpf(int cmd, long attr, int size) {
        return check(Libc.syscall(ARCH.bpf, cmd, attr, size, 0, 0));
    }

    @Override
    public int close(int fd) {
        return check(Libc.close(fd));
    }

    @Override
    public long mmap(long addr, long length, int prot, int flags, int fd, long offset) {
        return check(Libc.mmap(addr, length, prot, flags, fd, offset));
    }

    @Override
    public int munmap(long addr, long length) {
        return check(Libc.munmap(addr, length));
    }

    @Override
    public int ioctl(int fd, long request, long arg) {
        return check(Libc.ioctl(fd, request, arg));
    }

    @Override
    public int perfEventOpen(long attr, int pid, int cpu, int groupFd, long flags) {
        return (int) check(Libc.syscall(ARCH.perfEventOpen, attr, pid, cpu, groupFd, flags));
    }

    @Override
    public int socket(int domain, int type, int protocol) {
        return check(Libc.socket(domain, type, protocol));
    }

    @Override
    public int setsockopt(int fd, int level, int name, long value, int length) {
        return check(Libc.setsockopt(fd, level, name, value, length));
    }

    @Override
    public int getsockopt(int fd, int level, int name, long value, long lengthAddr) {
        return check(Libc.getsockopt(fd, level, name, value, lengthAddr));
    }

    @Override
    public int bind(int fd, long addr, int length) {
        return check(Libc.bind(fd, addr, length));
    }

    @Override
    public long sendto(int fd, long buf, long length, int flags, long addr, int addrLength) {
        return check(Libc.sendto(fd, buf, length, flags, addr, addrLength));
    }

    @Override
    public long recv(int fd, long buf, long length, int flags) {
        return check(Libc.recvfrom(fd, buf, length, flags, 0, 0));
    }

    @Override
    public int setns(int fd, int nstype) {
        return check(Libc.setns(fd, nstype));
    }

    @Override
    public int open(String path, int flags, int mode) {
        return check(Libc.open(path, flags, mode));
    }

    @Override
    public int ifNameToIndex(String name) {
        return Libc.if_nametoindex(name);
    }

    @Override
    public int getpid() {
        return Libc.getpid();
    }

    @Override
    public int geteuid() {
        return Libc.geteuid();
    }

    @Override
    public long read(int fd, long buf, long count) {
        return check(Libc.read(fd, buf, count));
    }

    @Override
    public long write(int fd, long buf, long count) {
        return check(Libc.write(fd, buf, count));
    }

    @Override
    public int epollCreate1(int flags) {
        return check(Libc.epoll_create1(flags));
    }

    @Override
    public int epollCtl(int epfd, int op, int fd, long event) {
        return check(Libc.epoll_ctl(epfd, op, fd, event));
    }

    @Override
    public int epollWait(int epfd, long events, int maxEvents, int timeoutMs) {
        return check(Libc.epoll_wait(epfd, events, maxEvents, timeoutMs));
    }

    @Override
    public int eventfd(int initval, int flags) {
        return check(Libc.eventfd(initval, flags));
    }

    @Override
    public int pageSize() {
        return Libc.getpagesize();
    }

    @Override
    public ByteBuffer view(long address, int length) {
        if (address == 0 || length < 0) {
            throw new IllegalArgumentException("cannot view " + length + " bytes at address " + address);
        }
        return new Pointer(address).getByteBuffer(0, length).order(ByteOrder.nativeOrder());
    }
}
