package io.jbpf.maps.codec;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Stores an integral field (or integral array) big-endian, as {@code __be16}/{@code __be32}/{@code __be64} in C. Without it fields use the host's byte order.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.RECORD_COMPONENT)
public @interface NetworkOrder {
}
