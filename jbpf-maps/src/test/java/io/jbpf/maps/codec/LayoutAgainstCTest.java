package io.jbpf.maps.codec;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Compiles native/testdata/maps/layouts.c with the host C compiler and checks that each record's
 * {@link RecordCodec#layout()} has the compiler's sizeof, alignment, offsetof and field sizes.
 * Skipped without {@code cc}, unless {@code JBPF_REQUIRE_KERNEL=1}.
 */
class LayoutAgainstCTest {
    static final Map<String, String> C = new HashMap<>();

    static List<Object[]> structs() {
        return List.of(
                new Object[] {"FlowKey", Structs.FlowKey.class},
                new Object[] {"Counters", Structs.Counters.class},
                new Object[] {"Mixed", Structs.Mixed.class},
                new Object[] {"Nested", Structs.Nested.class},
                new Object[] {"Packed", Structs.PackedStruct.class},
                new Object[] {"WithArrays", Structs.WithArrays.class},
                new Object[] {"Explicit", Structs.Explicit.class},
                new Object[] {"V6Key", Structs.V6Key.class},
                new Object[] {"Floats", Structs.Floats.class},
                new Object[] {"Small", Structs.Small.class});
    }

    static Path source() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            Path c = p.resolve("native/testdata/maps/layouts.c");
            if (Files.exists(c)) {
                return c;
            }
        }
        throw new IllegalStateException("native/testdata/maps/layouts.c not found above " + Path.of("").toAbsolutePath());
    }

    @BeforeAll
    static void compile() throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("jbpf-layouts");
        Path exe = dir.resolve("layouts");
        String out;
        try {
            Process cc;
            try {
                cc = new ProcessBuilder("cc", "-o", exe.toString(), source().toString()).redirectErrorStream(true).start();
            } catch (IOException e) {
                if ("1".equals(System.getenv("JBPF_REQUIRE_KERNEL"))) {
                    throw new AssertionError("cc is required (JBPF_REQUIRE_KERNEL=1) but cannot run: " + e.getMessage(), e);
                }
                Assumptions.abort("no C compiler (cc) to compare layouts with: " + e.getMessage());
                return;
            }
            String log = new String(cc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(cc.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(cc.exitValue()).as("cc output: %s", log).isZero();
            Process run = new ProcessBuilder(exe.toString()).redirectErrorStream(true).start();
            out = new String(run.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(run.waitFor(10, TimeUnit.SECONDS)).isTrue();
        } finally {
            Files.deleteIfExists(exe);
            Files.deleteIfExists(dir);
        }
        for (String line : out.split("\n")) {
            String[] w = line.trim().split(" ", 3);
            if (w.length == 3) {
                C.put(w[0] + " " + w[1], w[2]);
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("structs")
    void recordLayoutMatchesTheCompiler(String cName, Class<? extends Record> type) {
        StructLayout layout = RecordCodec.of(type).layout();
        assertThat(C).as("the C program printed struct %s", cName).containsKey("S " + cName);
        assertThat(layout.size() + " " + layout.alignment()).as("sizeof/_Alignof of %s", cName)
                .isEqualTo(C.get("S " + cName));
        for (StructLayout.Field f : layout.fields()) {
            String key = "F " + cName + "." + f.name();
            assertThat(C).as("C has %s", key).containsKey(key);
            assertThat(f.offset() + " " + f.size()).as("offsetof/sizeof of %s.%s", cName, f.name())
                    .isEqualTo(C.get(key));
        }
        long cFields = C.keySet().stream().filter(k -> k.startsWith("F " + cName + ".")).count();
        assertThat(layout.fields()).hasSize((int) cFields);
    }
}
