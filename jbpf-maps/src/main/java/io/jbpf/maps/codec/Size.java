package io.jbpf.maps.codec;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The byte size of a field. On an integral component ({@code byte, short, char, int, long}) it is the
 * C integer's width (1, 2, 4 or 8): {@code @Size(2) int port} is a {@code __u16}, zero-extended on
 * decode and range-checked on encode. On any other component it is the slot size, at least the
 * natural size; the rest is zero padding.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.RECORD_COMPONENT)
public @interface Size {
    /** The size in bytes. */
    int value();
}
