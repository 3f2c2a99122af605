package io.jbpf.core.dsl.cbpf;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Reads the {@code tcpdump -d} syntax (see {@link CbpfText}); two passes: lines, then labels. */
final class AsmParser {
    /** A jump target as written: a number (absolute index) or a label, with its place for errors. */
    private record Target(String label, long index, int line, int column) {
    }

    /** One parsed line: the instruction without jump offsets, and the targets still to resolve. */
    private record Pending(int line, int column, int code, int k, Target ja, Target jt, Target jf) {
    }

    private final String[] lines;
    private int lineNo;
    private String text;
    private int pos;

    private AsmParser(String source) {
        this.lines = source.split("\n", -1);
    }

    static CbpfProgram parse(String source) {
        return new AsmParser(source).run();
    }

    private CbpfProgram run() {
        List<Pending> pending = new ArrayList<>();
        Map<String, Integer> labels = new HashMap<>();
        for (int i = 0; i < lines.length; i++) {
            lineNo = i + 1;
            text = stripComment(lines[i]);
            pos = 0;
            skipWs();
            if (atEnd()) {
                continue;
            }
            int index = pending.size();
            if (peek() == '(') {
                int at = pos;
                pos++;
                long n = number();
                expect(")");
                if (n != index) {
                    throw error(at, "this is instruction " + index + ", not " + n);
                }
                skipWs();
            }
            int save = pos;
            String word = word();
            skipWs();
            if (!atEnd() && peek() == ':') {
                if (labels.put(word, index) != null) {
                    throw error(save, "label '" + word + "' is defined twice");
                }
                pos++;
                skipWs();
                if (atEnd()) {
                    throw error(pos, "a label must be followed by an instruction on the same line");
                }
                save = pos;
                word = word();
                skipWs();
            }
            pending.add(instruction(word.toLowerCase(java.util.Locale.ROOT), save));
            skipWs();
            if (!atEnd()) {
                throw error(pos, "unexpected '" + text.substring(pos) + "'");
            }
        }
        if (pending.isEmpty()) {
            throw new CbpfSyntaxException(1, 1, "no instructions");
        }
        List<CbpfInsn> out = new ArrayList<>(pending.size());
        for (int pc = 0; pc < pending.size(); pc++) {
            Pending p = pending.get(pc);
            if (p.ja() != null) {
                long k = resolve(p.ja(), pc, labels, Integer.MAX_VALUE);
                out.add(CbpfInsn.stmt(p.code(), (int) k));
            } else if (p.jt() != null) {
                int jt = (int) resolve(p.jt(), pc, labels, 255);
                int jf = (int) resolve(p.jf(), pc, labels, 255);
                out.add(CbpfInsn.jump(p.code(), p.k(), jt, jf));
            } else {
                out.add(CbpfInsn.stmt(p.code(), p.k()));
            }
        }
        return CbpfProgram.unchecked(out);
    }

    private static long resolve(Target t, int pc, Map<String, Integer> labels, long max) {
        long target;
        if (t.label() != null) {
            Integer at = labels.get(t.label());
            if (at == null) {
                throw new CbpfSyntaxException(t.line(), t.column(), "no label '" + t.label() + "'");
            }
            target = at;
        } else {
            target = t.index();
        }
        long rel = target - pc - 1;
        if (rel < 0 || rel > max) {
            throw new CbpfSyntaxException(t.line(), t.column(), "jump target " + target + " from instruction " + pc
                    + (rel < 0 ? " goes backwards (classic BPF jumps only forward)" : " is too far (at most " + max + " ahead)"));
        }
        return rel;
    }

