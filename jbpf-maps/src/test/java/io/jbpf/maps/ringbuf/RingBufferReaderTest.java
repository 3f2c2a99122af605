package io.jbpf.maps.ringbuf;

import static io.jbpf.core.insn.Reg.R0;
import static io.jbpf.core.insn.Reg.R1;
import static io.jbpf.core.insn.Reg.R2;
import static io.jbpf.core.insn.Reg.R3;
import static io.jbpf.core.insn.Reg.R4;
import static io.jbpf.core.insn.Reg.R6;
import static io.jbpf.core.insn.Reg.R7;
import static io.jbpf.core.insn.Reg.R10;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jbpf.core.ObjectClosedException;
import io.jbpf.core.asm.Assembler;
import io.jbpf.core.insn.Helper;
import io.jbpf.core.insn.Size;
import io.jbpf.core.map.KernelMap;
import io.jbpf.core.map.MapSpec;
import io.jbpf.core.map.MapType;
import io.jbpf.core.prog.Program;
import io.jbpf.core.prog.ProgramSpec;
import io.jbpf.core.prog.ProgramType;
import io.jbpf.core.prog.TestRun;
import io.jbpf.core.testing.KernelTest;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Programs run with test-run write numbered records; the reader must see them all, in order. */
@KernelTest
class RingBufferReaderTest {

    /**
     * Loads the sequence number from element 0 of "state" (u64 seq, u64 failures) into R6 and
     * increments it; R7 keeps the element pointer. Ends at "out" when the lookup fails.
     */
    static Assembler nextSequence() {
        return new Assembler()
                .store(Size.W, R10, -4, 0)
                .mov(R2, R10)
                .add(R2, -4)
                .ldMap(R1, "state")
                .call(Helper.ofName("map_lookup_elem"))
                .jeq(R0, 0, "out")
                .mov(R7, R0)
                .load(Size.DW, R6, R7, 0)
                .mov(R1, R6)
                .add(R1, 1)
                .store(Size.DW, R7, 0, R1);
    }

    static Assembler countFailureUnlessR0IsZero(Assembler a) {
        return a.jeq(R0, 0, "out")
                .mov(R1, 1)
                .atomicAdd(Size.DW, R7, 8, R1)
                .label("out")
                .mov(R0, 2)
                .exit();
    }

    /** bpf_ringbuf_output of the 8-byte sequence number; failures counted in state[0].failures. */
    static ProgramSpec outputProgram() {
        Assembler a = nextSequence()
                .store(Size.DW, R10, -16, R6)
                .ldMap(R1, "events")
                .mov(R2, R10)
                .add(R2, -16)
                .mov(R3, 8)
                .mov(R4, 0)
                .call(Helper.ofName("ringbuf_output"));
        return ProgramSpec.builder("jbpf_rb_out", ProgramType.XDP).instructions(countFailureUnlessR0IsZero(a).build()).build();
    }

    /** bpf_ringbuf_reserve of 8 bytes, the sequence number written, odd ones discarded. */
    static ProgramSpec reserveProgram() {
        Assembler a = nextSequence()
                .ldMap(R1, "events")
                .mov(R2, 8)
                .mov(R3, 0)
                .call(Helper.ofName("ringbuf_reserve"))
                .jne(R0, 0, "reserved")
                .mov(R0, -1)
                .ja("failed")
                .label("reserved")
                .store(Size.DW, R0, 0, R6)
                .mov(R1, R0)
                .mov(R2, 0)
                .and(R6, 1)
                .jne(R6, 0, "discard")
                .call(Helper.ofName("ringbuf_submit"))
                .mov(R0, 0)
                .ja("failed")
                .label("discard")
                .call(Helper.ofName("ringbuf_discard"))
                .mov(R0, 0)
                .label("failed");
        return ProgramSpec.builder("jbpf_rb_rsv", ProgramType.XDP).instructions(countFailureUnlessR0IsZero(a).build()).build();
    }

    static KernelMap state() {
        return KernelMap.create(MapSpec.of("state", MapType.ARRAY, 4, 16, 1));
    }

    static KernelMap ring(int size) {
        return KernelMap.create(MapSpec.of("events", MapType.RINGBUF, 0, 0, size));
    }

    static long failures(KernelMap state) {
        byte[] v = new byte[16];
        assertThat(state.lookup(new byte[4], v)).isTrue();
        return ByteBuffer.wrap(v).order(ByteOrder.nativeOrder()).getLong(8);
    }

    static void run(Program p, int times) {
        assertThat(p.testRun(TestRun.withData(new byte[64]).repeat(times)).returnValue()).isEqualTo(2);
    }

