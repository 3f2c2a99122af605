package io.jbpf.core.testing;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Fails a test class that leaks: kernel-object fds of this process (bpf maps, programs, links,
 * BTF, perf events, sockets), or network namespaces, links, bpffs pins and cgroups
 * named {@code jbpf*} (except those named after another live process: a concurrent run's).
 */
public final class LeakGuard implements BeforeAllCallback, AfterAllCallback {
    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(LeakGuard.class);

    /** A snapshot of what tests may leak. */
    record Snapshot(Map<String, List<String>> fdKinds, List<String> netns, List<String> links, List<String> pins,
            List<String> cgroups) {
        static Snapshot take() {
            return new Snapshot(LeakGuard.fdKinds(), LeakGuard.names(Path.of("/var/run/netns")),
                    LeakGuard.names(Path.of("/sys/class/net")), LeakGuard.names(Path.of("/sys/fs/bpf")),
                    LeakGuard.names(cgroupRoot()));
        }
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        warmUpJdk();
        context.getStore(NS).put("before", Snapshot.take());
    }

    @Override
    public void afterAll(ExtensionContext context) {
        Snapshot before = context.getStore(NS).get("before", Snapshot.class);
        Snapshot after = Snapshot.take();
        List<String> leaks = new ArrayList<>();
        after.fdKinds().forEach((kind, fds) -> {
            List<String> was = before.fdKinds().getOrDefault(kind, List.of());
            if (fds.size() > was.size()) {
                List<String> added = new ArrayList<>(fds);
                added.removeAll(was);
                leaks.add((fds.size() - was.size()) + " fd(s) of " + kind + " " + added);
            }
        });
        diff("network namespace", before.netns(), after.netns(), leaks);
        diff("link", before.links(), after.links(), leaks);
        diff("bpffs pin", before.pins(), after.pins(), leaks);
        diff("cgroup", before.cgroups(), after.cgroups(), leaks);
        if (!leaks.isEmpty()) {
            throw new AssertionError(context.getRequiredTestClass().getSimpleName() + " leaked: "
                    + String.join(", ", leaks));
        }
    }

    /**
     * JDK 17 opens a socket for its whole lifetime the first time NIO reads a file
     * (sun.nio.ch's pre-close descriptor), JDK 25 the first time it opens a socket; make both happen
     * before the snapshot, so they are not blamed on the first test class that reads a file or
     * opens a socket.
     */
    private static void warmUpJdk() {
        try {
            Files.readAllLines(Path.of("/proc/self/stat"));
        } catch (IOException e) {
            // nothing to warm up then
        }
        // JDK 25 does the same the first time a socket is opened (its socket dispatcher's pre-close
        // descriptor); an unbound, unconnected channel is enough to make it happen here
        try {
            java.nio.channels.SocketChannel.open().close();
        } catch (IOException e) {
            // nothing to warm up then
        }
    }

    private static void diff(String what, List<String> before, List<String> after, List<String> leaks) {
        for (String name : after) {
            if (!before.contains(name) && !ownedByAnotherProcess(name)) {
                leaks.add(what + " " + name);
            }
        }
    }

    private static final java.util.regex.Pattern PID_IN_NAME = java.util.regex.Pattern.compile("jbpf-?[a-z-]*?(\\d{2,})");

    /**
     * Test resources are named {@code jbpf-<pid>-...} or {@code jbpf-<what>-<pid>} (e.g.
     * {@code jbpf-xdp-link-<pid>}): one named after another live process belongs to a concurrent
     * run on the same machine, not to this class.
     */
    static boolean ownedByAnotherProcess(String name) {
        var m = PID_IN_NAME.matcher(name);
        if (!m.lookingAt()) {
            return false;
        }
        long pid = Long.parseLong(m.group(1));
        return pid != ProcessHandle.current().pid() && ProcessHandle.of(pid).isPresent();
    }

    /** Open fds of this process that refer to kernel objects, by kind ("fd -> target" strings). */
    static Map<String, List<String>> fdKinds() {
        Map<String, List<String>> kinds = new TreeMap<>();
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(Path.of("/proc/self/fd"))) {
            for (Path fd : fds) {
                String target;
                try {
                    target = Files.readSymbolicLink(fd).toString();
                } catch (IOException e) {
                    continue; // closed while listing (the directory stream's own fd)
                }
                String kind = kindOf(target);
                if (kind != null) {
                    kinds.computeIfAbsent(kind, k -> new ArrayList<>()).add(fd.getFileName() + " -> " + target);
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot list /proc/self/fd", e);
        }
        return kinds;
    }

    private static String kindOf(String target) {
        if (target.startsWith("anon_inode:")) {
            return target.substring("anon_inode:".length());
        }
        if (target.startsWith("socket:")) {
            return "socket" + socketFamily(target.substring("socket:[".length(), target.length() - 1));
        }
        if (target.startsWith("/sys/fs/bpf") || target.startsWith("/var/run/netns") || target.startsWith("/run/netns")) {
            return target;
        }
        return null;
    }

    /** " (unix)", " (netlink)", " (tcp)" ... from /proc/net, for messages. */
    private static String socketFamily(String inode) {
        for (String table : new String[] {"unix", "netlink", "packet", "tcp", "udp", "tcp6", "udp6", "raw"}) {
            try {
                for (String line : Files.readAllLines(Path.of("/proc/net", table))) {
                    if ((" " + line + " ").contains(" " + inode + " ")) {
                        return " (" + table + ")";
                    }
                }
            } catch (IOException e) {
                // table missing: not that family
            }
        }
        return "";
    }

    private static Path cgroupRoot() {
        try {
            return TestCgroup.root();
        } catch (IllegalStateException e) {
            return null; // no cgroup v2 here: nothing to leak there
        }
    }

    private static List<String> names(Path dir) {
        List<String> names = new ArrayList<>();
        if (dir == null || !Files.isDirectory(dir)) {
            return names;
        }
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir, "jbpf*")) {
            for (Path p : s) {
                names.add(p.getFileName().toString());
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot list " + dir, e);
        }
        return names;
    }
}
