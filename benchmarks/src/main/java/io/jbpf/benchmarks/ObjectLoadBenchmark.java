package io.jbpf.benchmarks;

import io.jbpf.loader.BpfObject;
import io.jbpf.loader.ObjectSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Open and load a clang-built object (native/testdata/elf/relocs.bpf.c, compiled in setup with
 * clang) and close it again: parse ELF and BTF, link, create maps, load both programs with BTF.
 * Compare with {@code bpftool prog loadall} of the same object: benchmarks/compare-object-load.sh.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class ObjectLoadBenchmark {
    private byte[] object;

    @Setup
    public void compile() throws IOException, InterruptedException {
        Path source = Path.of(System.getProperty("jbpf.object.source", "native/testdata/elf/relocs.bpf.c"));
        Path out = Files.createTempFile("jbpf-bench", ".o");
        String arch = System.getProperty("os.arch").equals("amd64") ? "x86_64" : System.getProperty("os.arch");
        Process p = new ProcessBuilder(List.of(System.getProperty("jbpf.clang", "clang-19"), "-O2", "-g", "-target", "bpf",
                "-I/usr/include/" + arch + "-linux-gnu", "-c", source.toString(), "-o", out.toString()))
                .redirectErrorStream(true).start();
        String log = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0) {
            throw new IllegalStateException("clang failed: " + log);
        }
        object = Files.readAllBytes(out);
        Files.delete(out);
    }

    @Benchmark
    public int openLoadClose() {
        try (BpfObject obj = BpfObject.load(ObjectSpec.open(object))) {
            return obj.programs().size();
        }
    }
}
