package io.jbpf.core.vm;

import static org.assertj.core.api.Assertions.assertThat;

import io.jbpf.core.asm.AsmParser;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Seeded random XDP programs shaped like packet parsers, on both engines over packets of several
 * lengths: the verdict, the packet, the instruction count, or the fault (type, index, message) must
 * be the same. They copy and offset the data pointer, compare the copies with data_end (or with
 * anything else) in every order and direction, read and write through the copies inside and past
 * what was compared, compare with a data_end moved past the packet's end, move the packet with {@code bpf_xdp_adjust_head} in between, use the stack in
 * and beyond the frame, and jump forward and backward (a small budget ends the endless loops). This
 * is what the JIT's checked ranges (RangeAnalysis) must get right: a check vouches only for what
 * it checked, and only until the pointer or the packet moves.
 */
class JitPacketDifferentialTest {
    private static final int PROGRAMS = 1500;
    private static final int[] LENGTHS = {0, 13, 34, 54, 70, 100};
    private static final int[] POINTERS = {2, 4, 5, 7, 8};
    private static final String[] COMPARE = {">", ">=", "<", "<=", "s>", "s>=", "s<", "s<=", "==", "!="};
    private static final String[] SIZES = {"u8", "u16", "u32", "u64"};

    private final Vm interp = Vm.builder().engine(Engine.INTERPRETER).budget(5_000).build();
    private final Vm jit = Vm.builder().engine(Engine.JIT).budget(5_000).build();

    @Test
    void randomPacketParsersGiveTheSameResultsOnBothEngines() {
        Random rnd = new Random(20261127);
        int faults = 0;
        int completed = 0;
        for (int i = 0; i < PROGRAMS; i++) {
            long seed = rnd.nextLong();
            String prog = generate(new Random(seed));
            VmProgram a = interp.load("p", AsmParser.parse(prog), Map.of());
            VmProgram b = jit.load("p", AsmParser.parse(prog), Map.of());
            for (int len : LENGTHS) {
                byte[] packet = new byte[len];
                new Random(seed ^ len).nextBytes(packet);
                Object x = outcome(a, packet);
                assertThat(outcome(b, packet)).as("program %d (seed %d), packet of %d bytes:%n%s", i, seed, len, prog)
                        .isEqualTo(x);
                if (x instanceof String) {
                    faults++;
                } else {
                    completed++;
                }
            }
        }
        // the generator must exercise both outcomes
        assertThat(completed).isGreaterThan(PROGRAMS);
        assertThat(faults).isGreaterThan(PROGRAMS / 2);
    }

    private static Object outcome(VmProgram p, byte[] packet) {
        try {
            RunResult r = p.run(XdpContext.of(packet));
            return List.of(r.returnValue(), HexFormat.of().formatHex(r.data()), r.instructions());
        } catch (VmException e) {
            return e.getClass().getSimpleName() + " at " + e.insnIndex() + ": " + e.getMessage();
        }
    }

    /** The address operand {@code (rP + off)} as the assembler writes it. */
    private static String at(int p, int off) {
        return "(r" + p + (off < 0 ? " - " + -off : " + " + off) + ")";
    }

