package io.jbpf.netpolicy.lab.internal;

import io.jbpf.netpolicy.lab.ExecResult;
import io.jbpf.netpolicy.lab.LabException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs the commands the lab is built with ({@code ip}, {@code sysctl} under {@code ip netns exec}).
 * jbpf-core's netlink layer speaks only links, qdiscs and filters so far; namespaces, veth pairs,
 * addresses, routes and sysctls are made by iproute2 here.
 */
public final class Commands {
    /** How long one configuration command may take. */
    public static final Duration TIMEOUT = Duration.ofSeconds(30);

    private Commands() {}

    /** Runs {@code cmd}; its output is read whole. */
    public static ExecResult run(List<String> cmd, Duration timeout) {
        Process p;
        try {
            p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        } catch (IOException e) {
            throw new LabException("cannot run " + cmd.get(0) + " (scripts/setup.sh installs iproute2): " + e.getMessage(), e);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Thread reader = new Thread(() -> copy(p.getInputStream(), out), "jbpf-lab-output");
        reader.setDaemon(true);
        reader.start();
        try {
            boolean done = p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (!done) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                p.waitFor();
            }
            reader.join(2000);
            String text;
            synchronized (out) {
                text = out.toString(StandardCharsets.UTF_8);
            }
            return new ExecResult(done ? p.exitValue() : -1, done ? text : text + "\n(killed after " + timeout.toSeconds() + " s)");
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new LabException("interrupted running " + String.join(" ", cmd), e);
        }
    }

    private static void copy(InputStream in, ByteArrayOutputStream out) {
        byte[] buf = new byte[8192];
        try (in) {
            int n;
            while ((n = in.read(buf)) > 0) {
                synchronized (out) {
                    out.write(buf, 0, n);
                }
            }
        } catch (IOException e) {
            // the process went away: what was read is the output
        }
    }

    /** Runs {@code cmd} and fails with its output unless it exits with 0. */
    public static String check(String... cmd) {
        ExecResult r = run(List.of(cmd), TIMEOUT);
        if (!r.ok()) {
            throw new LabException("'" + String.join(" ", cmd) + "' failed (exit " + r.exitCode() + "): " + r.output().strip());
        }
        return r.output();
    }

    /** {@code ip -n ns args...}, checked. */
    public static String ip(String ns, String... args) {
        List<String> cmd = new ArrayList<>(List.of("ip", "-n", ns));
        cmd.addAll(List.of(args));
        return check(cmd.toArray(new String[0]));
    }

    /** Sets sysctls ({@code key=value}) inside {@code ns}. */
    public static void sysctl(String ns, String... assignments) {
        List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", ns, "sysctl", "-q", "-w"));
        cmd.addAll(List.of(assignments));
        check(cmd.toArray(new String[0]));
    }

    /** The named network namespaces ({@code /run/netns}). */
    public static List<String> namespaces() {
        List<String> names = new ArrayList<>();
        java.io.File dir = new java.io.File("/run/netns");
        String[] list = dir.list();
        if (list != null) {
            names.addAll(List.of(list));
        }
        names.sort(null);
        return names;
    }

    /** The processes whose network namespace is {@code ns} ({@code ip netns pids}). */
    public static List<Long> pids(String ns) {
        ExecResult r = run(List.of("ip", "netns", "pids", ns), TIMEOUT);
        List<Long> pids = new ArrayList<>();
        if (!r.ok()) {
            return pids;
        }
        for (String line : r.output().split("\\s+")) {
            if (!line.isBlank() && line.chars().allMatch(Character::isDigit)) {
                pids.add(Long.parseLong(line));
            }
        }
        return pids;
    }
}