    @Test
    void everyRecordArrivesInOrderWithoutCopying() {
        int n = 1000;
        try (KernelMap state = state(); KernelMap events = ring(64 * 1024);
                Program p = Program.load(outputProgram(), Map.of("state", state, "events", events));
                RingBufferReader reader = RingBufferReader.open(events)) {
            assertThat(reader.capacity()).isEqualTo(64 * 1024);
            assertThat(reader.drain((b, o, l) -> { })).isZero();
            run(p, n);
            assertThat(failures(state)).isZero();
            assertThat(reader.pending()).isEqualTo(16L * n);
            List<Long> seen = new ArrayList<>();
            int got = reader.poll(Duration.ofSeconds(5), (b, off, len) -> {
                assertThat(len).isEqualTo(8);
                assertThat(b.isReadOnly()).isTrue();
                seen.add(b.getLong(off));
            });
            assertThat(got).isEqualTo(n);
            assertThat(seen).hasSize(n);
            for (int i = 0; i < n; i++) {
                assertThat(seen.get(i)).isEqualTo(i);
            }
            assertThat(reader.pending()).isZero();
            assertThat(reader.poll(Duration.ofMillis(20), (b, o, l) -> { })).isZero();
        }
    }

    @Test
    void recordsCrossTheEndOfTheRingIntact() {
        try (KernelMap state = state(); KernelMap events = ring(4096);
                Program p = Program.load(outputProgram(), Map.of("state", state, "events", events));
                RingBufferReader reader = RingBufferReader.open(events)) {
            List<Long> seen = new ArrayList<>();
            for (int round = 0; round < 5; round++) {
                run(p, 100); // 1600 bytes a round: the third round passes the end of the 4096-byte ring
                assertThat(reader.drain((b, off, len) -> seen.add(b.getLong(off)))).isEqualTo(100);
            }
            assertThat(failures(state)).isZero();
            assertThat(seen).hasSize(500);
            for (int i = 0; i < 500; i++) {
                assertThat(seen.get(i)).isEqualTo(i);
            }
        }
    }

    @Test
    void aFullRingDropsRecordsTheProgramCountsAndTheReaderSeesTheRest() {
        int n = 1000;
        try (KernelMap state = state(); KernelMap events = ring(4096);
                Program p = Program.load(outputProgram(), Map.of("state", state, "events", events));
                RingBufferReader reader = RingBufferReader.open(events)) {
            run(p, n);
            long drops = failures(state);
            // 16-byte records in 4096 bytes: the kernel keeps the ring from filling completely (at most
            // size - 1 bytes in use), so 255 fit; allow 256 for a kernel that fills it up
            assertThat(drops).isBetween(n - 256L, n - 255L);
            List<Long> seen = new ArrayList<>();
            int got = reader.poll(Duration.ofSeconds(5), (b, off, len) -> seen.add(b.getLong(off)));
            assertThat(got).isEqualTo(n - drops);
            assertThat(seen).hasSize((int) (n - drops));
            for (int i = 0; i < seen.size(); i++) {
                assertThat(seen.get(i)).isEqualTo(i);
            }
        }
    }

    @Test
    void discardedRecordsAreSkipped() {
        int n = 101;
        try (KernelMap state = state(); KernelMap events = ring(4096);
                Program p = Program.load(reserveProgram(), Map.of("state", state, "events", events));
                RingBufferReader reader = RingBufferReader.open(events)) {
            run(p, n);
            assertThat(failures(state)).isZero();
            List<Long> seen = new ArrayList<>();
            assertThat(reader.drain((b, off, len) -> seen.add(b.getLong(off)))).isEqualTo(51);
            assertThat(seen).hasSize(51);
            for (int i = 0; i < seen.size(); i++) {
                assertThat(seen.get(i)).isEqualTo(2L * i);
            }
            assertThat(reader.pending()).isZero();
        }
    }

    @Test
    void aPollWaitsForRecordsThatArriveLater() throws Exception {
        try (KernelMap state = state(); KernelMap events = ring(4096);
                Program p = Program.load(outputProgram(), Map.of("state", state, "events", events));
                RingBufferReader reader = RingBufferReader.open(events)) {
            CompletableFuture<Integer> polled = CompletableFuture.supplyAsync(
                    () -> reader.poll(Duration.ofSeconds(10), (b, o, l) -> { }));
            Thread.sleep(100);
            assertThat(polled).isNotDone();
            run(p, 3);
            assertThat(polled.get(5, TimeUnit.SECONDS)).isBetween(1, 3);
        }
    }

