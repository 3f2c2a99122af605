package io.jbpf.examples.xdpcounter;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Two new network namespaces joined by a veth pair, made with {@code ip(8)} and removed on
 * {@link #close()} (removing a namespace removes its end of the pair). The root namespace gets no
 * address or route towards them: traffic stays between the two.
 */
final class VethLab implements AutoCloseable {
    final String nsA;
    final String nsB;
    final String ifA;
    final String ifB;
    final String addrA;
    final String addrB;
    private final List<String> created = new ArrayList<>();

    private VethLab(String tag) {
        this.nsA = "jbpf-" + tag + "-a";
        this.nsB = "jbpf-" + tag + "-b";
        this.ifA = "jbpf" + Math.floorMod(tag.hashCode(), 100000) + "a";
        this.ifB = "jbpf" + Math.floorMod(tag.hashCode(), 100000) + "b";
        this.addrA = "10.248.0.1";
        this.addrB = "10.248.0.2";
    }

    /** Creates the namespaces and the pair, up and addressed; a unique {@code tag} keeps runs apart. */
    static VethLab create(String tag) {
        VethLab lab = new VethLab(tag);
        try {
            lab.ip("netns", "add", lab.nsA);
            lab.created.add(lab.nsA);
            lab.ip("netns", "add", lab.nsB);
            lab.created.add(lab.nsB);
            lab.ip("link", "add", lab.ifA, "netns", lab.nsA, "type", "veth", "peer", "name", lab.ifB, "netns", lab.nsB);
            lab.ip("-n", lab.nsA, "addr", "add", lab.addrA + "/30", "dev", lab.ifA);
            lab.ip("-n", lab.nsB, "addr", "add", lab.addrB + "/30", "dev", lab.ifB);
            for (String[] ns : new String[][] {{lab.nsA, lab.ifA}, {lab.nsB, lab.ifB}}) {
                lab.ip("-n", ns[0], "link", "set", "lo", "up");
                lab.ip("-n", ns[0], "link", "set", ns[1], "up");
            }
            return lab;
        } catch (RuntimeException e) {
            lab.close();
            throw e;
        }
    }

    /** Pings B from A {@code count} times; returns how many replies came back. */
    int pingBFromA(int count) {
        String out = run(List.of("ip", "netns", "exec", nsA, "ping", "-c", String.valueOf(count), "-i", "0.2", "-W", "2",
                addrB), true);
        for (String line : out.split("\n")) {
            if (line.contains("packets transmitted")) {
                return Integer.parseInt(line.split(",")[1].strip().split(" ")[0]);
            }
        }
        throw new IllegalStateException("ping printed no summary:\n" + out);
    }

    private void ip(String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add("ip");
        cmd.addAll(List.of(args));
        run(cmd, false);
    }

    private static String run(List<String> cmd, boolean mayFail) {
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
            throw new IllegalStateException("cannot run " + cmd.get(0) + " (install iproute2 and iputils-ping)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    @Override
    public void close() {
        for (String ns : created) {
            run(List.of("ip", "netns", "delete", ns), true);
        }
        created.clear();
    }
}
