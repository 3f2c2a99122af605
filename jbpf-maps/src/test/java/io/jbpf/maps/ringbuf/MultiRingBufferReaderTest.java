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
import io.jbpf.core.testing.KernelTest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/** One reader over two ring buffers filled by a program run with test-run. */
@KernelTest
class MultiRingBufferReaderTest {

    /** Every sequence number to "events", the even ones also to "evens"; failures counted in state. */
    static ProgramSpec twoRingProgram() {
        Assembler a = RingBufferReaderTest.nextSequence()
                .store(Size.DW, R10, -16, R6)
                .ldMap(R1, "events")
                .mov(R2, R10)
                .add(R2, -16)
                .mov(R3, 8)
                .mov(R4, 0)
                .call(Helper.ofName("ringbuf_output"))
                .jne(R0, 0, "failed")
                .mov(R1, R6)
                .and(R1, 1)
                .jne(R1, 0, "out")
                .ldMap(R1, "evens")
                .mov(R2, R10)
                .add(R2, -16)
                .mov(R3, 8)
                .mov(R4, 0)
                .call(Helper.ofName("ringbuf_output"))
                .jeq(R0, 0, "out")
                .label("failed")
                .mov(R1, 1)
                .atomicAdd(Size.DW, R7, 8, R1)
                .label("out")
                .mov(R0, 2)
                .exit();
        return ProgramSpec.builder("jbpf_rb_two", ProgramType.XDP).instructions(a.build()).build();
    }

    static KernelMap ring(String name) {
        return KernelMap.create(MapSpec.of(name, MapType.RINGBUF, 0, 0, 16 * 1024));
    }

    @Test
    void eachRingsRecordsReachItsOwnHandlerInOrder() {
        int n = 300;
        try (KernelMap state = RingBufferReaderTest.state(); KernelMap events = ring("events");
                KernelMap evens = ring("evens");
                Program p = Program.load(twoRingProgram(), Map.of("state", state, "events", events, "evens", evens))) {
            List<Long> all = new ArrayList<>();
            List<Long> even = new ArrayList<>();
            try (MultiRingBufferReader reader = MultiRingBufferReader.builder()
                    .add(events, (b, off, len) -> all.add(b.getLong(off)))
                    .add(evens, record -> even.add(record.getLong(0)))
                    .open()) {
                assertThat(reader.rings()).isEqualTo(2);
                assertThat(reader.mapNames()).containsExactly("events", "evens");
                assertThat(reader.drain()).isZero();
                RingBufferReaderTest.run(p, n);
                assertThat(RingBufferReaderTest.failures(state)).isZero();
                assertThat(reader.pending(0)).isEqualTo(16L * n);
                assertThat(reader.pending(1)).isEqualTo(16L * n / 2);
                assertThat(reader.poll(Duration.ofSeconds(5))).isEqualTo(n + n / 2);
                assertThat(all).containsExactly(LongStream.range(0, n).boxed().toArray(Long[]::new));
                assertThat(even).containsExactly(LongStream.range(0, n).filter(i -> i % 2 == 0).boxed()
                        .toArray(Long[]::new));
                assertThat(reader.pending(0)).isZero();
                assertThat(reader.pending(1)).isZero();
                assertThat(reader.poll(Duration.ofMillis(20))).isZero();
            }
        }
    }

    @Test
    void aPollWakesForARecordInAnyRing() throws Exception {
        try (KernelMap state = RingBufferReaderTest.state(); KernelMap events = ring("events");
                KernelMap evens = ring("evens");
                Program onlyEvens = Program.load(RingBufferReaderTest.outputProgram(),
                        Map.of("state", state, "events", evens))) {
            List<Long> first = new ArrayList<>();
            List<Long> second = new ArrayList<>();
            try (MultiRingBufferReader reader = MultiRingBufferReader.builder()
                    .add(events, (b, off, len) -> first.add(b.getLong(off)))
                    .add(evens, (b, off, len) -> second.add(b.getLong(off)))
                    .open()) {
                CompletableFuture<Integer> polled = CompletableFuture.supplyAsync(() -> reader.poll(Duration.ofSeconds(10)));
                Thread.sleep(100);
                assertThat(polled).isNotDone();
                RingBufferReaderTest.run(onlyEvens, 2); // only the second ring gets records
                assertThat(polled.get(5, TimeUnit.SECONDS)).isBetween(1, 2);
                reader.drain();
                assertThat(first).isEmpty();
                assertThat(second).containsExactly(0L, 1L);
            }
        }
    }

    @Test
    void oneReaderAtATimeAndCloseFromAnotherThreadUnblocksAPoll() throws Exception {
        try (KernelMap events = ring("events"); KernelMap evens = ring("evens")) {
            MultiRingBufferReader reader = MultiRingBufferReader.builder()
                    .add(events, (b, o, l) -> { })
                    .add(evens, r -> { })
                    .open();
            CountDownLatch started = new CountDownLatch(1);
            CompletableFuture<Integer> polled = CompletableFuture.supplyAsync(() -> {
                started.countDown();
                return reader.poll(Duration.ofSeconds(-1));
            });
            assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();
            Thread.sleep(100);
            assertThat(polled).isNotDone();
            assertThatThrownBy(reader::drain).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("another thread");
            long t0 = System.nanoTime();
            reader.close();
            assertThat(polled.get(2, TimeUnit.SECONDS)).isZero();
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofMillis(500));
            assertThat(reader.isClosed()).isTrue();
            assertThatThrownBy(reader::drain).isInstanceOf(ObjectClosedException.class);
            assertThatThrownBy(() -> reader.pending(0)).isInstanceOf(ObjectClosedException.class);
            reader.close();
        }
    }

    @Test
    void aHandlerExceptionStopsThePollAfterConsumingItsRecord() {
        try (KernelMap state = RingBufferReaderTest.state(); KernelMap events = ring("events");
                KernelMap evens = ring("evens");
                Program p = Program.load(twoRingProgram(), Map.of("state", state, "events", events, "evens", evens))) {
            List<Long> seen = new ArrayList<>();
            try (MultiRingBufferReader reader = MultiRingBufferReader.builder()
                    .add(events, (b, off, len) -> {
                        long seq = b.getLong(off);
                        if (seq == 2) {
                            throw new IllegalArgumentException("boom at " + seq);
                        }
                        seen.add(seq);
                    })
                    .add(evens, (b, o, l) -> { })
                    .open()) {
                RingBufferReaderTest.run(p, 4);
                assertThatThrownBy(reader::drain).isInstanceOf(IllegalArgumentException.class).hasMessage("boom at 2");
                assertThat(seen).containsExactly(0L, 1L);
                assertThat(reader.drain()).isEqualTo(1 + 2); // record 3, then both evens
                assertThat(seen).containsExactly(0L, 1L, 3L);
            }
        }
    }

    @Test
    void theBuilderChecksItsMaps() {
        try (KernelMap state = RingBufferReaderTest.state(); KernelMap events = ring("events")) {
            assertThatThrownBy(() -> MultiRingBufferReader.builder().add(state, (b, o, l) -> { }))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ARRAY")
                    .hasMessageContaining("RINGBUF");
            assertThatThrownBy(() -> MultiRingBufferReader.builder().add(events, (b, o, l) -> { })
                    .add(events, r -> { })).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("added already");
            assertThatThrownBy(() -> MultiRingBufferReader.builder().open()).isInstanceOf(IllegalStateException.class);
        }
    }
}
