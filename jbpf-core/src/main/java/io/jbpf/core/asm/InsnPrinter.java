package io.jbpf.core.asm;

import io.jbpf.core.insn.Alu;
import io.jbpf.core.insn.Atomic;
import io.jbpf.core.insn.AtomicOp;
import io.jbpf.core.insn.ByteSwap;
import io.jbpf.core.insn.CallHelper;
import io.jbpf.core.insn.CallKfunc;
import io.jbpf.core.insn.CallLocal;
import io.jbpf.core.insn.CallReg;
import io.jbpf.core.insn.Exit;
import io.jbpf.core.insn.Goto;
import io.jbpf.core.insn.GotoLong;

import io.jbpf.core.insn.Imm;
import io.jbpf.core.insn.InsnVisitor;
import io.jbpf.core.insn.Jump;
import io.jbpf.core.insn.Load;
import io.jbpf.core.insn.LoadAbs;
import io.jbpf.core.insn.LoadImm64;
import io.jbpf.core.insn.LoadInd;
import io.jbpf.core.insn.LoadMapRef;
import io.jbpf.core.insn.LoadPseudo;
import io.jbpf.core.insn.LoadSx;
import io.jbpf.core.insn.MovSx;
import io.jbpf.core.insn.Neg;
import io.jbpf.core.insn.Operand;
import io.jbpf.core.insn.RawInsn;
import io.jbpf.core.insn.Reg;
import io.jbpf.core.insn.Size;
import io.jbpf.core.insn.Store;
import io.jbpf.core.insn.StoreImm;
import io.jbpf.core.insn.Width;

/**
 * Writes one instruction in the text syntax of {@code llvm-objdump -d --mattr=+alu32} (LLVM 19),
 * extended with forms for what LLVM cannot show (pseudo sources, local and kfunc calls, raw words).
 */
final class InsnPrinter implements InsnVisitor<String> {
    private final NumberStyle numbers;
    private final boolean helperNames;

    InsnPrinter(NumberStyle numbers, boolean helperNames) {
        this.numbers = numbers;
        this.helperNames = helperNames;
    }

    static String reg(Width width, Reg r) {
        return (width == Width.W64 ? "r" : "w") + r.number();
    }

    static String r(Reg r) {
        return "r" + r.number();
    }

    /** Register name for a value moved to or from memory: 'w' below 8 bytes, as LLVM's alu32 mode prints. */
    private static String memReg(Size size, Reg r) {
        return (size == Size.DW ? "r" : "w") + r.number();
    }

    private String operand(Width width, Operand op) {
        return op instanceof Reg r ? reg(width, r) : numbers.format(((Imm) op).value());
    }

    private String mem(Reg base, int offset) {
        return r(base) + numbers.spacedOffset(offset);
    }

    @Override
    public String visit(Alu i) {
        return reg(i.width(), i.dst()) + " " + Syntax.ALU.get(i.op()) + " " + operand(i.width(), i.src());
    }

    @Override
    public String visit(Neg i) {
        return reg(i.width(), i.dst()) + " = -" + reg(i.width(), i.dst());
    }

    @Override
    public String visit(MovSx i) {
        return reg(i.width(), i.dst()) + " = (s" + i.fromBits() + ")" + reg(i.width(), i.src());
    }

    @Override
    public String visit(ByteSwap i) {
        return r(i.dst()) + " = " + Syntax.SWAP.get(i.kind()) + i.bits() + " " + r(i.dst());
    }

    @Override
    public String visit(Jump i) {
        return "if " + reg(i.width(), i.dst()) + " " + Syntax.JUMP.get(i.cond()) + " "
                + operand(i.width(), i.src()) + " goto " + numbers.signed(i.offset());
    }

    @Override
    public String visit(Goto i) {
        return "goto " + numbers.signed(i.offset());
    }

    @Override
    public String visit(GotoLong i) {
        return "gotol " + numbers.signed(i.offset());
    }

    @Override
    public String visit(CallHelper i) {
        if (helperNames) {
            return i.helper().map(h -> "call " + h.cName()).orElse("call " + numbers.format(i.helperId()));
        }
        return "call " + numbers.format(i.helperId());
    }

    @Override
    public String visit(CallLocal i) {
        return "call pc" + numbers.signed(i.offset());
    }

