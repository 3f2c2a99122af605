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
 * BTF, perf events, sockets), or network namespaces, links and bpffs pins named {@code jbpf*}.
 */
public final class LeakGuard implements BeforeAllCallback, AfterAllCallback {
    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(LeakGuard.class);

    /** A snapshot of what tests may leak. */
    record Snapshot(Map<String, Integer> fdKinds, List<String> netns, List<String> links, List<String> pins) {
        static Snapshot take() {
            return new Snapshot(LeakGuard.fdKinds(), LeakGuard.names(Path.of("/var/run/netns")), LeakGuard.names(Path.of("/sys/class/net")),
                    LeakGuard.names(Path.of("/sys/fs/bpf")));
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
        after.fdKinds().forEach((kind, n) -> {
            int was = before.fdKinds().getOrDefault(kind, 0);
            if (n > was) {
                leaks.add((n - was) + " fd(s) of " + kind);
            }
        });
        diff("network namespace", before.netns(), after.netns(), leaks);
        diff("link", before.links(), after.links(), leaks);
        diff("bpffs pin", before.pins(), after.pins(), leaks);
        if (!leaks.isEmpty()) {
            throw new AssertionError(context.getRequiredTestClass().getSimpleName() + " leaked: "
                    + String.join(", ", leaks));
        }
    }

    /**
     * JDK 17 opens a socket for its whole lifetime the first time NIO reads a file
     * (sun.nio.ch's pre-close descriptor); make that happen before the snapshot, so it is not
     * blamed on the first test class that reads a file.
     */
    private static void warmUpJdk() {
        try {
            Files.readAllLines(Path.of("/proc/self/stat"));
        } catch (IOException e) {
            // nothing to warm up then
        }
    }

    private static void diff(String what, List<String> before, List<String> after, List<String> leaks) {
        for (String name : after) {
            if (!before.contains(name)) {
                leaks.add(what + " " + name);
            }
        }
    }

    /** Open fds of this process that refer to kernel objects, counted by kind. */
    static Map<String, Integer> fdKinds() {
        Map<String, Integer> kinds = new TreeMap<>();
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
                    kinds.merge(kind, 1, Integer::sum);
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
            return "socket";
        }
        if (target.startsWith("/sys/fs/bpf") || target.startsWith("/var/run/netns") || target.startsWith("/run/netns")) {
            return target;
        }
        return null;
    }

    private static List<String> names(Path dir) {
        List<String> names = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
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
