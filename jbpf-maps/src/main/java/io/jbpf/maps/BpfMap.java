package io.jbpf.maps;

import io.jbpf.core.BpfException;
import io.jbpf.core.Errno;
import io.jbpf.core.map.KernelMap;
import io.jbpf.core.map.MapSpec;
import io.jbpf.core.map.MemoryMap;
import io.jbpf.core.map.RawMap;
import io.jbpf.maps.internal.Binding;

/**
 * The common part of every typed map: the {@link RawMap} it views, and whether it owns it. A typed
 * map created by a {@code create}, {@code openPinned} or {@code fromId} factory owns its map and
 * closes it in {@link #close()}; one made by {@code of(RawMap, …)} is a view and leaves the map open.
 * Thread-safe as far as the underlying map is (kernel maps are).
 */
public abstract class BpfMap implements AutoCloseable {
    private final RawMap raw;
    private final boolean owner;

    protected BpfMap(RawMap raw, boolean owner) {
        this.raw = raw;
        this.owner = owner;
    }

    /** The byte-level map. */
    public RawMap raw() {
        return raw;
    }

    /** The map's spec (type, sizes, capacity, flags, name). */
    public MapSpec spec() {
        return raw.spec();
    }

    /** The map's name. */
    public String name() {
        return raw.spec().name();
    }

    /** The kernel map, for pinning, ids, and passing to {@code Program.load}. */
    public KernelMap kernelMap() {
        return Binding.kernel(raw, "kernelMap()");
    }

    /**
     * Makes the map read-only for user space from now on: later writes from Java fail with a
     * {@link BpfException} of {@link Errno#EPERM} naming the map. Programs may still write.
     */
    public void freeze() {
        if (raw instanceof MemoryMap m) {
            m.freeze();
            return;
        }
        Binding.kernel(raw, "freeze").freeze();
    }

    /** Pins the map in bpffs at {@code path}. */
    public void pin(String path) {
        Binding.kernel(raw, "pin").pin(path);
    }

    /** Whether this view closes the map. */
    public boolean ownsMap() {
        return owner;
    }

    /** Closes the map if this view owns it; otherwise does nothing. */
    @Override
    public void close() {
        if (owner) {
            raw.close();
        }
    }

    /** The map's full error: E2BIG turned into {@link MapFullException}. */
    protected RuntimeException translate(BpfException e) {
        if (e.errno() == Errno.E2BIG) {
            return new MapFullException(name(), spec().maxEntries(), e);
        }
        return e;
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + spec() + "]";
    }
}
