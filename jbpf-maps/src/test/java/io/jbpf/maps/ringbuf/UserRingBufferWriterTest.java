package io.jbpf.maps.ringbuf;

import static io.jbpf.core.insn.Reg.R0;
import static io.jbpf.core.insn.Reg.R1;
import static io.jbpf.core.insn.Reg.R2;
import static io.jbpf.core.insn.Reg.R3;
import static io.jbpf.core.insn.Reg.R4;
import static io.jbpf.core.insn.Reg.R5;
import static io.jbpf.core.insn.Reg.R6;
import static io.jbpf.core.insn.Reg.R10;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jbpf.core.ObjectClosedException;
import io.jbpf.core.asm.Assembler;
import io.jbpf.core.insn.Helper;
import io.jbpf.core.insn.Insn;
import io.jbpf.core.insn.Size;
import io.jbpf.core.map.KernelMap;
import io.jbpf.core.map.MapSpec;
import io.jbpf.core.map.MapType;
import io.jbpf.core.prog.Program;
import io.jbpf.core.prog.ProgramBtf;
import io.jbpf.core.prog.ProgramSpec;
import io.jbpf.core.prog.ProgramType;
import io.jbpf.core.prog.TestRun;
import io.jbpf.core.testing.KernelTest;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Java produces u64 records; an XDP program drains them with a callback summing into "sum". */
@KernelTest
class UserRingBufferWriterTest {

    /** The program until the callback: drain "input" with on_record; sum[1] += the count drained. */
    static Assembler mainPart() {
        return new Assembler()
                .ldMap(R1, "input")
                .ldFunc(R2, "on_record")
                .mov(R3, 0)
                .mov(R4, 0)
                .call(Helper.ofName("user_ringbuf_drain"))
                .mov(R6, R0)
                .store(Size.W, R10, -4, 0)
                .mov(R2, R10)
                .add(R2, -4)
                .ldMap(R1, "sum")
                .call(Helper.ofName("map_lookup_elem"))
                .jeq(R0, 0, "main_out")
                .atomicAdd(Size.DW, R0, 8, R6)
                .label("main_out")
                .mov(R0, 2)
                .exit();
    }

    /** {@code long on_record(struct bpf_dynptr *record, void *ctx)}: sum[0] += the record's first u64. */
    static List<Insn> callback() {
        return new Assembler()
                .mov(R3, R1)
                .mov(R1, R10)
                .add(R1, -8)
                .mov(R2, 8)
                .mov(R4, 0)
                .mov(R5, 0)
                .call(Helper.ofName("dynptr_read"))
                .jne(R0, 0, "cb_out")
                .store(Size.W, R10, -12, 0)
                .mov(R2, R10)
                .add(R2, -12)
                .ldMap(R1, "sum")
                .call(Helper.ofName("map_lookup_elem"))
                .jeq(R0, 0, "cb_out")
                .load(Size.DW, R1, R10, -8)
                .atomicAdd(Size.DW, R0, 0, R1)
                .label("cb_out")
                .mov(R0, 0)
                .exit()
                .build();
    }

    /** Callbacks need BTF func info: main and on_record, hand-written as in jbpf-core's ProgramBtfTest. */
    static ProgramBtf btf(int callbackOffset) {
        ByteArrayOutputStream strings = new ByteArrayOutputStream();
        strings.write(0);
        java.util.function.Function<String, Integer> str = x -> {
            int off = strings.size();
            strings.writeBytes(x.getBytes(StandardCharsets.US_ASCII));
            strings.write(0);
            return off;
        };
        ByteBuffer t = ByteBuffer.allocate(256).order(ByteOrder.nativeOrder());
        t.putInt(str.apply("int")).putInt(1 << 24).putInt(4).putInt((1 << 24) | 32); // [1] int
        t.putInt(0).putInt(13 << 24).putInt(1); // [2] int (void)
        t.putInt(str.apply("prog_main")).putInt((12 << 24) | 1).putInt(2); // [3] global func
        t.putInt(0).putInt(2 << 24).putInt(0); // [4] void *
        t.putInt(0).putInt((13 << 24) | 2).putInt(1) // [5] int (void *rec, void *ctx)
                .putInt(str.apply("rec")).putInt(4).putInt(str.apply("ctx")).putInt(4);
        t.putInt(str.apply("on_record")).putInt(12 << 24).putInt(5); // [6] static func
        byte[] types = java.util.Arrays.copyOf(t.array(), t.position());
        byte[] s = strings.toByteArray();
        ByteBuffer b = ByteBuffer.allocate(24 + types.length + s.length).order(ByteOrder.nativeOrder());
        b.putShort((short) 0xeb9f).put((byte) 1).put((byte) 0).putInt(24);
        b.putInt(0).putInt(types.length).putInt(types.length).putInt(s.length).put(types).put(s);
        ByteBuffer func = ByteBuffer.allocate(16).order(ByteOrder.nativeOrder())
                .putInt(0).putInt(3).putInt(callbackOffset).putInt(6);
        return new ProgramBtf(b.array(), func.array(), 8, new byte[0], 16);
    }

