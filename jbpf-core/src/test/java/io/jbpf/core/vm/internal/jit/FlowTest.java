package io.jbpf.core.vm.internal.jit;

import static org.assertj.core.api.Assertions.assertThat;

import io.jbpf.core.asm.AsmParser;
import io.jbpf.core.insn.InsnCodec;
import io.jbpf.core.vm.internal.Code;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The shape of a program as the JIT sees it: blocks, function bodies, callees, registers written, liveness after calls. */
class FlowTest {

    private static Flow flow(String... lines) {
        byte[] bytes = InsnCodec.encode(AsmParser.parse(String.join("\n", lines)), ByteOrder.LITTLE_ENDIAN);
        return new Flow(Code.decode(bytes));
    }

    @Test
    void aFunctionsBodyFollowsJumpsButNotCallsAndNamesItsCallees() {
        Flow f = flow(
                "r1 = 1", // 0
                "if r1 == 0 goto skip", // 1
                "call sub", // 2
                "skip:",
                "r2 = func[cb] ll", // 3, 4
                "exit", // 5
                "sub:",
                "r0 = 2", // 6
                "exit", // 7
                "cb:",
                "r0 = 0", // 8
                "exit"); // 9
        List<Integer> callees = new ArrayList<>();
        BitSet body = f.reach(0, callees);
        assertThat(body.stream().toArray()).as("slot 4, the second half of a 64-bit load, is no instruction")
                .containsExactly(0, 1, 2, 3, 5);
        assertThat(callees).containsExactlyInAnyOrder(6, 8);

        List<Integer> none = new ArrayList<>();
        assertThat(f.reach(6, none).stream().toArray()).containsExactly(6, 7);
        assertThat(none).isEmpty();
    }

    @Test
    void blocksEndAtJumpsExitsCallsAndLegacyPacketLoadsButNotAtWideLoads() {
        Flow f = flow(
                "r0 = 0x100000000 ll", // 0, 1
                "r0 = *(u8 *)skb[3]", // 2
                "if r0 > 3 goto out", // 3
                "call 5", // 4
                "r1 += 1", // 5
                "out:",
                "exit"); // 6
        assertThat(f.endsBlock(0)).as("a 64-bit immediate load").isFalse();
        assertThat(f.endsBlock(2)).as("a legacy packet load").isTrue();
        assertThat(f.endsBlock(3)).isTrue();
        assertThat(f.endsBlock(4)).isTrue();
        assertThat(f.endsBlock(5)).isFalse();
        assertThat(f.endsBlock(6)).isTrue();
        assertThat(Flow.isJump(0x05)).isTrue();
        assertThat(Flow.isJump(0x85)).as("a call").isFalse();
        assertThat(Flow.isJump(0x95)).as("exit").isFalse();
    }

    @Test
    void definitionsNameWhatEachInstructionWrites() {
        Flow f = flow(
                "r3 = r4", // 0
                "*(u32 *)(r10 - 4) = r3", // 1
                "r5 = *(u32 *)(r10 - 4)", // 2
                "lock *(u64 *)(r10 - 8) += r1", // 3
                "r2 = atomic_fetch_add((u64 *)(r10 - 8), r2)", // 4
                "call 5", // 5
                "r0 = *(u8 *)skb[1]", // 6
                "exit"); // 7
        assertThat(f.defs(0)).isEqualTo(1 << 3);
        assertThat(f.defs(1)).as("a store writes no register").isZero();
        assertThat(f.defs(2)).isEqualTo(1 << 5);
        assertThat(f.defs(3)).as("an atomic add without fetch").isZero();
        assertThat(f.defs(4)).as("a fetching atomic writes its source").isEqualTo(1 << 2);
        assertThat(f.defs(5)).as("a helper call writes r0").isEqualTo(1);
        assertThat(f.defs(6)).isEqualTo(1);
        assertThat(f.defs(7)).isZero();
    }

    @Test
    void aCallerThatReadsAnArgumentRegisterAfterALocalCallSeesTheCalleesValue() {
        Flow verified = flow("r1 = 1", "call f", "r0 += 1", "exit", "f:", "r1 = 5", "r0 = 2", "exit");
        assertThat(verified.clobbersVisible(verified.reach(0, new ArrayList<>()))).isFalse();

        Flow reads = flow("r1 = 1", "call f", "r0 = r1", "exit", "f:", "r1 = 5", "r0 = 2", "exit");
        assertThat(reads.clobbersVisible(reads.reach(0, new ArrayList<>()))).isTrue();

        Flow writesFirst = flow("r1 = 1", "call f", "r1 = 3", "r0 = r1", "exit", "f:", "r0 = 2", "exit");
        assertThat(writesFirst.clobbersVisible(writesFirst.reach(0, new ArrayList<>()))).isFalse();
    }
}
