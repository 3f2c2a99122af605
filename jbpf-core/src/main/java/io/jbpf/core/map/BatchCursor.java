package io.jbpf.core.map;

import io.jbpf.core.internal.sys.NativeBuffer;

/**
 * Where a batch lookup stands: the kernel's opaque position token ({@code in_batch} /
 * {@code out_batch}), and whether the map has been read to the end. One per walk; not thread-safe.
 */
public final class BatchCursor {
    private final NativeBuffer in;
    private final NativeBuffer out;
    private boolean started;
    private boolean done;

    BatchCursor(int tokenSize) {
        this.in = NativeBuffer.allocate(tokenSize);
        this.out = NativeBuffer.allocate(tokenSize);
    }

    /** Whether the last batch reached the end of the map. */
    public boolean done() {
        return done;
    }

    boolean started() {
        return started;
    }

    NativeBuffer in() {
        return in;
    }

    NativeBuffer out() {
        return out;
    }

    /** The kernel's out token becomes the next call's in token. */
    void advance() {
        in.buffer().put(0, out.toArray(out.size()));
        started = true;
    }

    void finish() {
        done = true;
    }
}
