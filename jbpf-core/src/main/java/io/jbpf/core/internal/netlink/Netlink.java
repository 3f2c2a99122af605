package io.jbpf.core.internal.netlink;

/** Netlink and rtnetlink constants ({@code linux/netlink.h}, {@code linux/rtnetlink.h}). */
public final class Netlink {
    private Netlink() {}

    public static final int AF_NETLINK = 16;
    public static final int NETLINK_ROUTE = 0;
    public static final int SOL_NETLINK = 270;
    public static final int NETLINK_CAP_ACK = 10;
    public static final int NETLINK_EXT_ACK = 11;

    /** {@code struct nlmsghdr}: len u32, type u16, flags u16, seq u32, pid u32. */
    public static final int HEADER_SIZE = 16;

    public static final int NLM_F_REQUEST = 0x1;
    public static final int NLM_F_MULTI = 0x2;
    public static final int NLM_F_ACK = 0x4;
    public static final int NLM_F_DUMP = 0x300;
    public static final int NLM_F_REPLACE = 0x100;
    public static final int NLM_F_EXCL = 0x200;
    public static final int NLM_F_CREATE = 0x400;
    /** In an error message: the original request was capped to its header. */
    public static final int NLM_F_CAPPED = 0x100;
    /** In an error message: extended-ack TLVs follow. */
    public static final int NLM_F_ACK_TLVS = 0x200;

    public static final int NLMSG_NOOP = 1;
    public static final int NLMSG_ERROR = 2;
    public static final int NLMSG_DONE = 3;

    public static final int NLMSGERR_ATTR_MSG = 1;
    public static final int NLMSGERR_ATTR_OFFS = 2;

    public static final int NLA_F_NESTED = 0x8000;
    public static final int NLA_TYPE_MASK = 0x3fff;

    public static final int RTM_NEWLINK = 16;
    public static final int RTM_GETLINK = 18;
    public static final int RTM_SETLINK = 19;
    public static final int RTM_NEWQDISC = 36;
    public static final int RTM_DELQDISC = 37;
    public static final int RTM_GETQDISC = 38;
    public static final int RTM_NEWTFILTER = 44;
    public static final int RTM_DELTFILTER = 45;
    public static final int RTM_GETTFILTER = 46;

    /** The name of a request type, for messages. */
    public static String typeName(int type) {
        switch (type) {
            case RTM_NEWLINK: return "RTM_NEWLINK";
            case RTM_GETLINK: return "RTM_GETLINK";
            case RTM_SETLINK: return "RTM_SETLINK";
            case RTM_NEWQDISC: return "RTM_NEWQDISC";
            case RTM_DELQDISC: return "RTM_DELQDISC";
            case RTM_GETQDISC: return "RTM_GETQDISC";
            case RTM_NEWTFILTER: return "RTM_NEWTFILTER";
            case RTM_DELTFILTER: return "RTM_DELTFILTER";
            case RTM_GETTFILTER: return "RTM_GETTFILTER";
            default: return "type " + type;
        }
    }

    /** Rounds up to the 4-byte netlink alignment. */
    public static int align(int n) {
        return (n + 3) & ~3;
    }
}
