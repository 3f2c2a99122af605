package io.jbpf.maps.capture;

import io.jbpf.core.dsl.Target;
import io.jbpf.core.link.XdpMode;

/** Where a {@link LiveCapture} attaches its program on the interface. */
public enum AttachPoint {
    /** XDP, in the mode the kernel chooses (native where the driver has it, else generic). */
    XDP(Target.XDP, XdpMode.DEFAULT),
    /** XDP in generic (SKB) mode: works on every interface. */
    XDP_GENERIC(Target.XDP, XdpMode.GENERIC),
    /** XDP in the driver's native mode; refused where the driver has none. */
    XDP_NATIVE(Target.XDP, XdpMode.DRIVER),
    /** TC ingress through TCX (Linux 6.6): the packets the interface receives. */
    TC_INGRESS(Target.TC_INGRESS, null),
    /** TC egress through TCX (Linux 6.6): the packets the interface sends. */
    TC_EGRESS(Target.TC_EGRESS, null);

    private final Target target;
    private final XdpMode xdpMode;

    AttachPoint(Target target, XdpMode xdpMode) {
        this.target = target;
        this.xdpMode = xdpMode;
    }

    /** The DSL target the capture program is built for. */
    public Target target() {
        return target;
    }

    /** The XDP mode, or {@code null} for TC. */
    XdpMode xdpMode() {
        return xdpMode;
    }
}
