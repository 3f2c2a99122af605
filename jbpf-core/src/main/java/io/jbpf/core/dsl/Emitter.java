package io.jbpf.core.dsl;

import io.jbpf.core.asm.Assembler;
import io.jbpf.core.insn.Reg;
import io.jbpf.core.map.MapSpec;

/**
 * What {@link CodePredicate}s and {@link CodeAction}s get to write their instructions: the
 * assembler, the target, fresh labels and stack, and access to the headers the DSL parsed. The
 * methods that read headers may only be called for layers the program parses: those its matches
 * use and those the fragments declare in their {@code layers()}; others throw {@link DslException}.
 */
public interface Emitter {
    /** The assembler of the program; instructions added here go where the fragment is. */
    Assembler asm();

    /** The target the program is compiled for. */
    Target target();

    /** The register holding the context for the whole program ({@code R6}). */
    default Reg context() {
        return Reg.R6;
    }

    /** A label name unique in the program, starting with {@code hint}. */
    String label(String hint);

    /**
     * {@code bytes} bytes of stack (rounded up to 8) for the caller alone, as an offset from
     * {@code R10} (negative).
     *
     * @throws DslException when the program's stack would pass 512 bytes
     */
    int stack(int bytes);

    /** {@code dst = data}: the packet's first byte (direct access targets only). */
    void loadPacketStart(Reg dst);

    /** {@code dst = data_end} (direct access targets only). */
    void loadPacketEnd(Reg dst);

    /**
     * {@code dst} = a pointer to the header, checked to have {@link Layer#minLength()} bytes,
     * or a jump to {@code absent} when the packet does not have it (direct access targets only).
     */
    void headerPointer(Layer layer, Reg dst, String absent);

    /**
     * {@code dst} = the header's offset from the first byte of the frame (the Ethernet header), or
     * a jump to {@code absent}. Uses {@code dst} and {@code scratch}.
     */
    void headerOffset(Layer layer, Reg dst, Reg scratch, String absent);

    /** {@code dst} = the field's value in host order, or a jump to {@code absent}. Uses {@code dst} and may use R0 (R1 when {@code dst} is R0). */
    void loadField(Field field, Reg dst, String absent);

    /**
     * Emits the parser again, after a helper that changed packet data made the verifier forget it.
     * Uses R0–R5 and R7–R9 (the DSL's own: nothing of the caller's may be kept there anyway).
     */
    void reparse();

    /** Ends the program with {@code verdict} in {@code R0}. */
    void exitWith(int verdict);

    /** Adds a map to the program (once per name; the same spec again is fine). */
    void declareMap(MapSpec spec);

    /** Puts {@code key → value} in map {@code name} when the program is loaded. */
    void fillMap(String name, byte[] key, byte[] value);
}
