package io.jbpf.core.vm;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.jbpf.core.map.MapSpec;
import io.jbpf.core.map.MapType;
import io.jbpf.core.map.MemoryMap;
import java.io.ByteArrayOutputStream;
import java.util.HexFormat;
import java.util.List;

/**
 * A Jazzer fuzz target for the VM: a fuzzed program (instructions of every class with fuzzed
 * registers, offsets and immediates, helper and local calls, references to an array and a hash
 * map, after a prologue that reads the first two words of the context into r2 and r3) runs on the
 * interpreter and on the JIT over a fuzzed XDP packet, raw memory or TC socket buffer (at least
 * an Ethernet header long), and the two must agree on r0, the memory, the instruction count and
 * the maps, or on the fault (type, index, message). Any other exception fails the target. Without JAZZER_FUZZ it runs the inputs kept beside it
 * (src/test/resources/.../VmFuzzTestInputs); with JAZZER_FUZZ=1 ({@code scripts/fuzz.sh}) it fuzzes.
 */
class VmFuzzTest {
    /** Opcodes the generator draws from: every ALU, jump, load, store and atomic form. */
    private static final int[] OPS = opcodes();
    private static final int[] HELPERS = {1, 5, 7, 8, 44, 65, 0x7fff};

    private static final Vm INTERP = Vm.builder().engine(Engine.INTERPRETER).budget(2_000).clock(() -> 7).seed(1).build();
    private static final Vm JIT = Vm.builder().engine(Engine.JIT).budget(2_000).clock(() -> 7).seed(1).build();

    private static int[] opcodes() {
        java.util.List<Integer> ops = new java.util.ArrayList<>();
        for (int code = 0x00; code <= 0xd0; code += 0x10) {
            for (int cls : new int[] {0x04, 0x07}) {
                ops.add(code | cls);
                ops.add(code | cls | 0x08);
            }
        }
        for (int code : new int[] {0x00, 0x10, 0x20, 0x30, 0x40, 0x50, 0x60, 0x70, 0xa0, 0xb0, 0xc0, 0xd0}) {
            for (int cls : new int[] {0x05, 0x06}) {
                ops.add(code | cls);
                ops.add(code | cls | 0x08);
            }
        }
        for (int size : new int[] {0x00, 0x08, 0x10, 0x18}) {
            ops.add(0x61 | size); // ldx
            ops.add(0x62 | size); // st
            ops.add(0x63 | size); // stx
            ops.add(0x81 | size); // ldsx (not for 8 bytes, refused the same way on both)
            ops.add(0xc3 | size); // atomic
        }
        ops.add(0x85); // call
        ops.add(0x95); // exit
        ops.add(0x18); // lddw
        return ops.stream().mapToInt(Integer::intValue).toArray();
    }

    @FuzzTest(maxDuration = "20s")
    void interpreterAndJitAgree(FuzzedDataProvider in) {
        ByteArrayOutputStream prog = new ByteArrayOutputStream();
        JitDifferentialTest.emit(prog, 0xbf, 6, 1, 0, 0); // r6 = r1
        JitDifferentialTest.emit(prog, 0x61, 2, 1, 0, 0); // r2 = data
        JitDifferentialTest.emit(prog, 0x61, 3, 1, 4, 0); // r3 = data_end
        int n = in.consumeInt(1, 40);
        for (int i = 0; i < n; i++) {
            int op = OPS[in.consumeInt(0, OPS.length - 1)];
            int dst = in.consumeInt(0, 10);
            int src = in.consumeInt(0, 10);
            int off = in.consumeInt(-8, 64);
            int imm = in.consumeBoolean() ? in.consumeInt(-16, 64) : in.consumeInt();
            if ((op & 7) == 5 || (op & 7) == 6) {
                off = in.consumeInt(-4, n - i); // jumps land in or near the program
            }
            if (op == 0x85) {
                // a helper, or a local call to anywhere near
                src = in.consumeInt(0, 3) == 0 ? 1 : 0;
                imm = src == 1 ? in.consumeInt(-4, n - i) : HELPERS[in.consumeInt(0, HELPERS.length - 1)];
            }
            if (op == 0x18) {
                // a constant, or one of the two maps
                src = in.consumeInt(0, 2) == 0 ? 1 : 0;
                if (src == 1) {
                    imm = in.consumeInt(0, 1);
                }
            }
            if ((op & 0xc7) == 0xc3) {
                imm = new int[] {0x00, 0x01, 0x40, 0x41, 0x50, 0x51, 0xa0, 0xa1, 0xe1, 0xf1, 0x100, 0x110}[in.consumeInt(0, 11)];
            }
            JitDifferentialTest.emit(prog, op, dst, src, off, imm);
            if (op == 0x18) {
                JitDifferentialTest.emit(prog, 0, 0, 0, 0, in.consumeInt());
            }
        }
        JitDifferentialTest.emit(prog, 0x95, 0, 0, 0, 0);
        int context = in.consumeInt(0, 2);
        byte[] packet = in.consumeRemainingAsBytes();
        byte[] code = prog.toByteArray();
        assertThat(outcome(JIT, code, packet, context)).as("program %s, context %d over %s",
                HexFormat.of().formatHex(code), context, HexFormat.of().formatHex(packet))
                .isEqualTo(outcome(INTERP, code, packet, context));
    }

    /**
     * The run's outcome over an XDP packet (context 0), raw memory (1) or a TC socket buffer (2), with
     * fresh maps: an array (4-byte keys) and a hash (8-byte keys), both of 8-byte values.
     */
    private static Object outcome(Vm vm, byte[] code, byte[] packet, int context) {
        MemoryMap array = MemoryMap.create(MapSpec.of("array", MapType.ARRAY, 4, 8, 4));
        MemoryMap hash = MemoryMap.create(MapSpec.of("hash", MapType.HASH, 8, 8, 4));
        try {
            VmProgram p = vm.load("fuzz", code, List.of(array, hash));
            RunResult r = p.run(context == 0 ? XdpContext.of(packet)
                    : context == 1 ? new MemoryContext(packet)
                    : SkbContext.tc(java.util.Arrays.copyOf(packet, Math.max(packet.length, 14))));
            return List.of(r.returnValue(), HexFormat.of().formatHex(r.data()), r.instructions(), dump(array), dump(hash));
        } catch (VmException e) {
            return e.getClass().getSimpleName() + " at " + e.insnIndex() + ": " + e.getMessage();
        }
    }

    /** The map's entries, sorted. */
    private static String dump(MemoryMap m) {
        java.util.TreeSet<String> entries = new java.util.TreeSet<>();
        byte[] key = null;
        byte[] next = new byte[m.spec().keySize()];
        byte[] value = new byte[m.valueBufferSize()];
        while (m.nextKey(key, next)) {
            key = next.clone();
            if (m.lookup(key, value)) {
                entries.add(HexFormat.of().formatHex(key) + "=" + HexFormat.of().formatHex(value));
            }
        }
        return String.join(" ", entries);
    }
}
