package io.jbpf.maps;

import io.jbpf.core.BpfException;
import io.jbpf.core.BpfCommand;
import io.jbpf.core.Errno;

/**
 * An insert into a map (or queue/stack) that holds {@code max_entries} already: the kernel's
 * {@code E2BIG}. Make room, or create the map with a larger capacity (or use an LRU hash, which evicts).
 */
public class MapFullException extends BpfException {
    private static final long serialVersionUID = 1L;

    private final int maxEntries;

    @SuppressWarnings("this-escape")
    public MapFullException(String mapName, int maxEntries, BpfException cause) {
        super(cause.command() == null ? BpfCommand.MAP_UPDATE_ELEM : cause.command(), Errno.E2BIG,
                "map '" + mapName + "' is full (max entries " + maxEntries + ")");
        this.maxEntries = maxEntries;
        initCause(cause);
    }

    /** The map's capacity. */
    public int maxEntries() {
        return maxEntries;
    }
}
