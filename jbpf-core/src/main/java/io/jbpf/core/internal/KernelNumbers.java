package io.jbpf.core.internal;

import java.util.function.ToIntFunction;

/** Lookup of enum constants by the kernel's number, shared by the enums that mirror kernel enums. */
public final class KernelNumbers {
    private KernelNumbers() {}

    /**
     * The constant of {@code values} whose number is {@code number}.
     *
     * @throws IllegalArgumentException naming {@code what} when there is none
     */
    public static <E extends Enum<E>> E byNumber(E[] values, ToIntFunction<E> numberOf, int number, String what) {
        for (E e : values) {
            if (numberOf.applyAsInt(e) == number) {
                return e;
            }
        }
        throw new IllegalArgumentException("unknown " + what + " number " + number);
    }
}
