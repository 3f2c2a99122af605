package io.jbpf.core;

import io.jbpf.core.internal.sys.Bpffs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Pins in bpffs, the kernel's file system for bpf objects: an object pinned there (a map, a program,
 * a link) lives until its pin is removed, whatever processes come and go. Objects pin themselves
 * ({@code pin(path)}) and open pins ({@code openPinned(path)}); this class removes them.
 */
public final class Pins {
    private Pins() {}

    /**
     * Removes the pin at {@code path}; the object goes when nothing else holds it. Refuses paths that
     * are not on bpffs, so that it never deletes an ordinary file.
     *
     * @return false when there was no pin
     */
    public static boolean unpin(String path) {
        Path p = Path.of(path);
        Path dir = p.toAbsolutePath().getParent();
        if (dir == null || !Files.isDirectory(dir) || !Bpffs.isBpffs(dir)) {
            throw new JbpfException("refusing to unpin " + path + ": it is not on a bpffs mount");
        }
        try {
            Files.delete(p);
            return true;
        } catch (NoSuchFileException e) {
            return false;
        } catch (IOException e) {
            throw new JbpfException("cannot unpin " + path + ": " + e.getMessage(), e);
        }
    }
}
