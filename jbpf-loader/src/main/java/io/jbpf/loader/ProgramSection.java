package io.jbpf.loader;

import io.jbpf.core.prog.AttachType;
import io.jbpf.core.prog.ProgramType;
import java.util.List;
import java.util.Optional;

/**
 * What a program's ELF section name says about it, per libbpf's conventions: {@code xdp},
 * {@code tc}, {@code tcx/ingress}, {@code kprobe/do_sys_open}, {@code cgroup_skb/egress}, ...
 *
 * @param type        the program type
 * @param attachType  the expected attach type, if the section names one
 * @param target      what follows the prefix ({@code do_sys_open} of {@code kprobe/do_sys_open}), or ""
 */
public record ProgramSection(ProgramType type, Optional<AttachType> attachType, String target) {

    /** How a rule matches a section name: all of it, its start, or libbpf's {@code name+}. */
    private enum Match { EXACT, PREFIX, PLUS }

    private record Rule(String prefix, Match match, ProgramType type, AttachType attach) {
        Rule(String prefix, boolean exact, ProgramType type, AttachType attach) {
            this(prefix, exact ? Match.EXACT : Match.PREFIX, type, attach);
        }

        boolean matches(String name) {
            return switch (match) {
                case EXACT -> name.equals(prefix);
                case PREFIX -> name.startsWith(prefix);
                case PLUS -> name.equals(prefix) || name.startsWith(prefix + "/");
            };
        }

        String target(String name) {
            return switch (match) {
                case EXACT -> "";
                case PREFIX -> name.substring(prefix.length());
                case PLUS -> name.length() == prefix.length() ? "" : name.substring(prefix.length() + 1);
            };
        }
    }

    /**
     * libbpf's {@code name+} sections: {@code name} alone ({@code SEC("kprobe")}: the program is
     * attached to a target that the tool chooses at run time) or {@code name/TARGET}.
     */
    private static Rule plus(String name, ProgramType type, AttachType attach) {
        return new Rule(name, Match.PLUS, type, attach);
    }