    private static String generate(Random rnd) {
        List<String> out = new ArrayList<>();
        out.add("r6 = r1");
        out.add("r2 = *(u32 *)(r6 + 0)");
        out.add("r3 = *(u32 *)(r6 + 4)");
        out.add("r0 = 0");
        for (int p : POINTERS) {
            if (p != 2) {
                out.add("r" + p + " = r2");
                out.add("r" + p + " += " + 2 * rnd.nextInt(10));
            }
        }
        int statements = 8 + rnd.nextInt(25);
        int labels = 0;
        List<Integer> pending = new ArrayList<>();
        for (int s = 0; s < statements; s++) {
            // place the labels jumps are waiting for
            while (!pending.isEmpty() && rnd.nextInt(3) == 0) {
                out.add("l" + pending.remove(0) + ":");
            }
            int p = POINTERS[rnd.nextInt(POINTERS.length)];
            int q = POINTERS[rnd.nextInt(POINTERS.length)];
            switch (rnd.nextInt(13)) {
                case 0:
                case 1: { // a bounds check: a copy of a pointer plus n compared with data_end, as parsers do
                    int n = rnd.nextInt(60) - 4;
                    int c = q == p ? 9 : q;
                    out.add("r" + c + " = r" + p);
                    out.add("r" + c + " += " + n);
                    switch (rnd.nextInt(3)) {
                        case 0:
                            out.add("if r" + c + " > r3 goto out");
                            break;
                        case 1:
                            out.add("if r3 < r" + c + " goto out");
                            break;
                        default: {
                            int label = labels++;
                            out.add("if r3 >= r" + c + " goto l" + label);
                            out.add("goto out");
                            out.add("l" + label + ":");
                            break;
                        }
                    }
                    break;
                }
                case 11: { // the same in any order and direction, with anything
                    int n = rnd.nextInt(60) - 4;
                    int c = q == p ? 9 : q;
                    out.add("r" + c + " = r" + p);
                    out.add("r" + c + " += " + n);
                    String cmp = COMPARE[rnd.nextInt(COMPARE.length)];
                    String other = rnd.nextInt(4) == 0 ? "r" + POINTERS[rnd.nextInt(POINTERS.length)] : "r3";
                    int label = labels++;
                    out.add(rnd.nextBoolean() ? "if r" + c + " " + cmp + " " + other + " goto l" + label
                            : "if " + other + " " + cmp + " r" + c + " goto l" + label);
                    if (rnd.nextInt(3) == 0) {
                        out.add("exit");
                        out.add("l" + label + ":");
                    } else {
                        pending.add(label);
                    }
                    break;
                }
                case 2:
                    out.add("r" + p + " = r" + q);
                    break;
                case 3:
                    // a pointer moves; or data_end does, so that a bounds check against it proves nothing
                    out.add(rnd.nextInt(3) == 0 ? "r3 += " + rnd.nextInt(40) : "r" + p + " += " + (rnd.nextInt(24) - 4));
                    break;
                case 4:
                case 5:
                case 6: { // a load through a pointer, folded into r0
                    String size = SIZES[rnd.nextInt(SIZES.length)];
                    out.add("r9 = *(" + size + " *)" + at(p, rnd.nextInt(8) == 0 ? rnd.nextInt(48) - 4 : rnd.nextInt(24)));
                    out.add("r0 += r9");
                    break;
                }
                case 7: { // a store through a pointer
                    String size = SIZES[rnd.nextInt(SIZES.length)];
                    out.add("*(" + size + " *)" + at(p, rnd.nextInt(48) - 4) + " = "
                            + (rnd.nextBoolean() ? "r0" : String.valueOf(rnd.nextInt(256))));
                    break;
                }
                case 8: { // the stack, mostly inside the frame
                    int off = rnd.nextInt(10) == 0 ? 513 + rnd.nextInt(16) : 8 + 8 * rnd.nextInt(63);
                    out.add("*(u64 *)(r10 - " + off + ") = r0");
                    out.add("r9 = *(u32 *)(r10 - " + (off - rnd.nextInt(5)) + ")");
                    out.add("r0 ^= r9");
                    break;
                }
                case 9: // move the packet's head; r1–r5 are gone after the call, data is read again
                    out.add("r1 = r6");
                    out.add("r2 = " + (rnd.nextInt(13) - 4));
                    out.add("call bpf_xdp_adjust_head");
                    if (rnd.nextBoolean()) {
                        // through a pointer the call did not clobber, which may now lie before the packet
                        out.add("r9 = *(u8 *)" + at(rnd.nextBoolean() ? 7 : 8, rnd.nextInt(8)));
                        out.add("r0 += r9");
                    }
                    out.add("r2 = *(u32 *)(r6 + 0)");
                    out.add("r3 = *(u32 *)(r6 + 4)");
                    break;
                case 10: // a jump forward, or (rarely) back to a label already placed
                    if (rnd.nextInt(4) == 0 && labels > 0) {
                        out.add("if r0 & " + (1 + rnd.nextInt(7)) + " goto l" + rnd.nextInt(labels));
                    } else {
                        int label = labels++;
                        out.add("if r" + p + " > r" + q + " goto l" + label);
                        pending.add(label);
                    }
                    break;
                case 12: // the data pointers again, from the context
                default:
                    out.add("r" + p + " = *(u32 *)(r6 + " + (rnd.nextBoolean() ? 0 : 4) + ")");
                    break;
            }
        }
        for (int label : pending) {
            out.add("l" + label + ":");
        }
        // a label of a backward jump may not have been placed yet: place every one ever named
        for (int label = 0; label < labels; label++) {
            if (!out.contains("l" + label + ":")) {
                out.add("l" + label + ":");
            }
        }
        out.add("out:");
        out.add("r0 &= 3");
        out.add("exit");
        return String.join("\n", out);
    }
}
