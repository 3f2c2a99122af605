package io.jbpf.core;

/**
 * A netlink request failed: the errno the kernel returned and, when it sent one, its extended-ack
 * message ({@code NLMSGERR_ATTR_MSG}), which usually says exactly what it refused.
 */
public class NetlinkException extends BpfException {
    private static final long serialVersionUID = 1L;

    private final String kernelMessage;

    /**
     * @param request the request, e.g. {@code "RTM_SETLINK"}
     * @param errno what the kernel returned
     * @param what what was attempted, naming the interface or object
     * @param kernelMessage the extended-ack text, or empty
     */
    public NetlinkException(String request, Errno errno, String what, String kernelMessage) {
        super("netlink " + request, errno, what);
        this.kernelMessage = kernelMessage == null ? "" : kernelMessage;
    }

    /** The kernel's extended-ack message, or empty when it sent none. */
    public String kernelMessage() {
        return kernelMessage;
    }

    @Override
    public String getMessage() {
        String m = super.getMessage();
        return kernelMessage.isEmpty() ? m : m + "; the kernel says: " + kernelMessage;
    }
}