    @Override
    public String visit(CallKfunc i) {
        return "call kfunc[" + i.btfId() + (i.btfFdIndex() == 0 ? "" : ", " + i.btfFdIndex()) + "]";
    }

    @Override
    public String visit(CallReg i) {
        return "callx " + r(i.reg());
    }

    @Override
    public String visit(Exit i) {
        return "exit";
    }

    @Override
    public String visit(Load i) {
        return memReg(i.size(), i.dst()) + " = *(" + Syntax.unsigned(i.size()) + " *)(" + mem(i.src(), i.offset()) + ")";
    }

    @Override
    public String visit(LoadSx i) {
        return r(i.dst()) + " = *(" + Syntax.signed(i.size()) + " *)(" + mem(i.src(), i.offset()) + ")";
    }

    @Override
    public String visit(Store i) {
        return "*(" + Syntax.unsigned(i.size()) + " *)(" + mem(i.dst(), i.offset()) + ") = " + memReg(i.size(), i.src());
    }

    @Override
    public String visit(StoreImm i) {
        return "*(" + Syntax.unsigned(i.size()) + " *)(" + mem(i.dst(), i.offset()) + ") = " + numbers.format(i.imm());
    }

    @Override
    public String visit(Atomic i) {
        String size = Syntax.unsigned(i.size());
        String src = memReg(i.size(), i.src());
        AtomicOp op = i.op();
        if (!op.fetches()) {
            return "lock *(" + size + " *)(" + mem(i.dst(), i.offset()) + ") " + Syntax.LOCK.get(op) + " " + src;
        }
        if (op == AtomicOp.XCHG) {
            return src + " = " + Syntax.xchg(i.size()) + "(" + mem(i.dst(), i.offset()) + ", " + src + ")";
        }
        if (op == AtomicOp.CMPXCHG) {
            String r0 = memReg(i.size(), Reg.R0);
            return r0 + " = " + Syntax.cmpxchg(i.size()) + "(" + mem(i.dst(), i.offset()) + ", " + r0 + ", " + src + ")";
        }
        return src + " = " + Syntax.FETCH.get(op) + "((" + size + " *)(" + mem(i.dst(), i.offset()) + "), " + src + ")";
    }

    @Override
    public String visit(LoadAbs i) {
        return "r0 = *(" + Syntax.unsigned(i.size()) + " *)skb[" + numbers.format(i.imm()) + "]";
    }

    @Override
    public String visit(LoadInd i) {
        String index = i.imm() == 0 ? r(i.src()) : r(i.src()) + numbers.spacedOffset(i.imm());
        return "r0 = *(" + Syntax.unsigned(i.size()) + " *)skb[" + index + "]";
    }

    @Override
    public String visit(LoadImm64 i) {
        return r(i.dst()) + " = " + numbers.format(i.value()) + " ll";
    }

    @Override
    public String visit(LoadPseudo i) {
        String target;
        switch (i.source()) {
            case MAP_FD:
                target = "map[fd:" + i.imm() + "]";
                break;
            case MAP_VALUE:
                target = "map_value[fd:" + i.imm() + "]";
                break;
            case MAP_IDX:
                target = "map[idx:" + i.imm() + "]";
                break;
            case MAP_IDX_VALUE:
                target = "map_value[idx:" + i.imm() + "]";
                break;
            case BTF_ID:
                target = "btf_id[" + i.imm() + "]";
                break;
            default:
                target = "func[pc" + numbers.signed(i.imm()) + "]";
                break;
        }
        String next = i.nextImm() == 0 ? "" : numbers.spacedOffset(i.nextImm());
        return r(i.dst()) + " = " + target + next + " ll";
    }

    @Override
    public String visit(LoadMapRef i) {
        String target = (i.value() ? "map_value[" : "map[") + i.mapName() + "]";
        String next = i.offset() == 0 ? "" : numbers.spacedOffset(i.offset());
        return r(i.dst()) + " = " + target + next + " ll";
    }

    @Override
    public String visit(RawInsn i) {
        return String.format(".raw 0x%02x, %d, %d, %s, %s",
                i.opcode(), i.dst(), i.src(), numbers.format(i.offset()), numbers.format(i.imm()));
    }

}
