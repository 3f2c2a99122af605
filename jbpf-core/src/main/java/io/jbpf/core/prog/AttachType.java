package io.jbpf.core.prog;

import io.jbpf.core.internal.KernelNumbers;

/** Attach types with the kernel's numbers ({@code enum bpf_attach_type}) and the kernel that added each. */
public enum AttachType {
    CGROUP_INET_INGRESS(0, "4.10"),
    CGROUP_INET_EGRESS(1, "4.10"),
    CGROUP_INET_SOCK_CREATE(2, "4.10"),
    CGROUP_SOCK_OPS(3, "4.13"),
    SK_SKB_STREAM_PARSER(4, "4.14"),
    SK_SKB_STREAM_VERDICT(5, "4.14"),
    CGROUP_DEVICE(6, "4.15"),
    SK_MSG_VERDICT(7, "4.17"),
    CGROUP_INET4_BIND(8, "4.17"),
    CGROUP_INET6_BIND(9, "4.17"),
    CGROUP_INET4_CONNECT(10, "4.17"),
    CGROUP_INET6_CONNECT(11, "4.17"),
    CGROUP_INET4_POST_BIND(12, "4.17"),
    CGROUP_INET6_POST_BIND(13, "4.17"),
    CGROUP_UDP4_SENDMSG(14, "4.18"),
    CGROUP_UDP6_SENDMSG(15, "4.18"),
    LIRC_MODE2(16, "4.18"),
    FLOW_DISSECTOR(17, "4.20"),
    CGROUP_SYSCTL(18, "5.2"),
    CGROUP_UDP4_RECVMSG(19, "5.2"),
    CGROUP_UDP6_RECVMSG(20, "5.2"),
    CGROUP_GETSOCKOPT(21, "5.3"),
    CGROUP_SETSOCKOPT(22, "5.3"),
    TRACE_RAW_TP(23, "5.5"),
    TRACE_FENTRY(24, "5.5"),
    TRACE_FEXIT(25, "5.5"),
    MODIFY_RETURN(26, "5.7"),
    LSM_MAC(27, "5.7"),
    TRACE_ITER(28, "5.8"),
    CGROUP_INET4_GETPEERNAME(29, "5.8"),
    CGROUP_INET6_GETPEERNAME(30, "5.8"),
    CGROUP_INET4_GETSOCKNAME(31, "5.8"),
    CGROUP_INET6_GETSOCKNAME(32, "5.8"),
    XDP_DEVMAP(33, "5.8"),
    CGROUP_INET_SOCK_RELEASE(34, "5.9"),
    XDP_CPUMAP(35, "5.9"),
    SK_LOOKUP(36, "5.9"),
    XDP(37, "5.9"),
    SK_SKB_VERDICT(38, "5.13"),
    SK_REUSEPORT_SELECT(39, "5.14"),
    SK_REUSEPORT_SELECT_OR_MIGRATE(40, "5.14"),
    PERF_EVENT(41, "5.15"),
    TRACE_KPROBE_MULTI(42, "5.18"),
    LSM_CGROUP(43, "6.0"),
    STRUCT_OPS(44, "6.4"),
    NETFILTER(45, "6.4"),
    TCX_INGRESS(46, "6.6"),
    TCX_EGRESS(47, "6.6"),
    TRACE_UPROBE_MULTI(48, "6.6"),
    CGROUP_UNIX_CONNECT(49, "6.7"),
    CGROUP_UNIX_SENDMSG(50, "6.7"),
    CGROUP_UNIX_RECVMSG(51, "6.7"),
    CGROUP_UNIX_GETPEERNAME(52, "6.7"),
    CGROUP_UNIX_GETSOCKNAME(53, "6.7"),
    NETKIT_PRIMARY(54, "6.7"),
    NETKIT_PEER(55, "6.7"),
    TRACE_KPROBE_SESSION(56, "6.10"),
    TRACE_UPROBE_SESSION(57, "6.13");

    private static final AttachType[] VALUES = values();

    private final int number;
    private final String since;

    AttachType(int number, String since) {
        this.number = number;
        this.since = since;
    }

    /** The kernel's number. */
    public int number() {
        return number;
    }

    /** The first mainline kernel version with this attach type. */
    public String since() {
        return since;
    }

    /** The type for a kernel number. */
    public static AttachType of(int number) {
        return KernelNumbers.byNumber(VALUES, AttachType::number, number, "attach type");
    }
}
