package io.jbpf.core.link;

/** Where an XDP program runs ({@code XDP_FLAGS_*_MODE}). */
public enum XdpMode {
    /** The driver's native mode if it has one, else generic: the kernel chooses. */
    DEFAULT(0),
    /** Generic (SKB) mode: after the socket buffer is built; works on every interface, slowest. */
    GENERIC(1 << 1),
    /** Native (driver) mode: in the driver's receive path; needs driver support. */
    DRIVER(1 << 2),
    /** Offloaded to the NIC; needs a program loaded for that device and hardware support. */
    OFFLOAD(1 << 3);

    private final int flag;

    XdpMode(int flag) {
        this.flag = flag;
    }

    /** The {@code XDP_FLAGS_*} bit (0 for {@link #DEFAULT}). */
    public int flag() {
        return flag;
    }
}
