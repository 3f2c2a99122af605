package io.jbpf.core.internal.sys;

/**
 * Constants of epoll, eventfd and mmap ({@code sys/epoll.h}, {@code sys/eventfd.h},
 * {@code sys/mman.h}) and the layout of {@code struct epoll_event}, which is packed (12 bytes) on
 * x86-64 and naturally aligned (16 bytes) elsewhere.
 */
public final class Epoll {
    private Epoll() {}

    /** {@code EPOLLIN}. */
    public static final int IN = 0x001;
    /** {@code EPOLLOUT}. */
    public static final int OUT = 0x004;
    /** {@code EPOLLERR}. */
    public static final int ERR = 0x008;
    /** {@code EPOLLHUP}. */
    public static final int HUP = 0x010;

    /** {@code EPOLL_CTL_ADD}. */
    public static final int CTL_ADD = 1;
    /** {@code EPOLL_CTL_DEL}. */
    public static final int CTL_DEL = 2;
    /** {@code EPOLL_CTL_MOD}. */
    public static final int CTL_MOD = 3;
    /** {@code EPOLL_CLOEXEC}. */
    public static final int CLOEXEC = 0x80000;

    /** {@code EFD_CLOEXEC}. */
    public static final int EFD_CLOEXEC = 0x80000;
    /** {@code EFD_NONBLOCK}. */
    public static final int EFD_NONBLOCK = 0x800;

    /** {@code PROT_READ}. */
    public static final int PROT_READ = 1;
    /** {@code PROT_WRITE}. */
    public static final int PROT_WRITE = 2;
    /** {@code MAP_SHARED}. */
    public static final int MAP_SHARED = 1;

    private static final boolean PACKED = isX86();

    /** {@code sizeof(struct epoll_event)}. */
    public static final int EVENT_SIZE = PACKED ? 12 : 16;
    /** Offset of {@code events} (u32) in {@code struct epoll_event}. */
    public static final int EVENT_EVENTS = 0;
    /** Offset of {@code data} (u64) in {@code struct epoll_event}. */
    public static final int EVENT_DATA = PACKED ? 4 : 8;

    private static boolean isX86() {
        String arch = System.getProperty("os.arch");
        return arch.equals("amd64") || arch.equals("x86_64");
    }
}
