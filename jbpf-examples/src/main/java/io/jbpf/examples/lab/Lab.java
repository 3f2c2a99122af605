package io.jbpf.examples.lab;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Network namespaces joined by veth pairs, made with {@code ip(8)} and all removed on
 * {@link #close()}, also after a failure half way (removing a namespace removes its interfaces).
 * Names start with {@code jbpf-} and carry a tag unique to the run; the root namespace gets no
 * address or route towards them. Checksum offload is turned off on every veth end, so the kernel
 * computes and verifies every TCP checksum in software.
 */
public final class Lab implements AutoCloseable {
    private final String tag;
    private final List<String> namespaces = new ArrayList<>();

    /** A lab whose names carry {@code tag} (unique to the run, e.g. with the process id). */
    public Lab(String tag) {
        this.tag = tag;
    }

    /** Creates namespace {@code jbpf-<tag>-<role>} with loopback up; returns its name. */
    public String namespace(String role) {
        String ns = "jbpf-" + tag + "-" + role;
        run(List.of("ip", "netns", "add", ns), false);
        namespaces.add(ns);
        ip(ns, "link", "set", "lo", "up");
        return ns;
    }

    /**
     * Joins {@code nsA} and {@code nsB} with a veth pair named {@code ifA}/{@code ifB}, addresses
     * them ({@code a.b.c.d/len}), brings them up and turns checksum offload off.
     */
    public void link(String nsA, String ifA, String addrA, String nsB, String ifB, String addrB) {
        // made inside the two namespaces at once: the names never appear in the root namespace
        run(List.of("ip", "link", "add", ifA, "netns", nsA, "type", "veth", "peer", "name", ifB, "netns", nsB), false);
        for (String[] end : new String[][] {{nsA, ifA, addrA}, {nsB, ifB, addrB}}) {
            ip(end[0], "addr", "add", end[2], "dev", end[1]);
            ip(end[0], "link", "set", end[1], "up");
            run(List.of("ip", "netns", "exec", end[0], "ethtool", "-K", end[1], "tx", "off", "rx", "off"), false);
        }
    }

    /** Runs {@code ip -n ns args...}. */
    public void ip(String ns, String... args) {
        List<String> cmd = new ArrayList<>(List.of("ip", "-n", ns));
        cmd.addAll(List.of(args));
        run(cmd, false);
    }

    /** Sets a sysctl inside {@code ns}. */
    public void sysctl(String ns, String key, String value) {
        run(List.of("ip", "netns", "exec", ns, "sysctl", "-q", "-w", key + "=" + value), false);
    }

    /** Runs a command; unless {@code mayFail}, a non-zero exit is an exception with its output. */
    public static String run(List<String> cmd, boolean mayFail) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException(String.join(" ", cmd) + " did not finish");
            }
            if (p.exitValue() != 0 && !mayFail) {
                throw new IllegalStateException(String.join(" ", cmd) + " failed: " + out.strip());
            }
            return out;
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + cmd.get(0) + " (scripts/setup.sh installs iproute2 and ethtool)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    @Override
    public void close() {
        for (int i = namespaces.size() - 1; i >= 0; i--) {
            run(List.of("ip", "netns", "delete", namespaces.get(i)), true);
        }
        namespaces.clear();
    }
}
