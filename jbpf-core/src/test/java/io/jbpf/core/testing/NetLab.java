package io.jbpf.core.testing;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Two network namespaces created for a test, joined by a veth pair: {@link #A_IF} in {@link #nsA()}
 * with {@link #addressA()}, {@link #B_IF} in {@link #nsB()} with {@link #addressB()}. Nothing is
 * created in the root namespace and it gets no route to them. Named {@code jbpf-<pid>-<n>a/b};
 * {@link #close()} deletes both namespaces (and with them the veth pair).
 */
public final class NetLab implements AutoCloseable {
    private static final AtomicInteger COUNTER = new AtomicInteger();

    public static final String A_IF = "jbpf-a";
    public static final String B_IF = "jbpf-b";

    private final String nsA;
    private final String nsB;
    private final String addressA;
    private final String addressB;

    private NetLab(String prefix, int subnet) {
        this.nsA = prefix + "a";
        this.nsB = prefix + "b";
        this.addressA = "10.201." + subnet + ".1";
        this.addressB = "10.201." + subnet + ".2";
    }

    /** Creates the namespaces and the veth pair, up and addressed. */
    public static NetLab create() {
        int n = COUNTER.incrementAndGet();
        NetLab lab = new NetLab("jbpf-" + ProcessHandle.current().pid() + "-" + n, n % 250);
        try {
            Shell.check("ip", "netns", "add", lab.nsA);
            Shell.check("ip", "netns", "add", lab.nsB);
            Shell.check("ip", "-n", lab.nsA, "link", "add", A_IF, "type", "veth", "peer", "name", B_IF, "netns", lab.nsB);
            Shell.check("ip", "-n", lab.nsA, "addr", "add", lab.addressA + "/24", "dev", A_IF);
            Shell.check("ip", "-n", lab.nsB, "addr", "add", lab.addressB + "/24", "dev", B_IF);
            for (String ns : new String[] {lab.nsA, lab.nsB}) {
                Shell.check("ip", "-n", ns, "link", "set", "lo", "up");
            }
            Shell.check("ip", "-n", lab.nsA, "link", "set", A_IF, "up");
            Shell.check("ip", "-n", lab.nsB, "link", "set", B_IF, "up");
            return lab;
        } catch (RuntimeException e) {
            lab.close();
            throw e;
        }
    }

    public String nsA() {
        return nsA;
    }

    public String nsB() {
        return nsB;
    }

    public String addressA() {
        return addressA;
    }

    public String addressB() {
        return addressB;
    }

    /**
     * Whether a ping from A to B gets an answer: three echo requests 0.2 s apart, each waited for at
     * most a second (several, so that a neighbour entry left failed by an earlier drop can recover).
     */
    public boolean pingAtoB() {
        return Shell.run("ip", "netns", "exec", nsA, "ping", "-c", "3", "-i", "0.2", "-W", "1", addressB).ok();
    }

    /** {@code ip -n <ns> <args...>}. */
    public String ip(String ns, String... args) {
        String[] cmd = new String[args.length + 3];
        cmd[0] = "ip";
        cmd[1] = "-n";
        cmd[2] = ns;
        System.arraycopy(args, 0, cmd, 3, args.length);
        return Shell.check(cmd);
    }

    /** Deletes both namespaces; safe to call twice and after a partial create. */
    @Override
    public void close() {
        Shell.run("ip", "netns", "del", nsA);
        Shell.run("ip", "netns", "del", nsB);
    }
}
