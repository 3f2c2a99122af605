package io.jbpf.core.internal.sys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Compares every offset in {@link BpfAttr} and {@link InfoLayout} that the system's
 * {@code <linux/bpf.h>} knows with what the C compiler computes (native/tools/bpf_attr_offsets.c).
 */
class BpfAttrLayoutTest {

    @Test
    void offsetsMatchTheKernelHeader(@TempDir Path tmp) throws Exception {
        Path source = Path.of("..", "native", "tools", "bpf_attr_offsets.c").toAbsolutePath().normalize();
        assertThat(source).exists();
        Path exe = tmp.resolve("offsets");
        List<String> out;
        try {
            out = run(List.of("cc", "-o", exe.toString(), source.toString()));
        } catch (IOException e) {
            if ("1".equals(System.getenv("JBPF_REQUIRE_KERNEL"))) {
                throw e;
            }
            Assumptions.abort("no C compiler to check struct offsets: " + e.getMessage());
            return;
        }
        out = run(List.of(exe.toString()));
        assertThat(out).hasSizeGreaterThan(150);
        List<String> mismatches = new ArrayList<>();
        for (String line : out) {
            String[] parts = line.split(" ");
            String[] name = parts[0].split("\\.");
            int expected = Integer.parseInt(parts[1]);
            int actual = javaOffset(name[0], name[1]);
            if (actual != expected) {
                mismatches.add(parts[0] + ": C says " + expected + ", Java says " + actual);
            }
        }
        assertThat(mismatches).isEmpty();
    }

    private static int javaOffset(String group, String field) throws ReflectiveOperationException {
        for (Class<?> outer : List.of(BpfAttr.class, InfoLayout.class)) {
            for (Class<?> c : outer.getClasses()) {
                if (c.getSimpleName().equals(group)) {
                    return c.getField(field).getInt(null);
                }
            }
        }
        fail("no layout class " + group + " for " + group + "." + field);
        return -1;
    }

    private static List<String> run(List<String> cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String text = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("%s: %s", cmd, text).isZero();
        return text.lines().filter(l -> !l.isBlank()).toList();
    }
}
