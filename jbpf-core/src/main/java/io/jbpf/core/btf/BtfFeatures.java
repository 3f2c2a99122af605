package io.jbpf.core.btf;

/**
 * Which BTF kinds a kernel takes ({@code BPF_BTF_LOAD} refuses the others), as libbpf probes them:
 * what {@link BtfSanitizer} needs to know to rewrite an object's BTF for that kernel.
 *
 * @param datasec    {@code VAR} and {@code DATASEC} (5.2)
 * @param func       {@code FUNC} and {@code FUNC_PROTO} (5.0)
 * @param funcGlobal {@code FUNC} with global linkage (5.6)
 * @param floats     {@code FLOAT} (5.13)
 * @param declTag    {@code DECL_TAG} (5.16)
 * @param typeTag    {@code TYPE_TAG} (5.17)
 * @param enum64     {@code ENUM64} (6.0)
 */
public record BtfFeatures(boolean datasec, boolean func, boolean funcGlobal, boolean floats, boolean declTag,
        boolean typeTag, boolean enum64) {

    /** A kernel that takes every kind (nothing to rewrite). */
    public static final BtfFeatures ALL = new BtfFeatures(true, true, true, true, true, true, true);

    /** A kernel with BTF but none of the later kinds (4.18 to 4.20): everything is rewritten. */
    public static final BtfFeatures NONE = new BtfFeatures(false, false, false, false, false, false, false);

    /** Whether BTF for this kernel must be rewritten at all. */
    public boolean all() {
        return equals(ALL);
    }
}
