package io.jbpf.maps.perf;

import static io.jbpf.core.insn.Reg.R0;
import static io.jbpf.core.insn.Reg.R1;
import static io.jbpf.core.insn.Reg.R2;
import static io.jbpf.core.insn.Reg.R3;
import static io.jbpf.core.insn.Reg.R4;
import static io.jbpf.core.insn.Reg.R5;
import static io.jbpf.core.insn.Reg.R6;
import static io.jbpf.core.insn.Reg.R7;
import static io.jbpf.core.insn.Reg.R8;
import static io.jbpf.core.insn.Reg.R10;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jbpf.core.ObjectClosedException;
import io.jbpf.core.asm.Assembler;
import io.jbpf.core.insn.Helper;
import io.jbpf.core.insn.Size;
import io.jbpf.core.internal.sys.Cpus;
import io.jbpf.core.map.KernelMap;
import io.jbpf.core.map.MapSpec;
import io.jbpf.core.map.MapType;
import io.jbpf.core.prog.Program;
import io.jbpf.core.prog.ProgramSpec;
import io.jbpf.core.prog.ProgramType;
import io.jbpf.core.prog.TestRun;
import io.jbpf.core.testing.KernelTest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** An XDP program run with test-run writes numbered 40-byte samples to the current CPU's ring. */
@KernelTest
class PerfEventReaderTest {
    static final int PAYLOAD = 40;

    /** Sample: the sequence number from "state" five times; bpf_perf_event_output(ctx, events, CURRENT_CPU). */
    static ProgramSpec program() {
        Assembler a = new Assembler()
                .mov(R8, R1)
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
        for (int i = 0; i < PAYLOAD / 8; i++) {
            a.store(Size.DW, R10, -48 + 8 * i, R6);
        }
        a.mov(R1, R8)
                .ldMap(R2, "events")
                .ldImm64(R3, 0xffff_ffffL) // BPF_F_CURRENT_CPU, no packet bytes appended
                .mov(R4, R10)
                .add(R4, -48)
                .mov(R5, PAYLOAD)
                .call(Helper.ofName("perf_event_output"))
                .label("out")
                .mov(R0, 2)
                .exit();
        return ProgramSpec.builder("jbpf_perf_out", ProgramType.XDP).instructions(a.build()).build();
    }

    static KernelMap events() {
        return KernelMap.create(MapSpec.of("events", MapType.PERF_EVENT_ARRAY, 4, 4, Cpus.possible()));
    }

    static KernelMap state() {
        return KernelMap.create(MapSpec.of("state", MapType.ARRAY, 4, 8, 1));
    }

    static void run(Program p, int times) {
        assertThat(p.testRun(TestRun.withData(new byte[64]).repeat(times)).returnValue()).isEqualTo(2);
    }

