package io.jbpf.core.link;

import io.jbpf.core.internal.sys.Fd;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A link opened from its bpffs pin, of whatever kind. Closing it releases this fd only; the pin
 * keeps the program attached until {@link #unpin()} (or {@link #detach()}).
 */
public final class PinnedLink extends BpfLink {
    private final String path;

    PinnedLink(Fd fd, String path) {
        super(fd);
        this.path = path;
    }

    /** Where the link was pinned. */
    public String path() {
        return path;
    }

    /** Removes the pin; once this object is closed too, the program is detached. */
    public void unpin() {
        try {
            Files.deleteIfExists(Path.of(path));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove link pin " + path, e);
        }
    }
}
