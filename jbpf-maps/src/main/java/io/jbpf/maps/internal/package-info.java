/**
 * Implementation of jbpf-maps: codec classes, the record layout planner and class generator, batch
 * fallbacks, spec checks. Not an API: may change in any release. ({@link io.jbpf.maps.internal.Bytes}
 * is public only because generated codecs, defined in the user's package, call it.)
 */
package io.jbpf.maps.internal;
