package io.jbpf.core.asm;

import io.jbpf.core.insn.Insn;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Reads eBPF assembly in the syntax {@code llvm-objdump -d} and the kernel verifier print, one
 * instruction per line. {@link Disassembler} writes the same syntax.
 *
 * <pre>
 *   r0 = *(u32 *)(r1 + 4)            w0 = w1            r0 = -r0
 *   *(u64 *)(r10 - 8) = r1           *(u32 *)(r10 - 4) = 5
 *   r1 += 0x10      w1 s/= w2        r0 s%= r1          r1 s&gt;&gt;= 3
 *   r1 = (s8)r2                      r0 = *(s32 *)(r1 + 0)
 *   r0 = be16 r0    r0 = le32 r0     r0 = bswap64 r0
 *   if r2 &gt; 0x5 goto +3               if w1 s&lt; w2 goto -1       if r1 &amp; 0x40 goto out
 *   goto +3         gotol +5         goto out
 *   lock *(u64 *)(r1 + 0) += r2      r2 = atomic_fetch_add((u64 *)(r1 + 0), r2)
 *   r2 = xchg_64(r1 + 0, r2)         r0 = cmpxchg_64(r1 + 0, r0, r2)   (32-bit: xchg32_32, cmpxchg32_32)
 *   r0 = *(u8 *)skb[0x17]            r0 = *(u16 *)skb[r3 + 4]
 *   r1 = 0x1234 ll                   exit
 *   call 1          call bpf_map_lookup_elem          callx r3
 * </pre>
 *
 * <p>Forms of our own, for what LLVM's syntax cannot tell apart:
 * <ul>
 *   <li>{@code r1 = map[name] ll}: a symbolic reference to the map {@code name}, resolved to an fd
 *       at load ({@link io.jbpf.core.insn.MapReferences}); {@code r1 = map_value[name] + 8 ll}
 *       points 8 bytes into its value. Map names may contain letters, digits, '_' and '.'.</li>
 *   <li>{@code r1 = map[fd:5] ll}, {@code r1 = map_value[fd:5] + 8 ll}, {@code r1 = map[idx:2] ll},
 *       {@code r1 = map_value[idx:2] + 8 ll}, {@code r1 = btf_id[42] ll}, {@code r1 = func[pc+3] ll}
 *       or {@code func[label]}: the pseudo sources 1–6; a {@code + N} gives the second slot's
 *       immediate. {@code ll} is optional on these.</li>
 *   <li>{@code call pc+3} or {@code call label}: a BPF-to-BPF call; {@code call kfunc[1234]} or
 *       {@code call kfunc[1234, 1]}: a kfunc by BTF id (and module fd-array index). A name after
 *       {@code call} is a label of the program if there is one, else a helper name.</li>
 *   <li>{@code .raw 0x85, 0, 0, 0, 1}: a raw word (opcode, dst, src, offset, imm).</li>
 * </ul>
 *
 * <p>Numbers are decimal or hex ({@code 0x}), with an optional sign. Register letters of loads,
 * stores and atomics below 8 bytes may be {@code r} or {@code w} (the encoding does not record it);
 * elsewhere {@code w} means 32-bit. Comments start with {@code ;}, {@code //} or {@code #} and run
 * to the end of the line. A label is {@code name:} at the start of a line, alone or before an
 * instruction; a leading slot number ({@code 12:}) is ignored, so disassembly with slot numbers
 * reads back.
 */
public final class AsmParser {
    private AsmParser() {}

    /**
     * The instructions of {@code source}, with labels resolved.
     *
     * @throws AssemblerException naming the line and column of the first problem
     */
    public static List<Insn> parse(String source) {
        if (source == null) {
            throw new AssemblerException("the source text is null");
        }
        String[] lines = source.split("\r?\n|\r", -1);
        List<List<Token>> tokenized = new ArrayList<>(lines.length);
        Set<String> labels = new HashSet<>();
        for (int i = 0; i < lines.length; i++) {
            List<Token> tokens = Lexer.tokenize(stripComment(lines[i]), i + 1);
            tokenized.add(tokens);
            String label = labelOf(tokens);
            if (label != null) {
                labels.add(label);
            }
        }
        Assembler asm = new Assembler();
        for (int i = 0; i < lines.length; i++) {
            new StatementParser(asm, labels, new Cursor(tokenized.get(i), i + 1)).parse();
        }
        return asm.build();
    }

    private static String stripComment(String line) {
        int end = line.length();
        for (String marker : new String[] {";", "//", "#"}) {
            int at = line.indexOf(marker);
            if (at >= 0 && at < end) {
                end = at;
            }
        }
        return line.substring(0, end);
    }

    /** The label a line defines, or null. */
    private static String labelOf(List<Token> tokens) {
        int i = 0;
        if (tokens.get(0).kind == Token.Kind.NUMBER && tokens.get(1).is(":")) {
            i = 2;
        }
        Token t = tokens.get(i);
        boolean isLabel = t.kind == Token.Kind.WORD && !t.isRegister() && i + 1 < tokens.size()
                && tokens.get(i + 1).is(":");
        return isLabel ? t.text : null;
    }
}
