package io.jbpf.netpolicy.nat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The ip-masq-agent config file, reloaded when its contents change. As with the ip-masq-agent, a
 * missing file means the defaults; a file that cannot be used keeps the last good config in force
 * and is reported by {@link #lastError()} until it is fixed. One thread polls it; any may read what is in force.
 */
public final class MasqConfigFile {
    private final Path path;
    private String text;
    private volatile MasqConfig current;
    private volatile InvalidMasqConfigException lastError;

    private MasqConfigFile(Path path) {
        this.path = path;
    }

    /**
     * Reads {@code path} now.
     *
     * @throws InvalidMasqConfigException when the file is there but wrong (nothing to fall back on yet)
     */
    public static MasqConfigFile open(Path path) {
        MasqConfigFile f = new MasqConfigFile(path);
        f.text = f.read();
        f.current = f.text == null ? MasqConfig.defaults() : MasqConfig.parse(f.text);
        return f;
    }

    /** The file. */
    public Path path() {
        return path;
    }

    /** The config in force. */
    public MasqConfig current() {
        return current;
    }

    /** Why the file's last contents were not taken, if they were not. */
    public Optional<InvalidMasqConfigException> lastError() {
        return Optional.ofNullable(lastError);
    }

    /**
     * Reads the file again: the new config when its meaning changed, empty when it did not or when
     * the new contents are wrong (see {@link #lastError()}).
     */
    public Optional<MasqConfig> poll() {
        String now = read();
        if (java.util.Objects.equals(now, text)) {
            return Optional.empty();
        }
        text = now;
        MasqConfig next;
        try {
            next = now == null ? MasqConfig.defaults() : MasqConfig.parse(now);
        } catch (InvalidMasqConfigException e) {
            lastError = e;
            return Optional.empty();
        }
        lastError = null;
        if (next.equals(current)) {
            return Optional.empty();
        }
        current = next;
        return Optional.of(next);
    }

    private String read() {
        try {
            return Files.readString(path, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the ip-masq-agent config " + path, e);
        }
    }
}
