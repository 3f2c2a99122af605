package io.jbpf.core.link;

/**
 * One classic BPF instruction ({@code struct sock_filter}), for {@link SocketFilter#attachClassic}.
 *
 * @param code the opcode (16 bits), e.g. {@code BPF_RET|BPF_K} = {@code 0x06}
 * @param jt the jump offset if true (0..255)
 * @param jf the jump offset if false (0..255)
 * @param k the constant
 */
public record ClassicBpfInstruction(int code, int jt, int jf, int k) {
    /** {@code BPF_RET | BPF_K}. */
    public static final int RET_K = 0x06;

    /** Checks the ranges of the fields. */
    public ClassicBpfInstruction {
        if (code < 0 || code > 0xFFFF || jt < 0 || jt > 0xFF || jf < 0 || jf > 0xFF) {
            throw new IllegalArgumentException("classic BPF instruction out of range: code " + code + ", jt " + jt
                    + ", jf " + jf);
        }
    }

    /** {@code ret #k}: accept {@code k} bytes of the packet (0 drops it). */
    public static ClassicBpfInstruction ret(int k) {
        return new ClassicBpfInstruction(RET_K, 0, 0, k);
    }
}