    private Pending instruction(String op, int opColumn) {
        switch (op) {
            case "ld":
            case "ldh":
            case "ldb":
                return load(op, opColumn);
            case "ldx":
                return loadX(opColumn);
            case "ldxb": {
                expect("4*([");
                long k = int32();
                expect("]&0xf)");
                return plain(opColumn, CbpfInsn.ldxMsh(0).code(), (int) k);
            }
            case "st":
            case "stx": {
                int k = memSlot();
                return plain(opColumn, (op.equals("st") ? CbpfInsn.st(0) : CbpfInsn.stx(0)).code(), k);
            }
            case "ret":
                if (atEnd() || peekWord("a")) {
                    if (!atEnd()) {
                        pos++;
                    }
                    return plain(opColumn, CbpfInsn.retA().code(), 0);
                }
                expect("#");
                return plain(opColumn, CbpfInsn.ret(0).code(), (int) int32());
            case "tax":
                return plain(opColumn, CbpfInsn.tax().code(), 0);
            case "txa":
                return plain(opColumn, CbpfInsn.txa().code(), 0);
            case "neg":
                return plain(opColumn, CbpfInsn.neg().code(), 0);
            case "ja":
                return new Pending(lineNo, opColumn, CbpfInsn.ja(0).code(), 0, target(), null, null);
            case "unimp": {
                int at = pos;
                long code = number();
                if (code < 0 || code > 0xffff) {
                    throw error(at, "opcode " + code + " does not fit 16 bits");
                }
                return plain(opColumn, (int) code, 0);
            }
            default:
                break;
        }
        for (CbpfInsn.AluOp a : CbpfInsn.AluOp.values()) {
            if (a != CbpfInsn.AluOp.NEG && a.mnemonic().equals(op)) {
                if (peekWord("x")) {
                    pos++;
                    return plain(opColumn, CbpfInsn.aluX(a).code(), 0);
                }
                expect("#");
                return plain(opColumn, CbpfInsn.alu(a, 0).code(), (int) int32());
            }
        }
        for (CbpfInsn.JmpOp j : CbpfInsn.JmpOp.values()) {
            if (j != CbpfInsn.JmpOp.JA && j.mnemonic().equals(op)) {
                int code;
                int k = 0;
                if (peekWord("x")) {
                    pos++;
                    code = CbpfInsn.jmpX(j, 0, 0).code();
                } else {
                    expect("#");
                    k = (int) int32();
                    code = CbpfInsn.jmp(j, 0, 0, 0).code();
                }
                skipWs();
                expectWord("jt");
                Target jt = target();
                skipWs();
                expectWord("jf");
                Target jf = target();
                return new Pending(lineNo, opColumn, code, k, null, jt, jf);
            }
        }
        throw error(opColumn, "unknown instruction '" + op + "'");
    }

    private Pending load(String op, int opColumn) {
        CbpfInsn.Size size = op.equals("ld") ? CbpfInsn.Size.W : op.equals("ldh") ? CbpfInsn.Size.H : CbpfInsn.Size.B;
        int at = pos;
        if (!atEnd() && peek() == '#') {
            pos++;
            if (!op.equals("ld")) {
                throw error(at, op + " has no immediate form (use ld)");
            }
            if (peekWord("pktlen") || peekWord("len")) {
                word();
                return plain(opColumn, CbpfInsn.ldLen().code(), 0);
            }
            return plain(opColumn, CbpfInsn.ldImm(0).code(), (int) int32());
        }
        if (!atEnd() && (peek() == 'M' || peek() == 'm')) {
            if (!op.equals("ld")) {
                throw error(at, op + " cannot read scratch memory (use ld)");
            }
            return plain(opColumn, CbpfInsn.ldMem(0).code(), memSlot());
        }
        expect("[");
        skipWs();
        if (peekWord("x")) {
            pos++;
            skipWs();
            int k = 0;
            if (!atEnd() && (peek() == '+' || peek() == '-')) {
                boolean minus = peek() == '-';
                pos++;
                skipWs();
                long v = int32();
                k = (int) (minus ? -v : v);
            }
            skipWs();
            expect("]");
            return plain(opColumn, CbpfInsn.ldInd(size, 0).code(), k);
        }
        if (!atEnd() && Character.isLetter(peek())) {
            int nameAt = pos;
            String name = word();
            for (CbpfInsn.Ancillary a : CbpfInsn.Ancillary.values()) {
                if (a.label().equals(name)) {
                    skipWs();
                    expect("]");
                    return plain(opColumn, CbpfInsn.ldAbs(size, 0).code(), a.k());
                }
            }
            throw error(nameAt, "unknown ancillary field '" + name + "'");
        }
        long k = int32();
        skipWs();
        expect("]");
        return plain(opColumn, CbpfInsn.ldAbs(size, 0).code(), (int) k);
    }

