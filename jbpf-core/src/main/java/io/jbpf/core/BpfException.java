package io.jbpf.core;

/**
 * A system call failed: carries the {@link Errno} and, for bpf(), the {@link BpfCommand}.
 * The message says what was attempted, the errno's name and a hint where one is known.
 */
public class BpfException extends JbpfException {
    private static final long serialVersionUID = 1L;

    private final transient Errno errno;
    private final transient BpfCommand command;

    public BpfException(BpfCommand command, Errno errno, String what) {
        super(format(command, errno, what));
        this.errno = errno;
        this.command = command;
    }

    /** The error of a call other than bpf() (perf_event_open, netlink, mmap, ...). */
    public BpfException(String call, Errno errno, String what) {
        super(what + ": " + call + " failed with " + errno.name() + " (" + errno.description() + ")"
                + hint(errno));
        this.errno = errno;
        this.command = null;
    }

    private static String format(BpfCommand command, Errno errno, String what) {
        return what + ": bpf(" + command.name() + ") failed with " + errno.name() + " (" + errno.description()
                + ")" + hint(errno);
    }

    private static String hint(Errno errno) {
        switch (errno) {
            case EPERM:
                return "; bpf() needs root or CAP_BPF (and CAP_NET_ADMIN / CAP_PERFMON for some program types)";
            case ENOSYS:
                return "; this kernel has no bpf() syscall";
            case ENOTSUPP:
            case EOPNOTSUPP:
                return "; this kernel does not support the requested feature";
            case EBADF:
                return "; a file descriptor passed to the kernel is not valid";
            default:
                return "";
        }
    }

    /** The error number the kernel returned. */
    public Errno errno() {
        return errno;
    }

    /** The bpf() command, or {@code null} for another call. */
    public BpfCommand command() {
        return command;
    }
}
