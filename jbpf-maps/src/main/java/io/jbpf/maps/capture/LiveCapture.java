package io.jbpf.maps.capture;

import io.jbpf.core.dsl.KernelPacketProgram;
import io.jbpf.core.dsl.filter.CaptureProgram;
import io.jbpf.core.dsl.filter.CaptureRecord;
import io.jbpf.core.dsl.filter.PcapFilter;
import io.jbpf.core.link.AttachTargetNotFoundException;
import io.jbpf.core.link.Link;
import io.jbpf.core.link.TcDirection;
import io.jbpf.core.link.TcxLink;
import io.jbpf.core.link.XdpLink;
import io.jbpf.core.map.KernelMap;
import io.jbpf.core.netns.NetNamespace;
import io.jbpf.core.prog.Program;
import io.jbpf.maps.ringbuf.RecordHandler;
import io.jbpf.maps.ringbuf.RingBufferReader;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A live capture: a pcap-filter expression attached to a network interface, handing each matching
 * packet's head to a {@link CaptureHandler}, like {@code tcpdump -i IF -s N EXPR}.
 *
 * <pre>{@code
 * try (LiveCapture cap = LiveCapture.on("eth0").expression("icmp").attach(AttachPoint.TC_INGRESS).start()) {
 *     CaptureCounts c = cap.run(p -> System.out.println(p), 10, Duration.ofSeconds(30));
 *     System.out.println(c);  // "N packets seen, M matched, L lost"
 * }
 * }</pre>
 *
 * <p>{@link Builder#start()} loads a {@link CaptureProgram} (which passes every packet: the capture
 * never changes what happens to the traffic), opens a reader on its ring buffer and attaches it
 * (XDP by default, or TC through TCX), in the caller's network namespace or in a named one.
 * {@link #run} reads until {@link #stop()} (from any thread, for example a shutdown hook), a packet
 * limit or a time limit, then detaches the program, reads the records still in the ring and
 * returns the final {@link CaptureCounts}. {@link #close()} stops the capture if it still runs
 * (waiting for a {@link #run} in another thread to return) and releases the program, its maps and
 * the reader; each is closed once.
 *
 * <p>One thread reads at a time ({@link #run} or {@link #poll}); {@link #stop()},
 * {@link #counts()} and {@link #close()} may be called from any thread.
 */
public final class LiveCapture implements AutoCloseable {
    /** How long one wait for records lasts, so that a stop is seen promptly. */
    private static final Duration TICK = Duration.ofMillis(50);
    /** How long the end of a capture waits for records of packets that matched just before the detach. */
    private static final long SETTLE_NANOS = TimeUnit.MILLISECONDS.toNanos(250);

    private final String ifname;
    private final String netns;
    private final AttachPoint attachPoint;
    private final CaptureProgram spec;
    private final KernelPacketProgram loaded;
    private final KernelMap counters;
    private final RingBufferReader reader;
    private final Link link;
    private final ReentrantLock reading = new ReentrantLock();
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile boolean stopRequested;
    private volatile long handed;
    private volatile long received;
    private volatile CaptureCounts last;

    private LiveCapture(Builder b, CaptureProgram spec, KernelPacketProgram loaded, RingBufferReader reader, Link link) {
        this.ifname = b.ifname;
        this.netns = b.netns;
        this.attachPoint = b.attachPoint;
        this.spec = spec;
        this.loaded = loaded;
        this.counters = loaded.map(CaptureProgram.COUNT_MAP);
        this.reader = reader;
        this.link = link;
    }

    /** A builder of a capture on interface {@code ifname}. */
    public static Builder on(String ifname) {
        return new Builder(ifname);
    }

    /** The interface name. */
    public String interfaceName() {
        return ifname;
    }

    /** Where the program is attached. */
    public AttachPoint attachPoint() {
        return attachPoint;
    }

    /** The program that captures. */
    public CaptureProgram captureProgram() {
        return spec;
    }

    /** The loaded program. */
    public Program program() {
        return loaded.program();
    }

    /**
     * Hands the records in the ring to {@code handler}, waiting up to {@code timeout} for one when
     * there is none; returns how many were handed (0 after {@link #stop()} or when the time ran out).
     *
     * @throws IllegalStateException when another thread is reading
     */
    public int poll(Duration timeout, CaptureHandler handler) {
        Objects.requireNonNull(handler, "handler");
        enter();
        try {
            if (stopRequested) {
                return 0;
            }
            long before = handed;
            reader.poll(timeout, deliver(handler, 0));
            return (int) (handed - before);
        } finally {
            reading.unlock();
        }
    }

    /**
     * Captures until {@link #stop()} is called, {@code maxPackets} packets were handed out (0 for no
     * limit) or {@code maxDuration} passed ({@code null} for no limit); then detaches the program,
     * hands out the records still in the ring (up to the packet limit) and returns the final counts.
     * A stop from another thread takes effect within about 50 ms.
     *
     * @throws IllegalStateException when another thread is reading
     */
    public CaptureCounts run(CaptureHandler handler, long maxPackets, Duration maxDuration) {
        Objects.requireNonNull(handler, "handler");
        enter();
        try {
            long deadline = maxDuration == null ? Long.MAX_VALUE : System.nanoTime() + maxDuration.toNanos();
            RecordHandler h = deliver(handler, maxPackets);
            while (!stopRequested && !link.isClosed() && (maxPackets <= 0 || handed < maxPackets)) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    break;
                }
                reader.poll(Duration.ofNanos(Math.min(left, TICK.toNanos())), h);
            }
            return finish(h);
        } finally {
            reading.unlock();
        }
    }

    /**
     * Asks {@link #run} to end (and later {@link #poll}s to return at once); callable from any
     * thread, also from a shutdown hook. The program stays attached until {@link #run} ends or
     * {@link #close()}.
     */
    public void stop() {
        stopRequested = true;
    }

    /**
     * The counts now: read from the program's per-CPU counters; once the capture has ended, the
     * final ones.
     */
    public CaptureCounts counts() {
        CaptureCounts c = last;
        if (c != null) {
            return c;
        }
        return readCounts();
    }

    /** Whether the program has been detached. */
    public boolean isDetached() {
        return link.isClosed();
    }

    /**
     * Stops the capture, waits (up to 5 s) for a {@link #run} in another thread to end, detaches the
     * program if it is still attached (records still in the ring are counted as received, not
     * handed out) and releases the program, its maps and the reader. Idempotent.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        stop();
        boolean locked = false;
        try {
            locked = reading.tryLock(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        RuntimeException failure = null;
        try {
            if (last == null) {
                if (locked) {
                    finish((b, off, len) -> received++);
                } else {
                    link.close();
                    last = readCounts();
                }
            }
        } catch (RuntimeException e) {
            failure = e;
        } finally {
            failure = closeQuietly(link, failure);
            failure = closeQuietly(reader, failure);
            failure = closeQuietly(loaded, failure);
            if (locked) {
                reading.unlock();
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    @Override
    public String toString() {
        return "LiveCapture['" + spec.filter().expression() + "' on " + ifname
                + (netns == null ? "" : " in netns " + netns) + ", " + attachPoint + (link.isClosed() ? ", detached" : "")
                + "]";
    }

    private void enter() {
        if (closed.get()) {
            throw new IllegalStateException(this + " is closed");
        }
        if (!reading.tryLock()) {
            throw new IllegalStateException("another thread is reading " + this);
        }
    }

    private RecordHandler deliver(CaptureHandler handler, long maxPackets) {
        return (buffer, offset, length) -> {
            received++;
            if (maxPackets > 0 && handed >= maxPackets) {
                return;
            }
            CaptureRecord r = CaptureRecord.decode(buffer, offset, length);
            CapturedPacket p = new CapturedPacket(handed, Instant.now(), r.originalLength(), r.data());
            handed++;
            handler.onPacket(p);
        };
    }

    /** Detaches, reads what is left in the ring (waiting briefly for records still being written), keeps the final counts. */
    private CaptureCounts finish(RecordHandler h) {
        link.close();
        long settle = System.nanoTime() + SETTLE_NANOS;
        CaptureCounts c = readCounts();
        reader.drain(h);
        while (received < c.matched() && System.nanoTime() < settle) {
            reader.poll(Duration.ofMillis(10), h);
            c = readCounts();
        }
        c = readCounts();
        last = c;
        return c;
    }

    private CaptureCounts readCounts() {
        long seen = CaptureProgram.packets(counters, CaptureProgram.SEEN);
        long matched = CaptureProgram.packets(counters, CaptureProgram.MATCHED);
        long r = received;
        return new CaptureCounts(seen, matched, r, Math.max(0, matched - r));
    }

    private static RuntimeException closeQuietly(AutoCloseable c, RuntimeException failure) {
        try {
            c.close();
        } catch (RuntimeException e) {
            if (failure == null) {
                return e;
            }
            failure.addSuppressed(e);
        } catch (Exception e) {
            RuntimeException r = new IllegalStateException(e);
            if (failure == null) {
                return r;
            }
            failure.addSuppressed(r);
        }
        return failure;
    }

    /** Configures and starts a {@link LiveCapture}. */
    public static final class Builder {
        private final String ifname;
        private PcapFilter filter;
        private AttachPoint attachPoint = AttachPoint.XDP;
        private int snapLength = CaptureProgram.DEFAULT_SNAP_LENGTH;
        private int ringSize = CaptureProgram.DEFAULT_RING_SIZE;
        private String netns;

        private Builder(String ifname) {
            this.ifname = Objects.requireNonNull(ifname, "ifname");
        }

        /** The filter (default: every packet). */
        public Builder filter(PcapFilter pcapFilter) {
            this.filter = Objects.requireNonNull(pcapFilter, "filter");
            return this;
        }

        /**
         * The filter as a pcap-filter expression.
         *
         * @throws io.jbpf.core.dsl.filter.PcapFilterSyntaxException if it does not parse (with the column)
         * @throws io.jbpf.core.dsl.filter.PcapFilterException if it cannot be compiled
         */
        public Builder expression(String expression) {
            return filter(PcapFilter.compile(expression));
        }

        /** Where to attach (default {@link AttachPoint#XDP}). */
        public Builder attach(AttachPoint point) {
            this.attachPoint = Objects.requireNonNull(point, "attach point");
            return this;
        }

        /** How many head bytes to keep of each packet, 1 to 256 (default 128). */
        public Builder snapLength(int bytes) {
            if (bytes < 1 || bytes > CaptureProgram.MAX_SNAP_LENGTH) {
                throw new IllegalArgumentException("snap length " + bytes + " (1.." + CaptureProgram.MAX_SNAP_LENGTH
                        + ")");
            }
            this.snapLength = bytes;
            return this;
        }

        /** The ring buffer's size in bytes, a power of two of at least 4096 (default 1 MiB). */
        public Builder ringSize(int bytes) {
            if (bytes < 4096 || Integer.bitCount(bytes) != 1) {
                throw new IllegalArgumentException("ring size " + bytes + ": a power of two of at least 4096");
            }
            this.ringSize = bytes;
            return this;
        }

        /**
         * Attach in the named network namespace ({@code /var/run/netns/NAME}, as {@code ip netns exec}
         * does) instead of the caller's; {@code null} for the caller's.
         */
        public Builder netns(String name) {
            this.netns = name;
            return this;
        }

        /**
         * Loads the program and attaches it.
         *
         * @throws AttachTargetNotFoundException when the interface or the network namespace does not exist
         * @throws io.jbpf.core.link.AttachException when the kernel refuses the attachment (with its
         *         message: another XDP program there, no native XDP, no TCX, ...)
         * @throws io.jbpf.core.VerifierException when the verifier refuses the program
         */
        public LiveCapture start() {
            PcapFilter f = filter != null ? filter : PcapFilter.compile("");
            CaptureProgram spec = CaptureProgram.of(f, attachPoint.target(), snapLength, ringSize);
            KernelPacketProgram loaded = spec.program().load();
            RingBufferReader reader = null;
            try {
                reader = RingBufferReader.open(loaded.map(CaptureProgram.RING_MAP));
                Link link = attach(loaded.program());
                return new LiveCapture(this, spec, loaded, reader, link);
            } catch (RuntimeException e) {
                if (reader != null) {
                    closeQuietly(reader, e);
                }
                closeQuietly(loaded, e);
                throw e;
            }
        }

        private Link attach(Program program) {
            if (netns == null) {
                return attachHere(program, "this network namespace");
            }
            try (NetNamespace ns = NetNamespace.open(netns)) {
                return ns.run(() -> attachHere(program, "network namespace '" + netns + "'"));
            }
        }

        private Link attachHere(Program program, String where) {
            try {
                switch (attachPoint) {
                    case TC_INGRESS:
                        return TcxLink.attach(program, ifname, TcDirection.INGRESS);
                    case TC_EGRESS:
                        return TcxLink.attach(program, ifname, TcDirection.EGRESS);
                    default:
                        return XdpLink.attach(program, ifname, attachPoint.xdpMode());
                }
            } catch (AttachTargetNotFoundException e) {
                AttachTargetNotFoundException clear = new AttachTargetNotFoundException("network interface", ifname,
                        "no such interface in " + where);
                clear.initCause(e);
                throw clear;
            }
        }
    }
}
