package io.jbpf.core.btf;

/** BTF type kinds with the kernel's numbers ({@code BTF_KIND_*}). */
public enum BtfKind {
    VOID(0), INT(1), PTR(2), ARRAY(3), STRUCT(4), UNION(5), ENUM(6), FWD(7), TYPEDEF(8), VOLATILE(9), CONST(10),
    RESTRICT(11), FUNC(12), FUNC_PROTO(13), VAR(14), DATASEC(15), FLOAT(16), DECL_TAG(17), TYPE_TAG(18), ENUM64(19);

    private static final BtfKind[] BY_NUMBER = new BtfKind[20];

    static {
        for (BtfKind k : values()) {
            BY_NUMBER[k.number] = k;
        }
    }

    private final int number;

    BtfKind(int number) {
        this.number = number;
    }

    /** The kernel's number. */
    public int number() {
        return number;
    }

    /** The kind with kernel number {@code n}, or null when there is none. */
    static BtfKind of(int n) {
        return n >= 0 && n < BY_NUMBER.length ? BY_NUMBER[n] : null;
    }

    /** Kinds that only qualify or rename another type: typedef, const, volatile, restrict, type tag. */
    public boolean isModifier() {
        return this == TYPEDEF || this == CONST || this == VOLATILE || this == RESTRICT || this == TYPE_TAG;
    }
}
