package io.jbpf.core.dsl.cbpf;

import java.util.List;

/**
 * The text forms of classic BPF that tcpdump prints: {@code -d} (libpcap's {@code bpf_image}),
 * {@code -dd} (C initializers) and {@code -ddd} (decimal numbers).
 */
public final class CbpfText {
    private CbpfText() {
    }

    /** The program as {@code tcpdump -d} prints it, one line per instruction, each ending in a newline. */
    public static String disassemble(CbpfProgram program) {
        StringBuilder sb = new StringBuilder();
        List<CbpfInsn> insns = program.instructions();
        for (int i = 0; i < insns.size(); i++) {
            sb.append(line(insns.get(i), i)).append('\n');
        }
        return sb.toString();
    }

    /** One line of {@code tcpdump -d}: {@code (000) ldh      [12]}. */
    public static String line(CbpfInsn in, int pc) {
        return String.format("(%03d) %s", pc, image(in, pc));
    }

    /** The line without its {@code (NNN) } prefix; jump targets are absolute (relative to {@code pc}). */
    static String image(CbpfInsn in, int pc) {
        String op;
        String operand;
        int k = in.k();
        switch (in.code()) {
            case 0x06:
                op = "ret";
                operand = "#" + k;
                break;
            case 0x16:
                op = "ret";
                operand = "";
                break;
            case 0x20:
            case 0x28:
            case 0x30:
                op = in.code() == 0x20 ? "ld" : in.code() == 0x28 ? "ldh" : "ldb";
                operand = absOperand(k);
                break;
            case 0x80:
                op = "ld";
                operand = "#pktlen";
                break;
            case 0x40:
            case 0x48:
            case 0x50:
                op = in.code() == 0x40 ? "ld" : in.code() == 0x48 ? "ldh" : "ldb";
                operand = "[x + " + k + "]";
                break;
            case 0x00:
                op = "ld";
                operand = "#0x" + Integer.toHexString(k);
                break;
            case 0x01:
                op = "ldx";
                operand = "#0x" + Integer.toHexString(k);
                break;
            case 0xb1:
                op = "ldxb";
                operand = "4*([" + k + "]&0xf)";
                break;
            case 0x60:
                op = "ld";
                operand = "M[" + k + "]";
                break;
            case 0x61:
                op = "ldx";
                operand = "M[" + k + "]";
                break;
            case 0x02:
                op = "st";
                operand = "M[" + k + "]";
                break;
            case 0x03:
                op = "stx";
                operand = "M[" + k + "]";
                break;
            case 0x05:
                op = "ja";
                operand = Integer.toString(pc + 1 + k);
                break;
            case 0x87:
                op = "txa";
                operand = "";
                break;
            case 0x07:
                op = "tax";
                operand = "";
                break;
            default:
                String[] r = aluOrJump(in);
                if (r == null) {
                    op = "unimp";
                    operand = "0x" + Integer.toHexString(in.code());
                } else {
                    op = r[0];
                    operand = r[1];
                }
        }
        // libpcap picks the jump layout from the class and op bits alone, whatever the other bits say
        if ((in.code() & 0x07) == 0x05 && (in.code() & 0xf0) != 0) {
            return String.format("%-8s %-16s jt %d\tjf %d", op, operand, pc + 1 + in.jt(), pc + 1 + in.jf());
        }
        return String.format("%-8s %s", op, operand);
    }

    private static String[] aluOrJump(CbpfInsn in) {
        int code = in.code();
        if ((code & 0xff00) != 0) {
            return null;
        }
        boolean x = (code & 0x08) != 0;
        String hex = "#0x" + Integer.toHexString(in.k());
        String dec = "#" + in.k();
        if (in.opClass() == CbpfInsn.OpClass.ALU) {
            CbpfInsn.AluOp op = in.aluOp();
            if (op == null || (code & 0x07) != 0x04) {
                return null;
            }
            if (op == CbpfInsn.AluOp.NEG) {
                return code == 0x84 ? new String[] {"neg", ""} : null;
            }
            String operand;
            switch (op) {
                case AND:
                case OR:
                case XOR:
                    operand = x ? "x" : hex;
                    break;
                default:
                    operand = x ? "x" : dec;
            }
            return new String[] {op.mnemonic(), operand};
        }
        if (in.opClass() == CbpfInsn.OpClass.JMP) {
            CbpfInsn.JmpOp op = in.jmpOp();
            if (op == null || op == CbpfInsn.JmpOp.JA) {
                return null;
            }
            return new String[] {op.mnemonic(), x ? "x" : hex};
        }
        return null;
    }

    private static String absOperand(int k) {
        if (k >= CbpfInsn.SKF_AD_OFF && k < CbpfInsn.SKF_AD_OFF + 64) {
            CbpfInsn.Ancillary a = CbpfInsn.Ancillary.ofK(k);
            if (a != null) {
                return "[" + a.label() + "]";
            }
        }
        return "[" + k + "]";
    }
}
