/** The headers of the packet DSL and their fields by name ({@code ipv4().src()}, {@code tcp().flags()}). */
package io.jbpf.core.dsl.header;
