package io.jbpf.core.vm.internal.jit;

import static org.assertj.core.api.Assertions.assertThat;

import io.jbpf.core.asm.AsmParser;
import io.jbpf.core.insn.InsnCodec;
import io.jbpf.core.vm.internal.Code;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

/** Which accesses a bounds check vouches for, as the JIT sees it (whether the code is right is JitTest's). */
class RangeAnalysisTest {

    private static RangeAnalysis analyse(String... lines) {
        byte[] bytes = InsnCodec.encode(AsmParser.parse(String.join("\n", lines)), ByteOrder.LITTLE_ENDIAN);
        return RangeAnalysis.of(Code.decode(bytes), 0);
    }

    @Test
    void aBoundsCheckThroughAnAliasCoversItsRootOnTheInBoundsEdge() {
        RangeAnalysis a = analyse(
                "r2 = *(u32 *)(r1 + 0)", // 0
                "r3 = *(u32 *)(r1 + 4)", // 1
                "r4 = r2", // 2
                "r4 += 54", // 3
                "if r4 > r3 goto pass", // 4
                "r5 = *(u16 *)(r2 + 12)", // 5
                "r6 = r2", // 6
                "r6 += 10", // 7
                "r0 = 1", // 8
                "exit", // 9
                "pass:",
                "r0 = 2", // 10
                "exit");
        assertThat(a.root(3, 4)).isEqualTo(2);
        assertThat(a.offset(4, 4)).isEqualTo(54);
        assertThat(a.fallCheck(4)).isEqualTo(2 << 16 | 54);
        assertThat(a.takenCheck(4)).isEqualTo(-1);
        assertThat(a.checked(5, 2)).isEqualTo(54);
        assertThat(a.checked(10, 2)).as("the out-of-bounds edge").isZero();
        assertThat(a.root(8, 6)).isEqualTo(2);
        assertThat(a.offset(8, 6)).isEqualTo(10);
        // r1 and what is read through it rest on r1's entry value
        assertThat(a.root(0, 1)).isEqualTo(RangeAnalysis.ENTRY_R1);
        assertThat(a.root(5, 2)).isEqualTo(-1);
    }

    @Test
    void theTakenEdgeChecksWhenTheJumpGoesInBounds() {
        RangeAnalysis a = analyse(
                "r2 = *(u32 *)(r1 + 0)", // 0
                "r3 = *(u32 *)(r1 + 4)", // 1
                "r4 = r2", // 2
                "r4 += 8", // 3
                "if r3 >= r4 goto ok", // 4
                "exit", // 5
                "ok:",
                "r0 = *(u8 *)(r2 + 0)", // 6
                "exit");
        assertThat(a.takenCheck(4)).isEqualTo(2 << 16 | 8);
        assertThat(a.fallCheck(4)).isEqualTo(-1);
        assertThat(a.checked(6, 2)).isEqualTo(8);
        assertThat(a.checked(5, 2)).isZero();
    }

    @Test
    void writesCallsAndJoinsEndWhatACheckCovered() {
        RangeAnalysis a = analyse(
                "r2 = *(u32 *)(r1 + 0)", // 0
                "r3 = *(u32 *)(r1 + 4)", // 1
                "r4 = r2", // 2
                "r4 += 20", // 3
                "if r4 > r3 goto out", // 4
                "if r0 == 0 goto join", // 5
                "r4 = r2", // 6
                "r4 += 40", // 7
                "if r4 > r3 goto out", // 8
                "r0 = *(u8 *)(r2 + 30)", // 9
                "join:",
                "r0 = *(u8 *)(r2 + 10)", // 10
                "r6 = r2", // 11
                "call 5", // 12
                "r0 = *(u8 *)(r6 + 0)", // 13
                "r2 += 1", // 14
                "r0 = *(u8 *)(r2 + 0)", // 15
                "out:",
                "exit"); // 16
        assertThat(a.checked(9, 2)).isEqualTo(40);
        assertThat(a.checked(10, 2)).as("the shorter of the two paths' checks").isEqualTo(20);
        assertThat(a.root(12, 6)).isEqualTo(2);
        assertThat(a.root(13, 6)).as("the call clobbers r2, so r6 stands for itself").isEqualTo(-1);
        assertThat(a.checked(13, 6)).as("and no check survives a call").isZero();
        assertThat(a.checked(13, 2)).isZero();
        assertThat(a.checked(15, 2)).as("r2 was written").isZero();
    }

    @Test
    void aLoopKeepsOnlyWhatHoldsOnEveryIteration() {
        RangeAnalysis a = analyse(
                "r2 = *(u32 *)(r1 + 0)", // 0
                "r3 = *(u32 *)(r1 + 4)", // 1
                "r8 = r2", // 2
                "loop:",
                "r9 = r8", // 3
                "r9 += 2", // 4
                "if r9 > r3 goto out", // 5
                "r7 = *(u16 *)(r8 + 0)", // 6
                "r8 += 2", // 7
                "goto loop", // 8
                "out:",
                "exit");
        assertThat(a.checked(6, 8)).isEqualTo(2);
        assertThat(a.checked(3, 8)).isZero();
        assertThat(a.root(3, 8)).as("r8 moves on each iteration").isEqualTo(-1);
        assertThat(a.fallCheck(5)).isEqualTo(8 << 16 | 2);
    }
}