    private static void sleepBriefly() {
        try {
            Thread.sleep(1);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Collects samples per CPU, checking each one's five copies agree (so wrapped records are whole). */
    static final class Collector implements SampleHandler {
        final Map<Integer, List<Long>> byCpu = new HashMap<>();
        int total;

        @Override
        public void onSample(int cpu, java.nio.ByteBuffer b, int off, int len) {
            // 4-byte size + 40 bytes, padded to 8: 44 bytes of raw data
            assertThat(len).isEqualTo(PAYLOAD + 4);
            long seq = b.getLong(off);
            for (int i = 1; i < PAYLOAD / 8; i++) {
                assertThat(b.getLong(off + 8 * i)).as("copy %d of sample %d", i, seq).isEqualTo(seq);
            }
            byCpu.computeIfAbsent(cpu, c -> new ArrayList<>()).add(seq);
            total++;
        }

        List<Long> all() {
            List<Long> all = new ArrayList<>();
            byCpu.values().forEach(all::addAll);
            all.sort(null);
            return all;
        }

        void assertOrderedPerCpu() {
            for (List<Long> seqs : byCpu.values()) {
                assertThat(seqs).isSorted();
            }
        }
    }

    @Test
    void samplesArriveInOrderAndTheFdsAreInTheMap() {
        int n = 500;
        try (KernelMap state = state(); KernelMap events = events();
                Program p = Program.load(program(), Map.of("state", state, "events", events));
                PerfEventReader reader = PerfEventReader.open(events)) {
            assertThat(reader.cpus()).hasSize(Cpus.online());
            run(p, n);
            Collector c = new Collector();
            int got = 0;
            while (got < n) {
                int k = reader.poll(Duration.ofSeconds(5), c);
                assertThat(k).isPositive();
                got += k;
            }
            assertThat(got).isEqualTo(n);
            c.assertOrderedPerCpu();
            List<Long> all = c.all();
            for (int i = 0; i < n; i++) {
                assertThat(all.get(i)).isEqualTo(i);
            }
            assertThat(reader.lostSamples()).isZero();
        }
    }

    @Test
    void samplesThatWrapAroundTheRingEndAreCopiedWhole() {
        try (KernelMap state = state(); KernelMap events = events();
                Program p = Program.load(program(), Map.of("state", state, "events", events));
                PerfEventReader reader = PerfEventReader.open(events, PerfReaderOptions.DEFAULT.withPagesPerCpu(1))) {
            Collector c = new Collector();
            // 56-byte records in a 4096-byte ring: 50 a round, the second round crosses the end
            for (int round = 0; round < 6; round++) {
                run(p, 50);
                assertThat(reader.drain(c)).isEqualTo(50);
            }
            assertThat(reader.lostSamples()).isZero();
            c.assertOrderedPerCpu();
            List<Long> all = c.all();
            assertThat(all).hasSize(300);
            for (int i = 0; i < 300; i++) {
                assertThat(all.get(i)).isEqualTo(i);
            }
        }
    }

    @Test
    void aFullRingCountsLostSamplesAndKeepsWhatFit() {
        int n = 200;
        try (KernelMap state = state(); KernelMap events = events();
                Program p = Program.load(program(), Map.of("state", state, "events", events));
                PerfEventReader reader = PerfEventReader.open(events, PerfReaderOptions.DEFAULT.withPagesPerCpu(1))) {
            run(p, n);
            Collector c = new Collector();
            int first = reader.drain(c);
            assertThat(first).isPositive().isLessThan(n);
            // the kernel writes the lost record when the next sample on the full ring's CPU finds
            // room; a test run goes to the ring of whichever CPU this thread is on, and the thread
            // may have moved to another CPU since, so sample (with pauses that let the scheduler
            // place it again) until one lands there
            int runs = n;
            for (int i = 0; i < 500 && reader.lostSamples() == 0; i++) {
                run(p, 1);
                runs++;
                reader.drain(c);
                if (i >= 10) {
                    sleepBriefly();
                }
            }
            assertThat(reader.lostSamples()).isPositive();
            assertThat(c.total + reader.lostSamples()).isEqualTo(runs);
            c.assertOrderedPerCpu();
        }
    }

    @Test
    void closeFromAnotherThreadUnblocksAWaitingPollAndEmptiesTheMap() throws Exception {
        try (KernelMap events = events()) {
            PerfEventReader reader = PerfEventReader.open(events);
            try {
                CompletableFuture<Integer> polled = CompletableFuture.supplyAsync(
                        () -> reader.poll(Duration.ofSeconds(-1), (cpu, b, o, l) -> { }));
                Thread.sleep(150);
                assertThat(polled).isNotDone();
                reader.close();
                assertThat(polled.get(2, TimeUnit.SECONDS)).isZero();
            } finally {
                reader.close();
            }
            // user space cannot look up a perf event array; deleting tells whether an entry is left
            for (int cpu : reader.cpus()) {
                byte[] key = java.nio.ByteBuffer.allocate(4).order(java.nio.ByteOrder.nativeOrder()).putInt(0, cpu).array();
                assertThat(events.delete(key)).as("entry of CPU %d", cpu).isFalse();
            }
            assertThatThrownBy(() -> reader.drain((cpu, b, o, l) -> { })).isInstanceOf(ObjectClosedException.class);
            assertThatThrownBy(reader::lostSamples).isInstanceOf(ObjectClosedException.class);
        }
    }

    @Test
    void theReaderChecksTheMapTypeAndOptions() {
        try (KernelMap state = state()) {
            assertThatThrownBy(() -> PerfEventReader.open(state)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("PERF_EVENT_ARRAY");
        }
        assertThatThrownBy(() -> PerfReaderOptions.DEFAULT.withPagesPerCpu(3))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("power of two");
    }
}
