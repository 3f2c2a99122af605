/**
 * Typed views over maps (kernel or in-memory): codecs, typed map classes, batch, iteration, ring buffer and perf readers.
 *
 * <p>Not implemented yet: this module is a shell that later issues fill.
 */
package io.jbpf.maps;
