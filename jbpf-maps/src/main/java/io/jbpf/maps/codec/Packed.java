package io.jbpf.maps.codec;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Lays the record out as C's {@code __attribute__((packed))}: every field at alignment 1, no padding
 * between fields and none at the end.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface Packed {
}
