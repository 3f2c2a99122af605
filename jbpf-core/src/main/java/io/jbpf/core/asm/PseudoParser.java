package io.jbpf.core.asm;

import io.jbpf.core.insn.Insn;
import io.jbpf.core.insn.LoadMapRef;
import io.jbpf.core.insn.LoadPseudo;
import io.jbpf.core.insn.PseudoSource;
import io.jbpf.core.insn.Reg;
import java.util.Set;

/**
 * Parses the right side of the 64-bit loads with a pseudo source: {@code map[fd:5]},
 * {@code map_value[idx:2] + 8}, {@code btf_id[42]}, {@code func[pc+3]}, {@code func[label]},
 * and the symbolic {@code map[name]} / {@code map_value[name] + 8}; then an optional {@code ll}.
 */
final class PseudoParser {
    private final Cursor c;
    private final Reg dst;

    PseudoParser(Cursor c, Reg dst) {
        this.c = c;
        this.dst = dst;
    }

    /** The instruction, or null when it refers to a label and was handed to the assembler. */
    Insn parse(Assembler asm, Set<String> labels) {
        Token kw = c.next();
        c.expect("[");
        switch (kw.text) {
            case "map":
            case "map_value":
                return map(kw.text.equals("map_value"));
            case "btf_id": {
                int id = c.imm32(true);
                c.expect("]");
                return new LoadPseudo(dst, PseudoSource.BTF_ID, id, next());
            }
            case "func":
                return func(asm);
            default:
                throw c.error(kw, "unknown 64-bit load source '" + kw.text
                        + "' (map, map_value, btf_id or func)");
        }
    }

    private Insn map(boolean value) {
        Token t = c.peek();
        if ((t.is("fd") || t.is("idx")) && c.peek(1).is(":")) {
            c.next();
            c.next();
            int n = c.imm32(true);
            c.expect("]");
            PseudoSource source = t.is("fd")
                    ? (value ? PseudoSource.MAP_VALUE : PseudoSource.MAP_FD)
                    : (value ? PseudoSource.MAP_IDX_VALUE : PseudoSource.MAP_IDX);
            return new LoadPseudo(dst, source, n, next());
        }
        if (t.kind != Token.Kind.WORD || t.isRegister()) {
            throw c.error(t, "expected a map name, fd:N or idx:N, found " + t.describe());
        }
        c.next();
        c.expect("]");
        return new LoadMapRef(dst, t.text, value, next());
    }

    private Insn func(Assembler asm) {
        Token t = c.peek();
        if (t.is("pc") && (c.peek(1).is("+") || c.peek(1).is("-"))) {
            c.next();
            int off = c.offset32();
            c.expect("]");
            return new LoadPseudo(dst, PseudoSource.FUNC, off, next());
        }
        if (t.kind != Token.Kind.WORD || t.isRegister()) {
            throw c.error(t, "expected pc+N or a label, found " + t.describe());
        }
        c.next();
        c.expect("]");
        int nextImm = next();
        asm.ref(t.text, off -> new LoadPseudo(dst, PseudoSource.FUNC, off, nextImm), c.line(), t.column);
        return null;
    }

    /** The optional {@code + N} (the second slot's immediate) and {@code ll}. */
    private int next() {
        int n = 0;
        if (c.peek().is("+") || c.peek().is("-")) {
            n = c.offset32();
        }
        c.accept("ll");
        return n;
    }
}
