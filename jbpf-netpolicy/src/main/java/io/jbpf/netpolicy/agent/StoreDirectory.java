package io.jbpf.netpolicy.agent;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import java.util.stream.Stream;

/**
 * The directory of a store the agents share ({@link PolicyStore}, {@link ServiceStore}): YAML files
 * written whole (a temporary file moved into place), a {@code revision} file that grows with each
 * change, and changes made under a lock (a file lock on {@code .lock} for agents in other
 * processes, and one per directory for stores of this process: file locks are per process).
 */
final class StoreDirectory {
    private static final ConcurrentHashMap<Path, Object> LOCKS = new ConcurrentHashMap<>();

    private final Path dir;
    private final String what;

    /**
     * The directory {@code dir} (created on the first change), holding {@code what} ("policy",
     * "service"), which error messages name.
     */
    StoreDirectory(Path dir, String what) {
        this.dir = dir;
        this.what = what;
    }

    Path path() {
        return dir;
    }

    /** The revision: 0 before the first change. */
    long revision() {
        Path r = dir.resolve("revision");
        try {
            return Files.exists(r) ? Long.parseLong(Files.readString(r).strip()) : 0;
        } catch (IOException | NumberFormatException e) {
            throw new AgentException("cannot read the " + what + " revision " + r + ": " + e.getMessage(), e);
        }
    }

    /** Writes {@code file} whole: readers see the old content or the new, never part of it. */
    void write(String file, String text) {
        try {
            Files.createDirectories(dir);
            Path tmp = dir.resolve("." + file + ".tmp");
            Files.writeString(tmp, text, StandardCharsets.UTF_8);
            try {
                Files.move(tmp, dir.resolve(file), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, dir.resolve(file), StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + what + " file " + file + ": " + e.getMessage(), e);
        }
    }

    /** Deletes {@code file}; false when it was not there. */
    boolean delete(String file) {
        try {
            return Files.deleteIfExists(dir.resolve(file));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + what + " file " + file + ": " + e.getMessage(), e);
        }
    }

    /** The {@code .yaml} files (not hidden ones), in name order. */
    List<Path> yamlFiles() {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".yaml") && !p.getFileName().toString().startsWith("."))
                    .sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the " + what + " files in " + dir + ": " + e.getMessage(), e);
        }
    }

    /** Increases the revision by one; returns the new one. */
    long bump() {
        long next = revision() + 1;
        write("revision", Long.toString(next));
        return next;
    }

    /** Runs {@code change} under the directory's lock; returns what it returns. */
    long locked(LongSupplier change) {
        synchronized (LOCKS.computeIfAbsent(dir.toAbsolutePath().normalize(), k -> new Object())) {
            try {
                Files.createDirectories(dir);
                try (FileChannel ch = FileChannel.open(dir.resolve(".lock"), StandardOpenOption.CREATE,
                        StandardOpenOption.WRITE); FileLock l = ch.lock()) {
                    return change.getAsLong();
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot lock the " + what + " files in " + dir + ": " + e.getMessage(), e);
            }
        }
    }
}
