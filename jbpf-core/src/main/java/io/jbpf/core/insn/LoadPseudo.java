package io.jbpf.core.insn;

/**
 * A 64-bit immediate load whose src field gives the immediates a special meaning the kernel
 * resolves at load: a map by fd, an address in a map's value, a kernel variable by BTF id, a
 * subprogram, or a map by index into the fd array. Two slots.
 *
 * @param dst     the destination
 * @param source  what {@code imm} and {@code nextImm} mean
 * @param imm     the immediate of the first slot (an fd, BTF id, pc-relative offset or index)
 * @param nextImm the immediate of the second slot (a value offset, module BTF fd, or 0)
 */
public record LoadPseudo(Reg dst, PseudoSource source, int imm, int nextImm) implements Insn {
    /** Checks the fields. */
    public LoadPseudo {
        Check.notNull(dst, "64-bit load dst register");
        Check.notNull(source, "64-bit load pseudo source");
    }

    /** {@code dst = map[fd:fd]}: the map with this fd. */
    public static LoadPseudo mapFd(Reg dst, int fd) {
        return new LoadPseudo(dst, PseudoSource.MAP_FD, fd, 0);
    }

    /** {@code dst = map_value[fd:fd] + offset}: an address inside the (array) map's value. */
    public static LoadPseudo mapValue(Reg dst, int fd, int offset) {
        return new LoadPseudo(dst, PseudoSource.MAP_VALUE, fd, offset);
    }

    @Override
    public int slots() {
        return 2;
    }

    @Override
    public <R> R accept(InsnVisitor<R> visitor) {
        return visitor.visit(this);
    }
}
