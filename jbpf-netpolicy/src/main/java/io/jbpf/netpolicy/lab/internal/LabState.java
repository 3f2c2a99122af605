package io.jbpf.netpolicy.lab.internal;

import io.jbpf.netpolicy.lab.LabException;
import io.jbpf.netpolicy.lab.LabSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A lab's state directory, {@code <root>/<name>/}: {@code spec.yaml} (written before anything is
 * created, so a crash half way still leaves what to remove), {@code complete} (written when the lab
 * is up), and the built-in servers' logs and ready files. A lock file beside it serialises
 * {@code up} and {@code down} of the same lab.
 */
public final class LabState {
    /** Where labs keep their state unless told otherwise. */
    public static final Path DEFAULT_ROOT = Path.of("/run/jbpf/lab");

    private final Path root;
    private final String name;

    public LabState(Path root, String name) {
        this.root = root;
        this.name = name;
    }

    public Path dir() {
        return root.resolve(name);
    }

    /** Takes the lab's lock (blocking); closing the channel releases it. */
    public FileChannel lock() {
        try {
            Files.createDirectories(root);
            FileChannel ch = FileChannel.open(root.resolve(name + ".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            try {
                FileLock lock = ch.lock();
                if (!lock.isValid()) {
                    throw new LabException("cannot lock lab '" + name + "'");
                }
                return ch;
            } catch (IOException | RuntimeException e) {
                ch.close();
                throw e;
            }
        } catch (IOException e) {
            throw new LabException("cannot lock lab '" + name + "' under " + root + ": " + e.getMessage(), e);
        }
    }

    /** Starts a new state: clears the directory and writes the spec. */
    public void begin(LabSpec spec) {
        clear();
        try {
            Files.createDirectories(dir());
            Files.writeString(dir().resolve("spec.yaml"), spec.toYaml(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new LabException("cannot write the state of lab '" + name + "' to " + dir() + ": " + e.getMessage(), e);
        }
    }

    /** Marks the lab as up. */
    public void complete() {
        try {
            Files.writeString(dir().resolve("complete"), "", StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new LabException("cannot write the state of lab '" + name + "': " + e.getMessage(), e);
        }
    }

    public boolean isComplete() {
        return Files.exists(dir().resolve("complete"));
    }

    /** Whether the lab has a state directory. */
    public boolean exists() {
        return Files.isDirectory(dir());
    }

    /** The spec the lab was brought up with, or empty when there is none or it cannot be read. */
    public Optional<LabSpec> readableSpec() {
        try {
            return spec();
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    /**
     * The spec the lab was brought up with, if there is a state.
     *
     * @throws io.jbpf.netpolicy.lab.LabSpecException when the state's spec file is damaged
     */
    public Optional<LabSpec> spec() {
        Path f = dir().resolve("spec.yaml");
        if (!Files.exists(f)) {
            return Optional.empty();
        }
        try {
            return Optional.of(LabSpec.parse(Files.readString(f, StandardCharsets.UTF_8)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Removes the state directory and the lock file. */
    public void clear() {
        Path d = dir();
        if (Files.exists(d)) {
            try (Stream<Path> files = Files.walk(d)) {
                for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            } catch (IOException e) {
                throw new LabException("cannot remove " + d + ": " + e.getMessage(), e);
            }
        }
    }

    /** Removes the lock file (after {@link #clear()}, when the lab is gone). */
    public void removeLock() {
        try {
            Files.deleteIfExists(root.resolve(name + ".lock"));
        } catch (IOException e) {
            // a lock file left behind is harmless
        }
    }

    /** The names of the labs that have a state under {@code root}. */
    public static List<String> names(Path root) {
        List<String> out = new ArrayList<>();
        if (!Files.isDirectory(root)) {
            return out;
        }
        try (Stream<Path> s = Files.list(root)) {
            s.filter(Files::isDirectory).map(p -> p.getFileName().toString()).sorted().forEach(out::add);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }
}
