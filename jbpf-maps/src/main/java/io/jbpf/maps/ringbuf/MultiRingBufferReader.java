package io.jbpf.maps.ringbuf;

import io.jbpf.core.ObjectClosedException;
import io.jbpf.core.internal.sys.Epoll;
import io.jbpf.core.map.KernelMap;
import io.jbpf.core.map.MapType;
import io.jbpf.maps.internal.events.Deadline;
import io.jbpf.maps.internal.events.Guard;
import io.jbpf.maps.internal.events.Poller;
import io.jbpf.maps.ringbuf.internal.Ring;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;

/**
 * Reads several ring buffer maps ({@code BPF_MAP_TYPE_RINGBUF}) with one epoll, each with its own
 * handler, as libbpf's {@code ring_buffer__new}/{@code ring_buffer__add} do:
 * <pre>{@code
 * try (MultiRingBufferReader r = MultiRingBufferReader.builder()
 *         .add(flows, (buf, off, len) -> onFlow(buf, off, len))
 *         .add(drops, record -> onDrop(record.toByteArray()))
 *         .open()) {
 *     while (running) {
 *         r.poll(Duration.ofSeconds(1));
 *     }
 * }
 * }</pre>
 *
 * <p>Each ring is read as {@link RingBufferReader} reads one: in place, records of one ring in
 * order, discarded records skipped, stopping at a record still being written. Records of different
 * rings are not ordered with respect to each other. A record is valid only while its handler runs
 * (see {@link RingBufferReader} and {@link RingRecord}).
 *
 * <p><b>Threads and ownership</b> are as for {@link RingBufferReader}: one thread reads at a time
 * (a second concurrent {@code poll} or {@code drain} throws {@link IllegalStateException});
 * {@link #close()} from any thread wakes a waiting {@code poll} and unmaps the rings once it has
 * returned; later reads throw {@link ObjectClosedException}. The reader does not own the maps. The
 * set of rings is fixed when the reader is opened. Forgotten without close, its mappings and fds
 * are released by a {@link java.lang.ref.Cleaner}.
 */
public final class MultiRingBufferReader implements AutoCloseable {
    private final String what;
    private final Ring[] rings;
    private final RecordHandler[] handlers;
    private final String[] names;
    private final Poller poller;
    private final Guard guard;
    private final BooleanSupplier stop;
    private final AtomicBoolean closing = new AtomicBoolean();

    private MultiRingBufferReader(String what, Ring[] rings, RecordHandler[] handlers, String[] names,
            Poller poller) {
        this.what = what;
        this.rings = rings;
        this.handlers = handlers;
        this.names = names;
        this.poller = poller;
        this.guard = new Guard(what, this::release);
        this.stop = guard::isClosed;
    }

    /** A builder to add the rings to. */
    public static Builder builder() {
        return new Builder();
    }

    /** Collects ring buffer maps and their handlers; {@link #open()} maps them all. */
    public static final class Builder {
        private final List<KernelMap> maps = new ArrayList<>();
        private final List<Object> handlers = new ArrayList<>();
        private final Set<Integer> ids = new HashSet<>();

        private Builder() {}

        /**
         * Reads {@code map}, a {@link MapType#RINGBUF}, with {@code handler} (in place, unchecked).
         *
         * @throws IllegalArgumentException when the map is of another type or was added already
         */
        public Builder add(KernelMap map, RecordHandler handler) {
            return addHandler(map, handler);
        }

        /** Reads {@code map} with {@code handler}, which receives checked {@link RingRecord}s. */
        public Builder add(KernelMap map, RingRecordHandler handler) {
            return addHandler(map, handler);
        }

        private Builder addHandler(KernelMap map, Object handler) {
            Objects.requireNonNull(map, "map");
            Objects.requireNonNull(handler, "handler");
            if (map.spec().type() != MapType.RINGBUF) {
                throw new IllegalArgumentException("map '" + map.spec().name() + "' is a " + map.spec().type()
                        + ", not a " + MapType.RINGBUF);
            }
            if (!ids.add(map.id())) {
                throw new IllegalArgumentException("map '" + map.spec().name() + "' (id " + map.id()
                        + ") was added already: one consumer per ring");
            }
            maps.add(map);
            handlers.add(handler);
            return this;
        }

