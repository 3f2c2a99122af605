package io.jbpf.core.dsl.cbpf;

import static org.assertj.core.api.Assertions.assertThat;

import io.jbpf.core.testing.KernelTest;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.LongStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Random valid classic programs (every instruction kind, forward jumps, scratch memory, loads in
 * and past the packet), converted both ways: the kernel (BPF_PROG_TEST_RUN), the VM and the
 * classic interpreter agree on every frame.
 */
@KernelTest
class CbpfRandomProgramsKernelTest {
    static final List<byte[]> FRAMES = Frames.corpus(0x5eed, 16);

    static LongStream seeds() {
        return LongStream.range(1, 201);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void convertedProgramsAgree(long seed) {
        CbpfProgram p = random(new Random(seed));
        List<String> wrong = CbpfConverterKernelTest.disagreements(p, FRAMES, null, new int[1]);
        assertThat(wrong).as("seed %d:\n%s", seed, p).isEmpty();
    }

    static CbpfProgram random(Random r) {
        while (true) {
            int n = 6 + r.nextInt(30);
            List<CbpfInsn> insns = new ArrayList<>();
            for (int pc = 0; pc < n - 1; pc++) {
                insns.add(insn(r, pc, n));
            }
            insns.add(r.nextBoolean() ? CbpfInsn.retA() : CbpfInsn.ret(r.nextInt(3)));
            CbpfProgram p = CbpfProgram.unchecked(insns);
            if (p.isValid()) {
                return p;
            }
        }
    }

    static CbpfInsn insn(Random r, int pc, int n) {
        CbpfInsn.Size[] sizes = CbpfInsn.Size.values();
        CbpfInsn.AluOp[] ops = CbpfInsn.AluOp.values();
        CbpfInsn.JmpOp[] jops = {CbpfInsn.JmpOp.JEQ, CbpfInsn.JmpOp.JGT, CbpfInsn.JmpOp.JGE, CbpfInsn.JmpOp.JSET};
        int room = n - pc - 2; // how far a jump may go
        switch (r.nextInt(16)) {
            case 0:
            case 1:
                return CbpfInsn.ldAbs(sizes[r.nextInt(3)], r.nextInt(10) == 0 ? 60000 + r.nextInt(10000) : r.nextInt(80));
            case 2:
                return CbpfInsn.ldInd(sizes[r.nextInt(3)], r.nextInt(10) == 0 ? -r.nextInt(8) : r.nextInt(50));
            case 3:
                return CbpfInsn.ldxMsh(r.nextInt(40));
            case 4:
                return r.nextBoolean() ? CbpfInsn.ldImm(r.nextInt(4) == 0 ? r.nextInt() : r.nextInt(300))
                        : CbpfInsn.ldxImm(r.nextInt(4) == 0 ? r.nextInt() : r.nextInt(64));
            case 5:
                return r.nextBoolean() ? CbpfInsn.ldLen() : CbpfInsn.ldxLen();
            case 6:
                return r.nextBoolean() ? CbpfInsn.st(r.nextInt(4)) : CbpfInsn.stx(r.nextInt(4));
            case 7:
                return r.nextBoolean() ? CbpfInsn.ldMem(r.nextInt(4)) : CbpfInsn.ldxMem(r.nextInt(4));
            case 8:
            case 9: {
                CbpfInsn.AluOp op = ops[r.nextInt(ops.length)];
                if (op == CbpfInsn.AluOp.NEG) {
                    return CbpfInsn.neg();
                }
                if (r.nextBoolean()) {
                    return CbpfInsn.aluX(op);
                }
                int k;
                switch (op) {
                    case LSH:
                    case RSH:
                        k = r.nextInt(32);
                        break;
                    case DIV:
                    case MOD:
                        k = r.nextInt(4) == 0 ? r.nextInt() | 1 : 1 + r.nextInt(10);
                        break;
                    default:
                        k = r.nextInt(4) == 0 ? r.nextInt() : r.nextInt(256);
                }
                return CbpfInsn.alu(op, k);
            }
            case 10:
                return r.nextBoolean() ? CbpfInsn.tax() : CbpfInsn.txa();
            case 11:
            case 12:
            case 13: {
                if (room < 0) {
                    return CbpfInsn.tax();
                }
                int jt = r.nextInt(Math.min(room, 8) + 1);
                int jf = r.nextInt(Math.min(room, 8) + 1);
                CbpfInsn.JmpOp op = jops[r.nextInt(jops.length)];
                return r.nextInt(3) == 0 ? CbpfInsn.jmpX(op, jt, jf)
                        : CbpfInsn.jmp(op, r.nextInt(3) == 0 ? r.nextInt() : r.nextInt(256), jt, jf);
            }
            case 14:
                return room < 0 ? CbpfInsn.txa() : CbpfInsn.ja(r.nextInt(Math.min(room, 6) + 1));
            default:
                return r.nextBoolean() ? CbpfInsn.ret(r.nextInt(2) * 65535) : CbpfInsn.retA();
        }
    }
}
