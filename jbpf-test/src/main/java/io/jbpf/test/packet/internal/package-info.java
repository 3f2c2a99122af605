/** Internals of the packet builders: checksum arithmetic and address literals. Not API. */
package io.jbpf.test.packet.internal;