        /**
         * Maps every ring added and watches them with one epoll; on failure nothing stays mapped.
         *
         * @throws IllegalStateException when no ring was added
         * @throws io.jbpf.core.BpfException when mmap or epoll fails
         */
        public MultiRingBufferReader open() {
            if (maps.isEmpty()) {
                throw new IllegalStateException("a multi ring buffer reader needs at least one ring buffer map");
            }
            String what = "ring buffer reader of maps " + maps.stream().map(m -> "'" + m.spec().name() + "'").toList();
            RecordScope scope = new RecordScope();
            Ring[] rings = new Ring[maps.size()];
            RecordHandler[] raw = new RecordHandler[maps.size()];
            String[] names = new String[maps.size()];
            Poller poller = null;
            try {
                poller = Poller.create(maps.size(), what);
                for (int i = 0; i < rings.length; i++) {
                    KernelMap map = maps.get(i);
                    names[i] = map.spec().name();
                    rings[i] = Ring.map(map, "ring buffer reader of map '" + names[i] + "'");
                    poller.add(map.fd(), Epoll.IN, i);
                    Object h = handlers.get(i);
                    raw[i] = h instanceof RecordHandler r ? r : scope.wrap((RingRecordHandler) h);
                }
                return new MultiRingBufferReader(what, rings, raw, names, poller);
            } catch (RuntimeException e) {
                for (Ring r : rings) {
                    if (r != null) {
                        r.close();
                    }
                }
                if (poller != null) {
                    poller.close();
                }
                throw e;
            }
        }
    }

    /** The number of rings. */
    public int rings() {
        return rings.length;
    }

    /** The names of the maps, in the order they were added. */
    public List<String> mapNames() {
        return List.of(names);
    }

    /**
     * Hands every committed record of every ring to that ring's handler, waiting up to
     * {@code timeout} for one when there is none (a negative timeout waits without limit). Returns
     * the number of records handled over all rings: 0 when the time ran out or the reader was
     * closed meanwhile. An exception from a handler stops this poll (its record is consumed, the
     * other rings are read next time) and propagates.
     */
    public int poll(Duration timeout) {
        Deadline deadline = Deadline.after(timeout);
        guard.enterExclusive("read");
        try {
            return poller.awaitWork(deadline, guard, this::consumeAll);
        } finally {
            guard.exitExclusive();
        }
    }

    /** Hands every committed record of every ring to its handler without waiting; returns how many. */
    public int drain() {
        guard.enterExclusive("read");
        try {
            return consumeAll();
        } finally {
            guard.exitExclusive();
        }
    }

    /** Bytes written and not yet consumed in the ring of the {@code index}-th map added. */
    public long pending(int index) {
        Objects.checkIndex(index, rings.length);
        guard.enter();
        try {
            return rings[index].pending();
        } finally {
            guard.exit();
        }
    }

    /** Whether {@link #close()} was called. */
    public boolean isClosed() {
        return guard.isClosed();
    }

    /**
     * Closes the reader: wakes a thread waiting in {@link #poll}, and unmaps the rings and closes the
     * epoll fds once no thread is reading. Idempotent; callable from any thread.
     */
    @Override
    public void close() {
        if (!closing.compareAndSet(false, true)) {
            return;
        }
        poller.wake();
        guard.close();
    }

    private int consumeAll() {
        int n = 0;
        for (int i = 0; i < rings.length && !guard.isClosed(); i++) {
            n += rings[i].consume(handlers[i], stop);
        }
        return n;
    }

    private void release() {
        poller.close();
        for (Ring r : rings) {
            r.close();
        }
    }

    @Override
    public String toString() {
        return what + (isClosed() ? " (closed)" : "");
    }
}
