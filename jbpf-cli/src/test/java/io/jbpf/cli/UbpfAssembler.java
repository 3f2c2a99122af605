package io.jbpf.cli;

import io.jbpf.core.insn.Helper;
import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A small assembler for the ubpf-style syntax of the bpf_conformance suite's {@code .data} files
 * ({@code mov %r1, 2}, {@code lddw r1, 0x...}, {@code stxw [r10-4], r2}, {@code jeq r1, 0, label},
 * {@code call local f}, {@code call 5}, {@code call %r2}, {@code lock fetch add [r10-8], r1}, ...).
 * Test code only: the library's own syntax is {@link io.jbpf.core.asm.AsmParser}'s. As the suite's
 * assembler: immediates are truncated to 32 bits, {@code exit} is also a label naming the first
 * exit, {@code map_by_fd(name)} gives a 64-bit map load (src 1) whose immediate is the map's index
 * in {@code maps}.
 */
final class UbpfAssembler {
    private static final Map<String, Integer> ALU = Map.ofEntries(Map.entry("add", 0x0), Map.entry("sub", 0x1),
            Map.entry("mul", 0x2), Map.entry("div", 0x3), Map.entry("sdiv", 0x3), Map.entry("or", 0x4),
            Map.entry("and", 0x5), Map.entry("lsh", 0x6), Map.entry("rsh", 0x7), Map.entry("neg", 0x8),
            Map.entry("mod", 0x9), Map.entry("smod", 0x9), Map.entry("xor", 0xa), Map.entry("mov", 0xb),
            Map.entry("arsh", 0xc));
    private static final Map<String, Integer> JMP = Map.ofEntries(Map.entry("jeq", 0x1), Map.entry("jgt", 0x2),
            Map.entry("jge", 0x3), Map.entry("jset", 0x4), Map.entry("jne", 0x5), Map.entry("jsgt", 0x6),
            Map.entry("jsge", 0x7), Map.entry("jlt", 0xa), Map.entry("jle", 0xb), Map.entry("jslt", 0xc),
            Map.entry("jsle", 0xd));
    private static final Map<String, Integer> LDX = Map.of("ldxb", 0x71, "ldxh", 0x69, "ldxw", 0x61, "ldxdw", 0x79,
            "ldxsb", 0x91, "ldxsh", 0x89, "ldxsw", 0x81);
    private static final Map<String, Integer> ST = Map.of("stb", 0x72, "sth", 0x6a, "stw", 0x62, "stdw", 0x7a);
    private static final Map<String, Integer> STX = Map.of("stxb", 0x73, "stxh", 0x6b, "stxw", 0x63, "stxdw", 0x7b);
    private static final Map<String, Integer> ATOMIC = Map.of("add", 0x00, "or", 0x40, "and", 0x50, "xor", 0xa0,
            "xchg", 0xe1, "cmpxchg", 0xf1);

    private final List<long[]> slots = new ArrayList<>(); // {op, dst, src, off, imm}
    private final Map<Integer, String> pending = new HashMap<>();
    private final Map<String, Integer> labels = new HashMap<>();
    private final List<String> maps;

    private UbpfAssembler(List<String> maps) {
        this.maps = maps;
    }

    /** Little-endian instruction bytes of {@code source}; {@code maps} names the maps of map_by_fd(). */
    static byte[] assemble(String source, List<String> maps) {
        return new UbpfAssembler(maps).run(source);
    }