    private Pending loadX(int opColumn) {
        if (!atEnd() && peek() == '#') {
            pos++;
            if (peekWord("pktlen") || peekWord("len")) {
                word();
                return plain(opColumn, CbpfInsn.ldxLen().code(), 0);
            }
            return plain(opColumn, CbpfInsn.ldxImm(0).code(), (int) int32());
        }
        return plain(opColumn, CbpfInsn.ldxMem(0).code(), memSlot());
    }

    private int memSlot() {
        int at = pos;
        if (atEnd() || (peek() != 'M' && peek() != 'm')) {
            throw error(at, "expected M[k]");
        }
        pos++;
        expect("[");
        long k = int32();
        expect("]");
        return (int) k;
    }

    private Target target() {
        skipWs();
        int at = pos;
        if (!atEnd() && Character.isDigit(peek())) {
            return new Target(null, number(), lineNo, at + 1);
        }
        String name = word();
        return new Target(name, 0, lineNo, at + 1);
    }

    private Pending plain(int opColumn, int code, int k) {
        return new Pending(lineNo, opColumn + 1, code, k, null, null, null);
    }

    // ------------------------------------------------------------ lexing

    private static String stripComment(String line) {
        int c = line.indexOf(';');
        String s = c >= 0 ? line.substring(0, c) : line;
        return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
    }

    private boolean atEnd() {
        return pos >= text.length();
    }

    private char peek() {
        return text.charAt(pos);
    }

    private void skipWs() {
        while (!atEnd() && Character.isWhitespace(peek())) {
            pos++;
        }
    }

    private boolean peekWord(String w) {
        if (!text.startsWith(w, pos)) {
            return false;
        }
        int end = pos + w.length();
        return end >= text.length() || !isWordChar(text.charAt(end));
    }

    private static boolean isWordChar(char c) {
        return Character.isLetterOrDigit(c) || c == '_';
    }

    private String word() {
        int start = pos;
        while (!atEnd() && isWordChar(peek())) {
            pos++;
        }
        if (start == pos) {
            throw error(start, atEnd() ? "expected a word, found the end of the line" : "expected a word at '" + peek() + "'");
        }
        return text.substring(start, pos);
    }

    private void expect(String s) {
        skipWs();
        if (!text.startsWith(s, pos)) {
            throw error(pos, "expected '" + s + "'" + (atEnd() ? ", found the end of the line" : ", found '" + text.substring(pos) + "'"));
        }
        pos += s.length();
    }

    private void expectWord(String w) {
        if (!peekWord(w)) {
            throw error(pos, "expected '" + w + "'");
        }
        pos += w.length();
    }

    /** A number that fits 32 bits, signed or unsigned. */
    private long int32() {
        skipWs();
        int at = pos;
        boolean minus = false;
        if (!atEnd() && peek() == '-') {
            minus = true;
            pos++;
        }
        long v = number();
        if (minus) {
            v = -v;
        }
        if (v < Integer.MIN_VALUE || v > 0xFFFFFFFFL) {
            throw error(at, "number " + v + " does not fit 32 bits");
        }
        return v;
    }

    /** A non-negative decimal or 0x hexadecimal number. */
    private long number() {
        skipWs();
        int start = pos;
        int radix = 10;
        if (text.startsWith("0x", pos) || text.startsWith("0X", pos)) {
            radix = 16;
            pos += 2;
        }
        int digits = pos;
        while (!atEnd() && Character.digit(peek(), radix) >= 0) {
            pos++;
        }
        if (digits == pos || pos - digits > 12) {
            throw error(start, "expected a number");
        }
        return Long.parseLong(text.substring(digits, pos), radix);
    }

    private CbpfSyntaxException error(int at, String problem) {
        return new CbpfSyntaxException(lineNo, at + 1, problem);
    }
}
