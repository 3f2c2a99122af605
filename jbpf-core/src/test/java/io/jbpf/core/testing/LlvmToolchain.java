package io.jbpf.core.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds clang (17 or newer, for {@code -mcpu=v4}) with the llvm-objdump, llvm-objcopy and
 * llvm-readelf of the same LLVM version, and runs them. Debian/Ubuntu packages: {@code clang-19 llvm-19}.
 * Shared by the tests that compare jbpf with what LLVM writes and reads.
 */
public final class LlvmToolchain {
    public final String clang;
    public final String objdump;
    public final String objcopy;
    public final String readelf;
    public final int major;

    private LlvmToolchain(String clang, String objdump, String objcopy, String readelf, int major) {
        this.clang = clang;
        this.objdump = objdump;
        this.objcopy = objcopy;
        this.readelf = readelf;
        this.major = major;
    }

    /**
     * The toolchain, or else the test is skipped saying what to install — or fails, when
     * {@code JBPF_REQUIRE_KERNEL=1} (CI installs it).
     */
    public static LlvmToolchain require() {
        Optional<LlvmToolchain> found = find();
        if (found.isEmpty()) {
            String why = "clang 17+ with llvm-objdump, llvm-objcopy and llvm-readelf is not installed "
                    + "(Debian: apt-get install clang-19 llvm-19)";
            if (KernelExtension.kernelRequired()) {
                throw new AssertionError(why);
            }
            org.junit.jupiter.api.Assumptions.abort(why);
        }
        return found.get();
    }

    /**
     * Compiles a BPF C source of ours ({@code native/testdata/...}) into {@code dir} with
     * {@code -O2 -g -target bpf}, the system's multiarch headers and {@code extra} flags.
     */
    public Path compileBpf(Path source, Path dir, String... extra) throws IOException {
        Path out = dir.resolve(source.getFileName() + ".o");
        String arch = System.getProperty("os.arch").equals("amd64") ? "x86_64" : System.getProperty("os.arch");
        List<String> cmd = new ArrayList<>(List.of(clang, "-O2", "-g", "-target", "bpf", "-I/usr/include/" + arch + "-linux-gnu"));
        cmd.addAll(List.of(extra));
        cmd.addAll(List.of("-c", source.toString(), "-o", out.toString()));
        run(cmd, null);
        return out;
    }

    /** The newest suitable toolchain installed, if any ({@code JBPF_CLANG} names a clang to prefer). */
    public static Optional<LlvmToolchain> find() {
        List<String> candidates = new ArrayList<>();
        String env = System.getenv("JBPF_CLANG");
        if (env != null && !env.isBlank()) {
            candidates.add(env);
        }
        for (int v = 25; v >= 17; v--) {
            candidates.add("clang-" + v);
        }
        candidates.add("clang");
        for (String clang : candidates) {
            Optional<Integer> major = version(clang);
            if (major.isEmpty() || major.get() < 17) {
                continue;
            }
            int m = major.get();
            Optional<String> objdump = sibling("llvm-objdump", m);
            Optional<String> objcopy = sibling("llvm-objcopy", m);
            Optional<String> readelf = sibling("llvm-readelf", m);
            if (objdump.isPresent() && objcopy.isPresent() && readelf.isPresent()) {
                return Optional.of(new LlvmToolchain(clang, objdump.get(), objcopy.get(), readelf.get(), m));
            }
        }
        return Optional.empty();
    }

    private static Optional<Integer> version(String clang) {
        try {
            String out = run(List.of(clang, "--version"), null);
            Matcher m = Pattern.compile("clang version (\\d+)").matcher(out);
            return m.find() ? Optional.of(Integer.parseInt(m.group(1))) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** {@code llvm-objdump-19}, {@code /usr/lib/llvm-19/bin/llvm-objdump}, or an unversioned one of that version. */
    private static Optional<String> sibling(String tool, int major) {
        for (String name : List.of(tool + "-" + major, "/usr/lib/llvm-" + major + "/bin/" + tool, tool)) {
            try {
                String out = run(List.of(name, "--version"), null);
                if (out.contains("LLVM version " + major + ".")) {
                    return Optional.of(name);
                }
            } catch (IOException e) {
                // not this one
            }
        }
        return Optional.empty();
    }

    /** Runs a command; returns its standard output, or throws with its error output if it fails. */
    public static String run(List<String> command, Path dir) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(command);
        if (dir != null) {
            pb.directory(dir.toFile());
        }
        Path err = Files.createTempFile("jbpf-tool", ".err");
        try {
            pb.redirectError(err.toFile());
            Process p = pb.start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException(command + " timed out");
            }
            if (p.exitValue() != 0) {
                throw new IOException(command + " failed (" + p.exitValue() + "): " + Files.readString(err));
            }
            return out;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        } finally {
            Files.deleteIfExists(err);
        }
    }
}
