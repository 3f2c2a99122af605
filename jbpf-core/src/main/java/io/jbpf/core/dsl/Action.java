package io.jbpf.core.dsl;

import java.util.Objects;

/**
 * What a rule does to a matching packet. Actions run in order; a <em>verdict</em>
 * ({@link Pass}, {@link Drop}, {@link Redirect}, {@link Verdict}) ends the program, the others
 * ({@link Count}, {@link Sample}, {@link TailCall} when the slot is empty, {@link Code}) go on to
 * the next action, and a rule whose actions end without a verdict goes on to the next rule.
 */
public sealed interface Action {

    /** Whether this action ends the program. */
    default boolean isVerdict() {
        return false;
    }

    /** Let the packet go on: {@code XDP_PASS}, {@code TC_ACT_OK}, or keep the whole packet (socket filter). */
    enum Pass implements Action {
        INSTANCE;

        @Override
        public boolean isVerdict() {
            return true;
        }
    }

    /** Drop the packet: {@code XDP_DROP}, {@code TC_ACT_SHOT}, or keep nothing (socket filter). */
    enum Drop implements Action {
        INSTANCE;

        @Override
        public boolean isVerdict() {
            return true;
        }
    }

    /**
     * {@code return bpf_redirect(ifindex, flags)}: to another interface ({@code BPF_F_INGRESS} = 1 in
     * {@code flags} for its ingress, TC only). Not for socket filters.
     */
    record Redirect(int ifindex, long flags) implements Action {
        public Redirect {
            if (ifindex <= 0) {
                throw new DslException("redirect to interface index " + ifindex);
            }
        }

        @Override
        public boolean isVerdict() {
            return true;
        }
    }

    /** Return {@code value} as it is, in the target's numbers. */
    record Verdict(int value) implements Action {
        @Override
        public boolean isVerdict() {
            return true;
        }
    }

    /**
     * Add 1 and the packet's length to slot {@code index} of the per-CPU array {@code map}, whose
     * values are two little-endian u64: packets, bytes.
     */
    record Count(String map, int index) implements Action {
        public Count {
            Objects.requireNonNull(map, "map");
            if (index < 0) {
                throw new DslException("count into " + map + " at negative index " + index);
            }
        }
    }

    /**
     * Add 1 and the packet's length to the entry of the per-CPU hash {@code map} (of at most
     * {@code maxEntries} keys) whose key is a field of the packet: exactly one of {@code field} (the
     * key is its value as a little-endian u32) and {@code address} (the key is the address bytes in
     * network order). Values are two little-endian u64: packets, bytes. A packet without the
     * field's header is not counted, nor one whose new key does not fit or that loses the race of
     * two CPUs inserting the same new key.
     */
    record CountBy(String map, Field field, AddressField address, int maxEntries) implements Action {
        public CountBy {
            Objects.requireNonNull(map, "map");
            if ((field == null) == (address == null)) {
                throw new DslException("count into " + map + " by exactly one field or address");
            }
            if (field != null && field.layer() == null) {
                throw new DslException("count into " + map + " by " + field + ": not a header field");
            }
            if (maxEntries < 1) {
                throw new DslException("count into " + map + " with " + maxEntries + " entries");
            }
        }

        /** The key's size in bytes. */
        public int keyBytes() {
            return field != null ? 4 : address.bytes();
        }

        /** The header the key is read from. */
        public Layer layer() {
            return field != null ? field.layer() : address.layer();
        }
    }

    /**
     * Send the first {@code bytes} bytes of the packet (fewer when it is shorter) to the ring buffer
     * {@code map} of {@code ringSize} bytes. A record is the packet's length as a little-endian u32
     * followed by the bytes; its size tells how many were taken.
     */
    record Sample(String map, int bytes, int ringSize) implements Action {
        /** The largest head a sample takes (it is staged on the 512-byte stack). */
        public static final int MAX_BYTES = 256;

        public Sample {
            Objects.requireNonNull(map, "map");
            if (bytes < 1 || bytes > MAX_BYTES) {
                throw new DslException("sample of " + bytes + " bytes (1.." + MAX_BYTES + ")");
            }
            if (ringSize < 4096 || Integer.bitCount(ringSize) != 1) {
                throw new DslException("ring buffer " + map + " of " + ringSize
                        + " bytes: a power of two of at least a page (4096)");
            }
        }
    }

    /** {@code bpf_tail_call(ctx, map, index)} into the program array {@code map} of {@code size} slots; an empty slot goes on. */
    record TailCall(String map, int index, int size) implements Action {
        public TailCall {
            Objects.requireNonNull(map, "map");
            if (index < 0 || index >= size) {
                throw new DslException("tail call into " + map + " at index " + index + " of " + size + " slots");
            }
        }
    }

    /** An action that emits its own instructions (see {@link CodeAction}). */
    record Code(CodeAction action) implements Action {
        public Code {
            Objects.requireNonNull(action, "action");
        }
    }
}