    /** The bytes of a {@code -- raw} section: each token one 64-bit instruction word. */
    static byte[] raw(String section) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (String t : section.trim().split("\\s+")) {
            if (t.isEmpty()) {
                continue;
            }
            long v = number(t).longValue();
            for (int i = 0; i < 8; i++) {
                out.write((int) (v >>> (8 * i)));
            }
        }
        return out.toByteArray();
    }

    private byte[] run(String source) {
        boolean sawExit = false;
        for (String rawLine : source.split("\n")) {
            String line = rawLine.contains("#") ? rawLine.substring(0, rawLine.indexOf('#')) : rawLine;
            line = line.trim();
            if (line.isEmpty()) {
                continue;
            }
            List<String> tokens = new ArrayList<>();
            for (String t : line.split("\\s+")) {
                t = t.endsWith(",") ? t.substring(0, t.length() - 1) : t;
                if (!t.isEmpty()) {
                    tokens.add(t);
                }
            }
            String m = tokens.get(0);
            if (m.endsWith(":") && tokens.size() == 1) {
                String label = m.substring(0, m.length() - 1);
                if (labels.put(label, slots.size()) != null) {
                    throw new IllegalArgumentException("duplicate label " + label);
                }
                continue;
            }
            if (m.equals("exit") && !sawExit) {
                labels.putIfAbsent("exit", slots.size());
                sawExit = true;
            }
            encode(m, tokens.subList(1, tokens.size()));
        }
        for (Map.Entry<Integer, String> e : pending.entrySet()) {
            Integer target = labels.get(e.getValue());
            if (target == null) {
                throw new IllegalArgumentException("unknown label " + e.getValue());
            }
            long[] s = slots.get(e.getKey());
            int rel = target - e.getKey() - 1;
            if (s[0] == 0x85 || s[0] == 0x06) {
                s[4] = rel;
            } else {
                s[3] = rel;
            }
        }
        byte[] out = new byte[slots.size() * 8];
        for (int i = 0; i < slots.size(); i++) {
            long[] s = slots.get(i);
            int at = i * 8;
            out[at] = (byte) s[0];
            out[at + 1] = (byte) ((s[1] & 0xf) | (s[2] & 0xf) << 4);
            out[at + 2] = (byte) s[3];
            out[at + 3] = (byte) (s[3] >> 8);
            for (int b = 0; b < 4; b++) {
                out[at + 4 + b] = (byte) (s[4] >> (8 * b));
            }
        }
        return out;
    }

    private void emit(long op, long dst, long src, long off, long imm) {
        slots.add(new long[] {op, dst, src, off, imm});
    }

    private void need(String m, List<String> ops, int n) {
        if (ops.size() != n) {
            throw new IllegalArgumentException(m + " takes " + n + " operands, got " + ops);
        }
    }

    private void encode(String m, List<String> ops) {
        if (m.equals("exit")) {
            need(m, ops, 0);
            emit(0x95, 0, 0, 0, 0);
        } else if (m.equals("ja") || m.equals("ja32")) {
            need(m, ops, 1);
            boolean wide = m.equals("ja32");
            emit(wide ? 0x06 : 0x05, 0, 0, 0, 0);
            long t = target(ops.get(0));
            slots.get(slots.size() - 1)[wide ? 4 : 3] = t;
        } else if (m.equals("call")) {
            call(ops);
        } else if (m.equals("lddw")) {
            need(m, ops, 2);
            String v = ops.get(1);
            if (v.startsWith("map_by_fd(") && v.endsWith(")")) {
                int idx = maps.indexOf(v.substring(10, v.length() - 1));
                if (idx < 0) {
                    throw new IllegalArgumentException("unknown map " + v);
                }
                emit(0x18, reg(ops.get(0)), 1, 0, idx);
                emit(0, 0, 0, 0, 0);
            } else {
                long imm = number(v).longValue();
                emit(0x18, reg(ops.get(0)), 0, 0, imm & 0xffffffffL);
                emit(0, 0, 0, 0, imm >>> 32);
            }
        } else if (LDX.containsKey(m)) {
            need(m, ops, 2);
            long[] mem = memory(ops.get(1));
            emit(LDX.get(m), reg(ops.get(0)), mem[0], mem[1], 0);
        } else if (ST.containsKey(m)) {
            need(m, ops, 2);
            long[] mem = memory(ops.get(0));
            emit(ST.get(m), mem[0], 0, mem[1], imm32(ops.get(1)));
        } else if (STX.containsKey(m)) {
            need(m, ops, 2);
            long[] mem = memory(ops.get(0));
            emit(STX.get(m), mem[0], reg(ops.get(1)), mem[1], 0);
        } else if (m.equals("lock")) {
            lock(ops);
        } else if (m.matches("(be|le|swap|bswap)(16|32|64)")) {
            need(m, ops, 1);
            int bits = Integer.parseInt(m.substring(m.length() - 2));
            int op = m.startsWith("be") ? 0xdc : m.startsWith("le") ? 0xd4 : 0xd7;
            emit(op, reg(ops.get(0)), 0, 0, bits);
        } else {
            String base = m;
            int cls = 0x07;
            if (base.endsWith("32")) {
                cls = 0x04;
                base = base.substring(0, base.length() - 2);
            } else if (base.endsWith("64")) {
                base = base.substring(0, base.length() - 2);
            }
            if (JMP.containsKey(base)) {
                need(m, ops, 3);
                int jcls = cls == 0x04 ? 0x06 : 0x05;
                boolean isReg = isReg(ops.get(1));
                emit(JMP.get(base) << 4 | jcls | (isReg ? 0x08 : 0), reg(ops.get(0)), isReg ? reg(ops.get(1)) : 0,
                        0, isReg ? 0 : imm32(ops.get(1)));
                slots.get(slots.size() - 1)[3] = target(ops.get(2));
                return;
            }
            int off = 0;
            if (base.startsWith("movsx")) {
                off = Integer.parseInt(base.substring(5));
                base = "mov";
            }
            if (base.equals("sdiv") || base.equals("smod")) {
                off = 1;
            }
            Integer code = ALU.get(base);
            if (code == null) {
                throw new IllegalArgumentException("unknown mnemonic " + m);
            }
            if (code == 0x8) {
                need(m, ops, 1);
                emit(0x80 | cls, reg(ops.get(0)), 0, 0, 0);
                return;
            }
            need(m, ops, 2);
            boolean isReg = isReg(ops.get(1));
            emit(code << 4 | cls | (isReg ? 0x08 : 0), reg(ops.get(0)), isReg ? reg(ops.get(1)) : 0, off,
                    isReg ? 0 : imm32(ops.get(1)));
        }
    }

    private void call(List<String> ops) {
        if (ops.size() == 1) {
            String t = ops.get(0);
            if (isReg(t)) {
                emit(0x8d, reg(t), 0, 0, 0);
            } else if (Character.isDigit(t.charAt(0)) || t.startsWith("-")) {
                emit(0x85, 0, 0, 0, imm32(t));
            } else {
                emit(0x85, 0, 0, 0, Helper.ofName(t).id());
            }
            return;
        }
        need("call", ops, 2);
        switch (ops.get(0)) {
            case "local" -> {
                emit(0x85, 0, 1, 0, 0);
                slots.get(slots.size() - 1)[4] = target(ops.get(1));
            }
            case "runtime" -> emit(0x85, 0, 2, 0, imm32(ops.get(1)));
            case "helper" -> call(ops.subList(1, 2));
            default -> throw new IllegalArgumentException("unknown call mode " + ops.get(0));
        }
    }

    private void lock(List<String> ops) {
        List<String> o = new ArrayList<>(ops);
        boolean fetch = !o.isEmpty() && o.get(0).equals("fetch");
        if (fetch) {
            o.remove(0);
        }
        need("lock", o, 3);
        String op = o.get(0);
        boolean narrow = op.endsWith("32");
        op = narrow ? op.substring(0, op.length() - 2) : op;
        Integer code = ATOMIC.get(op);
        if (code == null) {
            throw new IllegalArgumentException("unknown atomic " + op);
        }
        long[] mem = memory(o.get(1));
        emit(narrow ? 0xc3 : 0xdb, mem[0], reg(o.get(2)), mem[1], code | (fetch ? 1 : 0));
    }

    /** A jump target: {@code +N}/{@code -N}, or a label resolved at the end. */
    private long target(String t) {
        if (t.startsWith("+") || t.startsWith("-")) {
            return number(t).longValue();
        }
        pending.put(slots.size() - 1, t);
        return 0;
    }

    private static boolean isReg(String s) {
        return s.matches("%?r\\d+");
    }

    private static int reg(String s) {
        if (!isReg(s)) {
            throw new IllegalArgumentException("not a register: " + s);
        }
        int r = Integer.parseInt(s.substring(s.indexOf('r') + 1));
        if (r > 15) {
            throw new IllegalArgumentException("no register " + s);
        }
        return r;
    }

    /** {@code [reg+off]}, {@code [reg-off]} or {@code [reg]}: {register, offset}. */
    private static long[] memory(String s) {
        if (!s.startsWith("[") || !s.endsWith("]")) {
            throw new IllegalArgumentException("not a memory operand: " + s);
        }
        String in = s.substring(1, s.length() - 1);
        int sign = Math.max(in.indexOf('+'), in.indexOf('-'));
        if (sign < 0) {
            return new long[] {reg(in), 0};
        }
        return new long[] {reg(in.substring(0, sign)), (short) number(in.substring(sign)).longValue()};
    }

    private static long imm32(String s) {
        return number(s).longValue() & 0xffffffffL;
    }

    /** Decimal or hex ({@code 0x}), optionally signed; wraps like the suite's stoull. */
    static BigInteger number(String s) {
        boolean neg = s.startsWith("-");
        String d = s.startsWith("-") || s.startsWith("+") ? s.substring(1) : s;
        BigInteger v = d.startsWith("0x") || d.startsWith("0X") ? new BigInteger(d.substring(2), 16) : new BigInteger(d);
        return neg ? v.negate() : v;
    }
}