    private static final List<Rule> RULES = List.of(
            new Rule("xdp.frags", true, ProgramType.XDP, AttachType.XDP),
            new Rule("xdp", true, ProgramType.XDP, AttachType.XDP),
            new Rule("xdp/", false, ProgramType.XDP, AttachType.XDP),
            new Rule("tc/ingress", true, ProgramType.SCHED_CLS, AttachType.TCX_INGRESS),
            new Rule("tc/egress", true, ProgramType.SCHED_CLS, AttachType.TCX_EGRESS),
            new Rule("tcx/ingress", true, ProgramType.SCHED_CLS, AttachType.TCX_INGRESS),
            new Rule("tcx/egress", true, ProgramType.SCHED_CLS, AttachType.TCX_EGRESS),
            new Rule("tc", true, ProgramType.SCHED_CLS, null),
            new Rule("classifier", true, ProgramType.SCHED_CLS, null),
            new Rule("action", true, ProgramType.SCHED_ACT, null),
            new Rule("socket", true, ProgramType.SOCKET_FILTER, null),
            new Rule("sk_lookup", true, ProgramType.SK_LOOKUP, AttachType.SK_LOOKUP),
            plus("kprobe", ProgramType.KPROBE, null),
            plus("kretprobe", ProgramType.KPROBE, null),
            new Rule("uprobe", false, ProgramType.KPROBE, null),
            new Rule("uretprobe", false, ProgramType.KPROBE, null),
            plus("ksyscall", ProgramType.KPROBE, null),
            plus("kretsyscall", ProgramType.KPROBE, null),
            plus("usdt", ProgramType.KPROBE, null),
            plus("kprobe.multi", ProgramType.KPROBE, AttachType.TRACE_KPROBE_MULTI),
            plus("kretprobe.multi", ProgramType.KPROBE, AttachType.TRACE_KPROBE_MULTI),
            plus("tracepoint", ProgramType.TRACEPOINT, null),
            plus("tp", ProgramType.TRACEPOINT, null),
            plus("raw_tracepoint", ProgramType.RAW_TRACEPOINT, null),
            plus("raw_tp", ProgramType.RAW_TRACEPOINT, null),
            plus("tp_btf", ProgramType.TRACING, AttachType.TRACE_RAW_TP),
            plus("fentry", ProgramType.TRACING, AttachType.TRACE_FENTRY),
            plus("fexit", ProgramType.TRACING, AttachType.TRACE_FEXIT),
            plus("fmod_ret", ProgramType.TRACING, AttachType.MODIFY_RETURN),
            plus("lsm", ProgramType.LSM, AttachType.LSM_MAC),
            plus("iter", ProgramType.TRACING, AttachType.TRACE_ITER),
            new Rule("perf_event", true, ProgramType.PERF_EVENT, null),
            new Rule("cgroup_skb/ingress", true, ProgramType.CGROUP_SKB, AttachType.CGROUP_INET_INGRESS),
            new Rule("cgroup_skb/egress", true, ProgramType.CGROUP_SKB, AttachType.CGROUP_INET_EGRESS),
            new Rule("cgroup/skb", true, ProgramType.CGROUP_SKB, null),
            new Rule("cgroup/sock_create", true, ProgramType.CGROUP_SOCK, AttachType.CGROUP_INET_SOCK_CREATE),
            new Rule("cgroup/sock_release", true, ProgramType.CGROUP_SOCK, AttachType.CGROUP_INET_SOCK_RELEASE),
            new Rule("cgroup/sock", true, ProgramType.CGROUP_SOCK, AttachType.CGROUP_INET_SOCK_CREATE),
            new Rule("cgroup/post_bind4", true, ProgramType.CGROUP_SOCK, AttachType.CGROUP_INET4_POST_BIND),
            new Rule("cgroup/post_bind6", true, ProgramType.CGROUP_SOCK, AttachType.CGROUP_INET6_POST_BIND),
            new Rule("cgroup/bind4", true, ProgramType.CGROUP_SOCK_ADDR, AttachType.CGROUP_INET4_BIND),
            new Rule("cgroup/bind6", true, ProgramType.CGROUP_SOCK_ADDR, AttachType.CGROUP_INET6_BIND),
            new Rule("cgroup/connect4", true, ProgramType.CGROUP_SOCK_ADDR, AttachType.CGROUP_INET4_CONNECT),
            new Rule("cgroup/connect6", true, ProgramType.CGROUP_SOCK_ADDR, AttachType.CGROUP_INET6_CONNECT),
            new Rule("cgroup/sendmsg4", true, ProgramType.CGROUP_SOCK_ADDR, AttachType.CGROUP_UDP4_SENDMSG),
            new Rule("cgroup/sendmsg6", true, ProgramType.CGROUP_SOCK_ADDR, AttachType.CGROUP_UDP6_SENDMSG),
            new Rule("cgroup/recvmsg4", true, ProgramType.CGROUP_SOCK_ADDR, AttachType.CGROUP_UDP4_RECVMSG),
            new Rule("cgroup/recvmsg6", true, ProgramType.CGROUP_SOCK_ADDR, AttachType.CGROUP_UDP6_RECVMSG),
            new Rule("cgroup/getpeername4", true, ProgramType.CGROUP_SOCK_ADDR, AttachType.CGROUP_INET4_GETPEERNAME),
            new Rule("cgroup/getpeername6", true, ProgramType.CGROUP_SOCK_ADDR, AttachType.CGROUP_INET6_GETPEERNAME),
            new Rule("cgroup/getsockname4", true, ProgramType.CGROUP_SOCK_ADDR, AttachType.CGROUP_INET4_GETSOCKNAME),
            new Rule("cgroup/getsockname6", true, ProgramType.CGROUP_SOCK_ADDR, AttachType.CGROUP_INET6_GETSOCKNAME),
            new Rule("cgroup/sysctl", true, ProgramType.CGROUP_SYSCTL, AttachType.CGROUP_SYSCTL),
            new Rule("cgroup/getsockopt", true, ProgramType.CGROUP_SOCKOPT, AttachType.CGROUP_GETSOCKOPT),
            new Rule("cgroup/setsockopt", true, ProgramType.CGROUP_SOCKOPT, AttachType.CGROUP_SETSOCKOPT),
            new Rule("cgroup/dev", true, ProgramType.CGROUP_DEVICE, AttachType.CGROUP_DEVICE),
            new Rule("sockops", true, ProgramType.SOCK_OPS, AttachType.CGROUP_SOCK_OPS),
            new Rule("sk_skb/stream_parser", true, ProgramType.SK_SKB, AttachType.SK_SKB_STREAM_PARSER),
            new Rule("sk_skb/stream_verdict", true, ProgramType.SK_SKB, AttachType.SK_SKB_STREAM_VERDICT),
            new Rule("sk_skb", true, ProgramType.SK_SKB, null),
            new Rule("sk_msg", true, ProgramType.SK_MSG, AttachType.SK_MSG_VERDICT),
            new Rule("flow_dissector", true, ProgramType.FLOW_DISSECTOR, AttachType.FLOW_DISSECTOR),
            new Rule("netfilter", true, ProgramType.NETFILTER, AttachType.NETFILTER),
            plus("struct_ops", ProgramType.STRUCT_OPS, null),
            new Rule("syscall", true, ProgramType.SYSCALL, null));

    /** The program kind of section {@code name}; a {@code LoaderException} when no convention matches. */
    public static ProgramSection of(String name) {
        for (Rule r : RULES) {
            if (r.matches(name)) {
                return new ProgramSection(r.type(), Optional.ofNullable(r.attach()), r.target(name));
            }
        }
        throw new LoaderException("section '" + name + "' names no program type jbpf knows (e.g. xdp, tc, "
                + "kprobe/FUNC, tracepoint/CAT/NAME, cgroup_skb/ingress, socket)");
    }
}
