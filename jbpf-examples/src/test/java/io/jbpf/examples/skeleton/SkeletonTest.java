package io.jbpf.examples.skeleton;

import static org.assertj.core.api.Assertions.assertThat;

import io.jbpf.core.testing.KernelTest;
import io.jbpf.core.testing.LlvmToolchain;
import io.jbpf.loader.ObjectSpec;
import io.jbpf.loader.skeleton.SkeletonGenerator;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The skeleton jbpf-maven-plugin generates at build time (from native/build/relocs.bpf.o) is what
 * the generator makes of the object, and it works.
 */
@KernelTest
class SkeletonTest {
    static Path object;

    @BeforeAll
    static void compile(@TempDir Path dir) throws Exception {
        object = LlvmToolchain.require().compileBpf(Path.of("..", "native", "testdata", "elf", "relocs.bpf.c"), dir);
    }

    @Test
    void theBuildGeneratedTheSkeletonFromTheObjectWithTheGenerator() throws Exception {
        Path generated = Path.of("target", "generated-sources", "jbpf", "io", "jbpf", "examples", "skeleton",
                "RelocsSkeleton.java");
        assertThat(generated).as("jbpf-maven-plugin's generate-skeleton goal writes it").exists();
        assertThat(Path.of("src", "main", "java", "io", "jbpf", "examples", "skeleton", "RelocsSkeleton.java"))
                .as("no committed copy").doesNotExist();
        String expected = SkeletonGenerator.generate(ObjectSpec.open(object), "io.jbpf.examples.skeleton", "RelocsSkeleton",
                "relocs.bpf.o");
        assertThat(Files.readString(generated)).isEqualTo(expected);
        assertThat(RelocsSkeleton.class.getDeclaredMethod("countXdp")).isNotNull();
    }

    @Test
    void theSkeletonLoadsSetsConstantsAndReadsGlobals() {
        SkeletonExample.Result r = SkeletonExample.run(object, 2, 3);
        assertThat(r.verdicts()).containsExactly(2, 1, 1);
        assertThat(r.packets()).isEqualTo(4);
        assertThat(r.dropped()).isEqualTo(2);
        assertThat(r.bumped()).isEqualTo(1);
    }
}
