package io.jbpf.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.jbpf.core.internal.sys.Sys;
import io.jbpf.core.testing.KernelTest;
import io.jbpf.core.testing.UnprivilegedMain;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The same bpf() call as an unprivileged user: a typed EPERM that says what privilege is missing. */
@KernelTest
class UnprivilegedTest {

    @Test
    void anUnprivilegedUserGetsAnActionableEperm(@TempDir Path tmp) throws Exception {
        Assumptions.assumeTrue(Sys.get().geteuid() == 0, "needs root to switch to user nobody");
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/setpriv")), "needs setpriv(1)");
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
        // nobody cannot read root's Maven repository: copy the class path somewhere it can
        List<String> cp = new ArrayList<>();
        String testCp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        int i = 0;
        for (String entry : testCp.split(File.pathSeparator)) {
            Path src = Path.of(entry);
            if (!Files.exists(src) || !(Files.isDirectory(src) || entry.contains("jna"))) {
                continue;
            }
            Path dst = tmp.resolve("cp" + i++);
            copyReadable(src, dst);
            cp.add(dst.toString());
        }
        String java = ProcessHandle.current().info().command().orElse("java");
        Process p = new ProcessBuilder("/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups",
                "--inh-caps=-all", java, "--enable-native-access=ALL-UNNAMED", "-cp",
                String.join(File.pathSeparator, cp), UnprivilegedMain.class.getName())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(out).as(out).contains("REFUSED EPERM").contains("map 'jbpf_unpriv' (ARRAY)")
                .contains("needs root or CAP_BPF");
    }

    private static void copyReadable(Path src, Path dst) throws Exception {
        if (Files.isDirectory(src)) {
            try (Stream<Path> all = Files.walk(src)) {
                for (Path s : (Iterable<Path>) all::iterator) {
                    Path d = dst.resolve(src.relativize(s).toString());
                    if (Files.isDirectory(s)) {
                        Files.createDirectories(d);
                        Files.setPosixFilePermissions(d, PosixFilePermissions.fromString("rwxr-xr-x"));
                    } else {
                        Files.copy(s, d);
                        Files.setPosixFilePermissions(d, PosixFilePermissions.fromString("rw-r--r--"));
                    }
                }
            }
        } else {
            Files.copy(src, dst);
            Files.setPosixFilePermissions(dst, PosixFilePermissions.fromString("rw-r--r--"));
        }
    }
}
