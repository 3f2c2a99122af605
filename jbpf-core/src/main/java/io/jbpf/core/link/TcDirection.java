package io.jbpf.core.link;

import io.jbpf.core.prog.AttachType;

/** The traffic-control hook of an interface: packets it receives or packets it sends. */
public enum TcDirection {
    INGRESS(AttachType.TCX_INGRESS, 0xFFF2),
    EGRESS(AttachType.TCX_EGRESS, 0xFFF3);

    private final AttachType tcxAttachType;
    private final int clsactMinor;

    TcDirection(AttachType tcxAttachType, int clsactMinor) {
        this.tcxAttachType = tcxAttachType;
        this.clsactMinor = clsactMinor;
    }

    /** The TCX attach type of this direction. */
    public AttachType tcxAttachType() {
        return tcxAttachType;
    }

    /** The minor handle of this direction under the clsact qdisc ({@code TC_H_MIN_INGRESS/EGRESS}). */
    public int clsactMinor() {
        return clsactMinor;
    }
}
