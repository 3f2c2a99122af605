package io.jbpf.core.insn;

/**
 * Call of a kernel function (kfunc) by BTF id ({@code BPF_CALL}, src {@code BPF_PSEUDO_KFUNC_CALL}).
 *
 * @param btfId      the BTF id of the function in vmlinux or a module
 * @param btfFdIndex 0 for vmlinux, else the index of the module's BTF fd in the fd array given
 *                   at load (the offset field, 16-bit signed)
 */
public record CallKfunc(int btfId, int btfFdIndex) implements Insn {
    /** Checks the fd index. */
    public CallKfunc {
        Check.off16(btfFdIndex, "kfunc BTF fd index");
    }

    /** A call of a vmlinux kfunc. */
    public static CallKfunc of(int btfId) {
        return new CallKfunc(btfId, 0);
    }

    @Override
    public <R> R accept(InsnVisitor<R> visitor) {
        return visitor.visit(this);
    }
}