    static ProgramSpec drainProgram() {
        List<Insn> probe = mainPart().label("on_record").exit().build();
        int offset = probe.subList(0, probe.size() - 1).stream().mapToInt(Insn::slots).sum();
        List<Insn> all = mainPart().label("on_record").emit(callback()).build();
        return ProgramSpec.builder("jbpf_urb_drain", ProgramType.XDP).instructions(all).btf(btf(offset)).build();
    }

    static long[] sums(KernelMap sum) {
        byte[] v = new byte[16];
        assertThat(sum.lookup(new byte[4], v)).isTrue();
        ByteBuffer b = ByteBuffer.wrap(v).order(ByteOrder.nativeOrder());
        return new long[] {b.getLong(0), b.getLong(8)};
    }

    static byte[] u64(long v) {
        return ByteBuffer.allocate(8).order(ByteOrder.nativeOrder()).putLong(0, v).array();
    }

    static void run(Program p) {
        assertThat(p.testRun(TestRun.withData(new byte[64])).returnValue()).isEqualTo(2);
    }

    @Test
    void theProgramDrainsWhatJavaSubmitted() {
        int n = 100;
        try (KernelMap input = KernelMap.create(MapSpec.of("input", MapType.USER_RINGBUF, 0, 0, 4096));
                KernelMap sum = KernelMap.create(MapSpec.of("sum", MapType.ARRAY, 4, 16, 1));
                Program p = Program.load(drainProgram(), Map.of("input", input, "sum", sum));
                UserRingBufferWriter writer = UserRingBufferWriter.open(input)) {
            for (int i = 1; i <= n; i++) {
                assertThat(writer.offer(u64(i))).isTrue();
            }
            UserRingBufferWriter.Reservation dropped = writer.tryReserve(8);
            dropped.buffer().putLong(0, 1_000_000);
            dropped.discard();
            assertThatThrownBy(dropped::submit).isInstanceOf(IllegalStateException.class);
            UserRingBufferWriter.Reservation inPlace = writer.tryReserve(16);
            inPlace.buffer().putLong(0, 7).putLong(8, 99);
            inPlace.submit();
            assertThat(writer.pending()).isEqualTo(16L * (n + 1) + 24);
            run(p);
            assertThat(sums(sum)).containsExactly(n * (n + 1L) / 2 + 7, n + 1L);
            assertThat(writer.pending()).isZero();
        }
    }

    @Test
    void aFullRingRefusesUntilTheProgramDrainsAndAWaitingWriterWakesUp() throws Exception {
        try (KernelMap input = KernelMap.create(MapSpec.of("input", MapType.USER_RINGBUF, 0, 0, 4096));
                KernelMap sum = KernelMap.create(MapSpec.of("sum", MapType.ARRAY, 4, 16, 1));
                Program p = Program.load(drainProgram(), Map.of("input", input, "sum", sum));
                UserRingBufferWriter writer = UserRingBufferWriter.open(input)) {
            int k = 0;
            while (writer.offer(u64(1))) {
                k++;
            }
            assertThat(k).isEqualTo(4096 / 16);
            assertThat(writer.offer(u64(1), Duration.ofMillis(50))).isFalse();
            CompletableFuture<Boolean> waiting = CompletableFuture.supplyAsync(
                    () -> writer.offer(u64(5), Duration.ofSeconds(10)));
            Thread.sleep(100);
            assertThat(waiting).isNotDone();
            run(p);
            assertThat(waiting.get(5, TimeUnit.SECONDS)).isTrue();
            run(p);
            assertThat(sums(sum)).containsExactly(k + 5L, k + 1L);
        }
    }

    @Test
    void closeWakesAWaitingWriterAndLaterUseThrows() throws Exception {
        try (KernelMap input = KernelMap.create(MapSpec.of("input", MapType.USER_RINGBUF, 0, 0, 4096))) {
            UserRingBufferWriter writer = UserRingBufferWriter.open(input);
            try {
                assertThatThrownBy(() -> writer.tryReserve(4096)).isInstanceOf(IllegalArgumentException.class);
                while (writer.offer(u64(1))) {
                    // fill
                }
                CompletableFuture<Boolean> waiting = CompletableFuture.supplyAsync(
                        () -> writer.offer(u64(5), Duration.ofSeconds(-1)));
                Thread.sleep(100);
                assertThat(waiting).isNotDone();
                writer.close();
                assertThatThrownBy(() -> waiting.get(2, TimeUnit.SECONDS))
                        .hasCauseInstanceOf(ObjectClosedException.class);
            } finally {
                writer.close();
            }
            assertThatThrownBy(() -> writer.offer(u64(1))).isInstanceOf(ObjectClosedException.class);
        }
    }
}