    @Test
    void closeFromAnotherThreadUnblocksAWaitingPoll() throws Exception {
        try (KernelMap events = ring(4096)) {
            RingBufferReader reader = RingBufferReader.open(events);
            CountDownLatch started = new CountDownLatch(1);
            CompletableFuture<Integer> polled = CompletableFuture.supplyAsync(() -> {
                started.countDown();
                return reader.poll(Duration.ofSeconds(-1), (b, o, l) -> { });
            });
            assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();
            Thread.sleep(100);
            assertThat(polled).isNotDone();
            long t0 = System.nanoTime();
            reader.close();
            assertThat(polled.get(2, TimeUnit.SECONDS)).isZero();
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofMillis(500));
            assertThat(reader.isClosed()).isTrue();
            assertThatThrownBy(() -> reader.drain((b, o, l) -> { })).isInstanceOf(ObjectClosedException.class);
            assertThatThrownBy(reader::pending).isInstanceOf(ObjectClosedException.class);
            reader.close(); // idempotent
        }
    }

    @Test
    void aStreamCopiesRecordsAndEndsOnClose() throws Exception {
        try (KernelMap state = state(); KernelMap events = ring(4096);
                Program p = Program.load(outputProgram(), Map.of("state", state, "events", events))) {
            RingBufferReader reader = RingBufferReader.open(events);
            run(p, 5);
            CompletableFuture<List<Long>> all = CompletableFuture.supplyAsync(() -> reader.stream()
                    .map(r -> ByteBuffer.wrap(r).order(ByteOrder.nativeOrder()).getLong())
                    .collect(Collectors.toList()));
            Thread.sleep(200);
            reader.close();
            assertThat(all.get(5, TimeUnit.SECONDS)).containsExactly(0L, 1L, 2L, 3L, 4L);
        }
    }

    @Test
    void aHandlerMayCloseTheReaderAndTheRestStaysUnread() {
        try (KernelMap state = state(); KernelMap events = ring(4096);
                Program p = Program.load(outputProgram(), Map.of("state", state, "events", events))) {
            RingBufferReader reader = RingBufferReader.open(events);
            run(p, 10);
            int[] calls = {0};
            int got = reader.drain((b, o, l) -> {
                calls[0]++;
                reader.close();
                assertThat(b.getLong(o)).isZero(); // still mapped inside the callback
            });
            assertThat(got).isEqualTo(1);
            assertThat(calls[0]).isEqualTo(1);
            assertThat(reader.isClosed()).isTrue();
        }
    }

    @Test
    void aRingRecordKeptPastItsHandlerThrowsInsteadOfReadingTheRing() {
        try (KernelMap state = state(); KernelMap events = ring(4096);
                Program p = Program.load(outputProgram(), Map.of("state", state, "events", events))) {
            RingBufferReader reader = RingBufferReader.open(events);
            run(p, 3);
            List<RingRecord> kept = new ArrayList<>();
            List<byte[]> copies = new ArrayList<>();
            List<Long> decoded = new ArrayList<>();
            int got = reader.drain(record -> {
                assertThat(record.isValid()).isTrue();
                assertThat(record.length()).isEqualTo(8);
                if (!kept.isEmpty()) {
                    RingRecord previous = kept.get(kept.size() - 1);
                    // the previous record's space may already hold this one: it must not read it
                    assertThat(previous.isValid()).isFalse();
                    assertThatThrownBy(() -> previous.getLong(0)).isInstanceOf(IllegalStateException.class);
                }
                assertThat(record.getLong(0)).isEqualTo(kept.size());
                assertThatThrownBy(() -> record.getLong(1)).isInstanceOf(IndexOutOfBoundsException.class)
                        .hasMessageContaining("record of 8 bytes");
                kept.add(record);
                copies.add(record.toByteArray());
                decoded.add(record.decode(io.jbpf.maps.codec.Codecs.u64()));
            });
            assertThat(got).isEqualTo(3);
            for (RingRecord r : kept) {
                assertThat(r.isValid()).isFalse();
                assertThat(r.length()).isEqualTo(8);
                assertThat(r.toString()).contains("expired");
                assertThatThrownBy(() -> r.getLong(0)).isInstanceOf(IllegalStateException.class)
                        .hasMessageContaining("used after its handler returned");
                assertThatThrownBy(() -> r.get(0)).isInstanceOf(IllegalStateException.class);
                assertThatThrownBy(r::toByteArray).isInstanceOf(IllegalStateException.class);
            }
            assertThat(decoded).containsExactly(0L, 1L, 2L);
            for (int i = 0; i < 3; i++) {
                assertThat(ByteBuffer.wrap(copies.get(i)).order(ByteOrder.nativeOrder()).getLong()).isEqualTo(i);
            }
            reader.close();
            // the ring is unmapped now: a kept record must throw, not touch the old address
            assertThatThrownBy(() -> kept.get(0).getInt(0)).isInstanceOf(IllegalStateException.class);
        }
    }

    @Test
    void aRingRecordHandedByPollIsValidDuringTheCallEvenWhenTheHandlerCloses() {
        try (KernelMap state = state(); KernelMap events = ring(4096);
                Program p = Program.load(outputProgram(), Map.of("state", state, "events", events))) {
            RingBufferReader reader = RingBufferReader.open(events);
            run(p, 2);
            long[] seen = {-1};
            assertThat(reader.poll(Duration.ofSeconds(5), record -> {
                reader.close();
                seen[0] = record.getLong(0);
            })).isEqualTo(1);
            assertThat(seen[0]).isZero();
            assertThatThrownBy(() -> reader.poll(Duration.ZERO, record -> { }))
                    .isInstanceOf(ObjectClosedException.class);
        }
    }

    @Test
    void theReaderChecksTheMapType() {
        try (KernelMap state = state()) {
            assertThatThrownBy(() -> RingBufferReader.open(state))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("ARRAY").hasMessageContaining("RINGBUF");
        }
    }
}
