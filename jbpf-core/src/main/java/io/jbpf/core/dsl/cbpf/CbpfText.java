package io.jbpf.core.dsl.cbpf;

import java.util.ArrayList;
import java.util.List;

/**
 * The text forms of classic BPF that tcpdump prints, both ways:
 * <ul>
 *   <li>{@code tcpdump -d}: {@link #disassemble} prints exactly libpcap's {@code bpf_image} lines
 *       ({@code (000) ldh      [12]}, {@code (001) jeq      #0x800           jt 2\tjf 5}), and
 *       {@link #assemble} reads them back;</li>
 *   <li>{@code tcpdump -dd}: {@link #toDd} and {@link #readDd} ({@code { 0x28, 0, 0, 0x0000000c },});</li>
 *   <li>{@code tcpdump -ddd}: {@link #toDdd} and {@link #readDdd} (a count line, then
 *       {@code code jt jf k} in decimal).</li>
 * </ul>
 *
 * <p>The assembler syntax is the {@code -d} syntax, one instruction per line, with these additions:
 * the {@code (NNN)} prefix is optional (when present it must be the instruction's index); a line
 * may start with a label {@code name:}; jump targets ({@code ja T}, {@code jt T jf T}) are absolute
 * instruction indices as {@code -d} prints them, or labels; numbers are decimal (may be negative)
 * or {@code 0x} hexadecimal; {@code ret a} is accepted for {@code ret}; {@code ld #len} and
 * {@code ldx #len} for {@code #pktlen}; ancillary fields by their libpcap names
 * ({@code ld [proto]}, {@code ld [vlanp]}); {@code ;} starts a comment; blank lines are ignored.
 * libpcap prints {@code ldx #pktlen} as {@code unimp 0x81} (it has no name for it); {@code unimp 0xNN}
 * reads back as that opcode with k = 0.
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

    /**
     * Reads the {@code tcpdump -d} syntax (see the class comment) into a program. The result is not
     * yet {@linkplain CbpfProgram#validate() validated}, so invalid programs can be read and inspected.
     *
     * @throws CbpfSyntaxException naming the line and column of the first thing that cannot be read
     */
    public static CbpfProgram assemble(String source) {
        return AsmParser.parse(source);
    }

    /** The program as {@code tcpdump -dd} prints it: one {@code { 0x28, 0, 0, 0x0000000c },} line per instruction. */
    public static String toDd(CbpfProgram program) {
        StringBuilder sb = new StringBuilder();
        for (CbpfInsn in : program.instructions()) {
            sb.append(in).append(",\n");
        }
        return sb.toString();
    }

    /** The program as {@code tcpdump -ddd} prints it: the count, then {@code code jt jf k} in decimal. */
    public static String toDdd(CbpfProgram program) {
        StringBuilder sb = new StringBuilder().append(program.size()).append('\n');
        for (CbpfInsn in : program.instructions()) {
            sb.append(in.code()).append(' ').append(in.jt()).append(' ').append(in.jf()).append(' ')
                    .append(Integer.toUnsignedString(in.k())).append('\n');
        }
        return sb.toString();
    }

    /**
     * Reads {@code tcpdump -dd} output (also a C array body: the braces, commas and blank lines are
     * what separate the four numbers; numbers may be decimal or {@code 0x} hexadecimal). Not validated.
     *
     * @throws CbpfSyntaxException naming the line and column of what cannot be read
     */
    public static CbpfProgram readDd(String text) {
        List<CbpfInsn> out = new ArrayList<>();
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            int open = line.indexOf('{');
            if (line.isBlank()) {
                continue;
            }
            if (open < 0) {
                throw new CbpfSyntaxException(i + 1, 1, "expected '{ code, jt, jf, k },'");
            }
            int close = line.indexOf('}', open);
            if (close < 0) {
                throw new CbpfSyntaxException(i + 1, line.length() + 1, "expected '}'");
            }
            String rest = line.substring(close + 1).trim();
            if (!rest.isEmpty() && !rest.equals(",")) {
                throw new CbpfSyntaxException(i + 1, close + 2, "unexpected '" + rest + "' after '}'");
            }
            long[] v = numbers(line, open + 1, close, i + 1, ",");
            out.add(insn(v, i + 1, open + 2));
        }
        if (out.isEmpty()) {
            throw new CbpfSyntaxException(1, 1, "no instructions");
        }
        return CbpfProgram.unchecked(out);
    }

    /**
     * Reads {@code tcpdump -ddd} output: a line with the instruction count, then one line of four
     * decimal numbers per instruction. Not validated.
     *
     * @throws CbpfSyntaxException naming the line and column of what cannot be read, or a count that
     *         does not match the lines
     */
    public static CbpfProgram readDdd(String text) {
        String[] lines = text.split("\n", -1);
        int first = 0;
        while (first < lines.length && lines[first].isBlank()) {
            first++;
        }
        if (first == lines.length) {
            throw new CbpfSyntaxException(1, 1, "no instruction count");
        }
        long count = numbers(lines[first], 0, lines[first].length(), first + 1, null)[0];
        List<CbpfInsn> out = new ArrayList<>();
        int lastLine = first + 1;
        for (int i = first + 1; i < lines.length; i++) {
            if (lines[i].isBlank()) {
                continue;
            }
            long[] v = numbers(lines[i], 0, lines[i].length(), i + 1, null);
            out.add(insn(v, i + 1, 1));
            lastLine = i + 1;
        }
        if (out.size() != count) {
            throw new CbpfSyntaxException(lastLine, 1, "the count line says " + count + " instructions, but there are "
                    + out.size());
        }
        return CbpfProgram.unchecked(out);
    }

    private static CbpfInsn insn(long[] v, int line, int column) {
        if (v.length != 4) {
            throw new CbpfSyntaxException(line, column, "expected 4 numbers (code, jt, jf, k), found " + v.length);
        }
        if (v[0] > 0xffff || v[1] > 0xff || v[2] > 0xff || v[3] > 0xffffffffL) {
            throw new CbpfSyntaxException(line, column, "a field is out of range (code 16 bits, jt and jf 8 bits, k 32 bits)");
        }
        return new CbpfInsn((int) v[0], (int) v[1], (int) v[2], (int) v[3]);
    }

    /** The non-negative numbers in {@code line[from, to)}, separated by {@code sep} (or by whitespace when null). */
    private static long[] numbers(String line, int from, int to, int lineNo, String sep) {
        List<Long> out = new ArrayList<>();
        int i = from;
        while (i < to) {
            char c = line.charAt(i);
            if (Character.isWhitespace(c) || (sep != null && sep.indexOf(c) >= 0)) {
                i++;
                continue;
            }
            int start = i;
            int radix = 10;
            if (line.startsWith("0x", i) || line.startsWith("0X", i)) {
                radix = 16;
                i += 2;
            }
            int digits = i;
            while (i < to && Character.digit(line.charAt(i), radix) >= 0) {
                i++;
            }
            if (digits == i || i - digits > 10 || (i < to && !Character.isWhitespace(line.charAt(i))
                    && (sep == null || sep.indexOf(line.charAt(i)) < 0))) {
                throw new CbpfSyntaxException(lineNo, start + 1, "expected a number");
            }
            out.add(Long.parseLong(line.substring(digits, i), radix));
        }
        if (out.isEmpty()) {
            throw new CbpfSyntaxException(lineNo, from + 1, "expected a number");
        }
        return out.stream().mapToLong(Long::longValue).toArray();
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
