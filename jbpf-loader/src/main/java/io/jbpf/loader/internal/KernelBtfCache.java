package io.jbpf.loader.internal;

import io.jbpf.core.btf.Btf;
import io.jbpf.core.btf.BtfException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The running kernel's BTF, parsed once per process on first use (CO-RE needs it for every
 * object): {@code /sys/kernel/btf/vmlinux}, and the split BTF of each loaded module
 * ({@code /sys/kernel/btf/MODULE}, on top of vmlinux), which CO-RE searches when vmlinux has no
 * candidate type, as libbpf does. Modules are read on first use of {@link #modules()}.
 */
public final class KernelBtfCache {
    private KernelBtfCache() {}

    /** Where the kernel publishes its BTF. */
    public static final Path SYSFS = Path.of("/sys/kernel/btf");

    private static final class Holder {
        static final Optional<Btf> KERNEL = Btf.kernel();
    }

    private static final class Modules {
        static final Map<String, Btf> MODULES = Holder.KERNEL.map(v -> read(SYSFS, v)).orElse(Map.of());
    }

    public static Optional<Btf> get() {
        return Holder.KERNEL;
    }

    /** The BTF of every loaded module that has some, by module name (each includes vmlinux's types). */
    public static Map<String, Btf> modules() {
        return Modules.MODULES;
    }

    /** The split BTF files of {@code dir} other than {@code vmlinux}, each parsed on top of {@code vmlinux}. */
    public static Map<String, Btf> read(Path dir, Btf vmlinux) {
        Map<String, Btf> modules = new LinkedHashMap<>();
        if (!Files.isDirectory(dir)) {
            return modules;
        }
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.sorted().toList()) {
                String name = f.getFileName().toString();
                if (name.equals("vmlinux") || !Files.isRegularFile(f)) {
                    continue;
                }
                try {
                    modules.put(name, Btf.parseSplit(Files.readAllBytes(f), vmlinux));
                } catch (BtfException e) {
                    throw new BtfException("module BTF " + f + ": " + e.getMessage());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + dir, e);
        }
        return Collections.unmodifiableMap(modules);
    }
}
