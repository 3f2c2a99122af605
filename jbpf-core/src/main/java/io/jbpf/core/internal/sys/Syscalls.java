package io.jbpf.core.internal.sys;

import java.nio.ByteBuffer;

/**
 * The one native boundary of jbpf: every call into the kernel or libc goes through this interface.
 *
 * <p>Arguments that point to memory are native addresses ({@code long}); {@link #address} gives
 * the address of a direct buffer. Every call returns its result, or {@code -errno} on failure, so
 * that no backend needs a thread-local error channel visible to callers.
 */
public interface Syscalls {

    /** The backend's name: {@code "jna"} or {@code "ffm"}. */
    String name();

    /** The native address of a direct buffer's first byte (not its position). */
    long address(ByteBuffer direct);

    /** {@code bpf(cmd, attr, size)}: the result, or {@code -errno}. */
    long bpf(int cmd, long attr, int size);

    /** {@link #bpf(int, long, int)} on the attr buffer of {@code frame}, this thread's frame. */
    default long bpf(CallFrame frame, int cmd, int size) {
        return bpf(cmd, frame.attrUncleared().address(), size);
    }

    /** {@code close(fd)}: 0, or {@code -errno}. */
    int close(int fd);

    /** {@code mmap}: the address, or {@code -errno}. */
    long mmap(long addr, long length, int prot, int flags, int fd, long offset);

    /** {@code munmap}: 0, or {@code -errno}. */
    int munmap(long addr, long length);

    /** {@code ioctl(fd, request, arg)}: the result, or {@code -errno}. */
    int ioctl(int fd, long request, long arg);

    /** {@code perf_event_open(attr, pid, cpu, group_fd, flags)}: an fd, or {@code -errno}. */
    int perfEventOpen(long attr, int pid, int cpu, int groupFd, long flags);

    /** {@code socket(domain, type, protocol)}: an fd, or {@code -errno}. */
    int socket(int domain, int type, int protocol);

    /** {@code setsockopt}: 0, or {@code -errno}. */
    int setsockopt(int fd, int level, int name, long value, int length);

    /** {@code getsockopt}; {@code lengthAddr} points to a socklen_t: 0, or {@code -errno}. */
    int getsockopt(int fd, int level, int name, long value, long lengthAddr);

    /** {@code bind}: 0, or {@code -errno}. */
    int bind(int fd, long addr, int length);

    /** {@code sendto}: bytes sent, or {@code -errno}. */
    long sendto(int fd, long buf, long length, int flags, long addr, int addrLength);

    /** {@code recvfrom} with no source address: bytes received, or {@code -errno}. */
    long recv(int fd, long buf, long length, int flags);

    /** {@code setns(fd, nstype)} for the calling thread: 0, or {@code -errno}. */
    int setns(int fd, int nstype);

    /** {@code open(path, flags, mode)}: an fd, or {@code -errno}. */
    int open(String path, int flags, int mode);

    /** {@code if_nametoindex(name)} in the calling thread's network namespace: 0 when unknown. */
    int ifNameToIndex(String name);

    /** {@code getpid()}. */
    int getpid();

    /** {@code geteuid()}. */
    int geteuid();

    /** {@code read(fd, buf, count)}: bytes read, or {@code -errno}. */
    long read(int fd, long buf, long count);

    /** {@code write(fd, buf, count)}: bytes written, or {@code -errno}. */
    long write(int fd, long buf, long count);

    /** {@code epoll_create1(flags)}: an fd, or {@code -errno}. */
    int epollCreate1(int flags);

    /** {@code epoll_ctl(epfd, op, fd, event)}; {@code event} points to a {@code struct epoll_event} ({@link Epoll}): 0, or {@code -errno}. */
    int epollCtl(int epfd, int op, int fd, long event);

    /**
     * {@code epoll_wait(epfd, events, maxEvents, timeoutMs)}: the number of ready events, or
     * {@code -errno} ({@code -EINTR} when a signal interrupted the wait).
     */
    int epollWait(int epfd, long events, int maxEvents, int timeoutMs);

    /** {@code eventfd(initval, flags)}: an fd, or {@code -errno}. */
    int eventfd(int initval, int flags);

    /** {@code getpagesize()}: the size of a memory page, the unit of mmap offsets. */
    int pageSize();

    /**
     * A direct buffer over {@code length} bytes of native memory at {@code address} (for example an
     * mmapped region), in the host byte order, without copying. The buffer does not own the
     * memory: it must not be used after the memory is unmapped.
     */
    ByteBuffer view(long address, int length);
}
