package io.jbpf.core.dsl;

/**
 * An action written as instructions: the extension point for blocks built on the DSL (NAT, load
 * balancing). Wrap one with {@link Dsl#code(CodeAction)}.
 *
 * <p>The register and stack contract is that of {@link CodePredicate}. The code either falls
 * through (the next action runs) or ends the program itself with {@link Emitter#exitWith(int)}
 * or its own {@code exit} with the verdict in {@code R0}. After a helper that changes packet data
 * ({@code bpf_skb_store_bytes}, {@code bpf_l4_csum_replace}, {@code bpf_xdp_adjust_head}, …) the
 * verifier forgets every packet pointer: call {@link Emitter#reparse()} before reading headers
 * again through the emitter.
 */
@FunctionalInterface
public interface CodeAction {
    /** Emits the action's code. */
    void emit(Emitter emitter);

    /** The headers the code reads through the {@link Emitter}: the program parses them. */
    default java.util.Set<Layer> layers() {
        return java.util.Set.of();
    }
}
