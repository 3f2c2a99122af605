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

/** The committed skeleton is what the generator makes of the object today, and it works. */
@KernelTest
class SkeletonTest {
    static Path object;

    @BeforeAll
    static void compile(@TempDir Path dir) throws Exception {
        object = LlvmToolchain.require().compileBpf(Path.of("..", "native", "testdata", "elf", "relocs.bpf.c"), dir);
    }

    @Test
    void theCommittedSkeletonIsUpToDate() throws Exception {
        String generated = SkeletonGenerator.generate(ObjectSpec.open(object), "io.jbpf.examples.skeleton", "RelocsSkeleton",
                "relocs.bpf.o");
        String committed = Files.readString(Path.of("src", "main", "java", "io", "jbpf", "examples", "skeleton",
                "RelocsSkeleton.java"));
        assertThat(committed).as("regenerate with ./jbpf gen skeleton").isEqualTo(generated);
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
