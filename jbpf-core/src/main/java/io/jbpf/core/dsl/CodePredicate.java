package io.jbpf.core.dsl;

/**
 * A condition written as instructions: the extension point for predicates compiled elsewhere (a
 * classic BPF filter converted to eBPF, a pcap-filter expression). Wrap one with
 * {@link Match#code(CodePredicate)} and combine it with any other {@link Match}.
 *
 * <h2>Register and stack contract</h2>
 * When {@link #emit} is called the assembler is positioned where the predicate's code goes.
 * <ul>
 *   <li>{@code R6} holds the context ({@code struct xdp_md} or {@code struct __sk_buff}) for the
 *       whole program (where {@code LD_ABS}/{@code LD_IND} expect it): read it, never write it.</li>
 *   <li>{@code R7}, {@code R8}, {@code R9} belong to the DSL: the code must leave them as it found
 *       them (save them on its own stack if it needs more registers).</li>
 *   <li>{@code R0}–{@code R5} are free; nothing is live in them.</li>
 *   <li>The stack below {@code R10} belongs to the DSL except the areas the code gets from
 *       {@link Emitter#stack(int)}.</li>
 *   <li>The packet: on targets with {@linkplain Target#directPacketAccess() direct access}
 *       {@link Emitter#loadPacketStart} and {@link Emitter#loadPacketEnd} give {@code data} and
 *       {@code data_end} (bounds-check before reading); on a socket filter use
 *       {@code bpf_skb_load_bytes_relative} (offsets from the MAC header) or {@code LD_ABS}/{@code LD_IND}
 *       (offsets from {@code skb->data}). Offset 0 is the first byte of the Ethernet header on XDP and TC.</li>
 *   <li>Every path of the code must end in a jump to {@code onMatch} or {@code onNoMatch}: it must
 *       not fall through, call {@code exit}, or jump anywhere else. Labels it defines itself must
 *       come from {@link Emitter#label(String)}.</li>
 * </ul>
 */
@FunctionalInterface
public interface CodePredicate {
    /** Emits code that jumps to {@code onMatch} when the packet matches, else to {@code onNoMatch}. */
    void emit(Emitter emitter, String onMatch, String onNoMatch);

    /** The headers the code reads through the {@link Emitter}: the program parses them. */
    default java.util.Set<Layer> layers() {
        return java.util.Set.of();
    }
}
