package io.jbpf.maps.codec;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A fixed-length array field: {@code @Array(16) byte[] name} is C's {@code __u8 name[16]}. Required
 * on every array component; an array being encoded must have exactly this length.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.RECORD_COMPONENT)
public @interface Array {
    /** The number of elements. */
    int value();
}
