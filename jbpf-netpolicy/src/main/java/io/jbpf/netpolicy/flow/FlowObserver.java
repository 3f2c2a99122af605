package io.jbpf.netpolicy.flow;

import io.jbpf.core.map.KernelMap;
import io.jbpf.maps.ringbuf.RingBufferReader;
import io.jbpf.netpolicy.datapath.FlowEvents;
import java.net.Inet4Address;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.function.Function;

/**
 * Reads a node's flow events from the datapath's ring buffer on a thread of its own and keeps the
 * latest {@code capacity} as {@link Flow}s, numbered, for {@code observe} requests (Hubble's ring
 * of recent flows). Closing stops the thread and unmaps the ring.
 */
public final class FlowObserver implements AutoCloseable {
    /** How often the reader looks at the ring when the datapath does not wake it (it wakes it only under load). */
    public static final Duration POLL_INTERVAL = Duration.ofMillis(100);

    private final String node;
    private final Function<Inet4Address, String> names;
    private final int capacity;
    private final RingBufferReader reader;
    private final Deque<Flow> flows = new ArrayDeque<>();
    private final Thread thread;
    private final java.util.function.Consumer<Flow> listener;
    private long next = 1;
    private volatile boolean closed;

    /**
     * Starts reading {@code events}.
     *
     * @param node     the node's name, put on every flow
     * @param events   the datapath's ring buffer
     * @param names    names an address ({@code namespace/pod}), or gives null to show the address
     * @param capacity how many flows to keep
     */
    public FlowObserver(String node, KernelMap events, Function<Inet4Address, String> names, int capacity) {
        this(node, events, names, capacity, f -> { });
    }

    /**
     * Starts reading {@code events}, handing every flow to {@code listener} too (on the reading
     * thread, as it arrives: metrics count it there).
     */
    public FlowObserver(String node, KernelMap events, Function<Inet4Address, String> names, int capacity,
            java.util.function.Consumer<Flow> listener) {
        this.listener = listener;
        this.node = node;
        this.names = names;
        this.capacity = capacity;
        this.reader = RingBufferReader.open(events);
        this.thread = new Thread(this::run, "jbpf-flows-" + node);
        this.thread.setDaemon(true);
        this.thread.start();
    }

    private void run() {
        while (!closed) {
            try {
                reader.poll(POLL_INTERVAL, (b, off, len) -> add(FlowEvents.decode(b, off)));
            } catch (RuntimeException e) {
                if (closed) {
                    return;
                }
            }
        }
    }

    private void add(FlowEvents.Event e) {
        Flow f;
        synchronized (this) {
            Instant when = Instant.now().minusNanos(Math.max(0, System.nanoTime() - e.timeNs()));
            f = new Flow(next++, when, node, e.dropped(), e.reason(), e.direction(), e.protocol(), e.tcpFlags(),
                    name(e.source()), e.source().getHostAddress(), e.sourcePort(), e.srcIdentity(), name(e.destination()),
                    e.destination().getHostAddress(), e.destinationPort(), e.dstIdentity(), e.icmpType(), e.icmpCode());
            flows.addLast(f);
            while (flows.size() > capacity) {
                flows.removeFirst();
            }
        }
        listener.accept(f);
    }

    private String name(Inet4Address a) {
        String n = names.apply(a);
        return n != null ? n : a.getHostAddress();
    }

    /** The kept flows numbered after {@code since} that {@code filter} passes, at most the last {@code limit}. */
    public synchronized List<Flow> flows(long since, FlowFilter filter, int limit) {
        List<Flow> out = new ArrayList<>();
        for (Flow f : flows) {
            if (f.sequence() > since && filter.test(f)) {
                out.add(f);
            }
        }
        return out.size() > limit ? new ArrayList<>(out.subList(out.size() - limit, out.size())) : out;
    }

    /** The number the next flow will get. */
    public synchronized long nextSequence() {
        return next;
    }

    @Override
    public void close() {
        closed = true;
        reader.close();
        try {
            thread.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
