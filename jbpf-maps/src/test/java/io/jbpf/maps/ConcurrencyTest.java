package io.jbpf.maps;

import static org.assertj.core.api.Assertions.assertThat;

import io.jbpf.core.testing.KernelTest;
import io.jbpf.maps.codec.Codecs;
import io.jbpf.maps.codec.RecordCodec;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Many threads on one typed map: exact final contents, consistent reads, no exceptions. */
@KernelTest
class ConcurrencyTest {
    static final int WRITERS = 8;
    static final int PER_WRITER = 10_000;
    static final int READERS = 4;

    record Value(long key, long square) {
    }

    static Value valueOf(int k) {
        return new Value(k, (long) k * k);
    }

    @Test
    void writersOfDistinctKeysAndConcurrentReaders() throws Exception {
        try (BpfHashMap<Integer, Value> m = BpfHashMap.create("jbpf_t_conc", WRITERS * PER_WRITER, Codecs.u32(),
                RecordCodec.of(Value.class))) {
            Queue<Throwable> errors = new ConcurrentLinkedQueue<>();
            AtomicBoolean writing = new AtomicBoolean(true);
            AtomicLong reads = new AtomicLong();
            CountDownLatch start = new CountDownLatch(1);
            Thread[] writers = new Thread[WRITERS];
            for (int w = 0; w < WRITERS; w++) {
                int base = w * PER_WRITER;
                writers[w] = new Thread(() -> {
                    try {
                        start.await();
                        for (int i = 0; i < PER_WRITER; i++) {
                            m.put(base + i, valueOf(base + i));
                        }
                    } catch (Throwable t) {
                        errors.add(t);
                    }
                }, "writer-" + w);
            }
            Thread[] readers = new Thread[READERS];
            for (int r = 0; r < READERS; r++) {
                long seed = r;
                readers[r] = new Thread(() -> {
                    Random rnd = new Random(seed);
                    try {
                        start.await();
                        while (writing.get()) {
                            int k = rnd.nextInt(WRITERS * PER_WRITER);
                            Value v = m.get(k);
                            if (v != null && !v.equals(valueOf(k))) {
                                throw new AssertionError("key " + k + " read " + v);
                            }
                            reads.incrementAndGet();
                        }
                    } catch (Throwable t) {
                        errors.add(t);
                    }
                }, "reader-" + r);
            }
            for (Thread t : writers) {
                t.start();
            }
            for (Thread t : readers) {
                t.start();
            }
            start.countDown();
            for (Thread t : writers) {
                t.join(120_000);
            }
            writing.set(false);
            for (Thread t : readers) {
                t.join(10_000);
            }
            assertThat(List.copyOf(errors)).as("errors in threads").isEmpty();
            assertThat(reads.get()).as("readers ran").isPositive();
            Map<Integer, Value> all = m.getAll();
            assertThat(all).hasSize(WRITERS * PER_WRITER);
            for (int k = 0; k < WRITERS * PER_WRITER; k++) {
                assertThat(all.get(k)).as("key %d", k).isEqualTo(valueOf(k));
            }
        }
    }

    @Test
    void concurrentGetAndRemoveHandsEachValueToExactlyOneThread() throws Exception {
        int n = 20_000;
        try (BpfHashMap<Integer, Long> m = BpfHashMap.create("jbpf_t_conc2", n, Codecs.u32(), Codecs.u64())) {
            Map<Integer, Long> init = new java.util.HashMap<>();
            for (int i = 0; i < n; i++) {
                init.put(i, (long) i);
            }
            m.putAll(init);
            AtomicLong sum = new AtomicLong();
            AtomicLong taken = new AtomicLong();
            Queue<Throwable> errors = new ConcurrentLinkedQueue<>();
            Thread[] threads = new Thread[4];
            for (int t = 0; t < threads.length; t++) {
                threads[t] = new Thread(() -> {
                    try {
                        for (int i = 0; i < n; i++) {
                            Long v = m.getAndRemove(i);
                            if (v != null) {
                                sum.addAndGet(v);
                                taken.incrementAndGet();
                            }
                        }
                    } catch (Throwable e) {
                        errors.add(e);
                    }
                });
                threads[t].start();
            }
            for (Thread t : threads) {
                t.join(120_000);
            }
            assertThat(List.copyOf(errors)).isEmpty();
            assertThat(taken.get()).isEqualTo(n);
            assertThat(sum.get()).isEqualTo((long) n * (n - 1) / 2);
            assertThat(m.isEmpty()).isTrue();
        }
    }
}
