package io.jbpf.netpolicy.datapath;

import static io.jbpf.core.insn.Reg.R0;
import static io.jbpf.core.insn.Reg.R1;
import static io.jbpf.core.insn.Reg.R2;

import io.jbpf.core.asm.Assembler;
import io.jbpf.core.insn.Helper;
import io.jbpf.core.insn.Reg;
import io.jbpf.core.insn.Size;

/**
 * Emits the datapath's policy step: given a {@link PolicyMap} key on the stack, fully specified
 * ({@link PolicyMap#FULL_PREFIX}) for the remote identity, looks it up, then looks up the same key
 * for identity 0, and leaves the larger verdict code of the two in a register: 2 deny, 1 allow,
 * 0 no entry (which the caller treats as a deny). Two lookups where Cilium's older datapath made
 * up to four: the port blocks and protocol wildcards are the trie's prefixes.
 */
public final class PolicyLookup {
    private PolicyLookup() {}

    /**
     * Appends the step to {@code a}.
     *
     * @param a         the program being assembled
     * @param mapName   the policy map's name in the program
     * @param keyOffset the key's offset from R10 (negative, 8-byte aligned, 16 bytes)
     * @param result    where the verdict code goes: one of R6–R9 (R0–R5 are clobbered)
     * @param labels    a prefix that makes this step's labels unique in the program
     * @return {@code a}
     */
    public static Assembler emit(Assembler a, String mapName, int keyOffset, Reg result, String labels) {
        if (result.ordinal() < Reg.R6.ordinal() || result == Reg.R10) {
            throw new IllegalArgumentException("the result must be in R6-R9 (helper calls clobber R0-R5), not " + result);
        }
        if (keyOffset > -PolicyMap.KEY_SIZE || keyOffset % 8 != 0 || keyOffset < -512) {
            throw new IllegalArgumentException("key offset " + keyOffset + " must be a multiple of 8 in -512..-16");
        }
        String noOwn = labels + "_no_own";
        String done = labels + "_done";
        a.ldMap(R1, mapName).mov(R2, Reg.R10).add(R2, keyOffset).call(Helper.MAP_LOOKUP_ELEM)
                .mov(result, 0)
                .jeq(R0, 0, noOwn)
                .load(Size.B, result, R0, 0)
                .jeq(result, PolicyMap.DENY, done)
                .label(noOwn)
                .store(Size.W, Reg.R10, keyOffset + PolicyMap.IDENTITY, 0)
                .ldMap(R1, mapName).mov(R2, Reg.R10).add(R2, keyOffset).call(Helper.MAP_LOOKUP_ELEM)
                .jeq(R0, 0, done)
                .load(Size.B, R1, R0, 0)
                .jle(R1, result, done)
                .mov(result, R1)
                .label(done);
        return a;
    }
}
