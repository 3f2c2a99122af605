package io.jbpf.maps.codec;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Places a field at an explicit byte offset from the start of the struct, where a C struct puts it
 * after an {@code __attribute__((aligned(n)))} or explicit reserved bytes. The offset must not overlap
 * the previous field; the bytes skipped are zero padding, and later fields continue from here.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.RECORD_COMPONENT)
public @interface Offset {
    /** The byte offset from the start of the struct. */
    int value();
}
