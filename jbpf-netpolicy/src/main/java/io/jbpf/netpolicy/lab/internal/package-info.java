/**
 * How the lab is made: the lab file reader, writer and rules, the {@code ip} commands that build
 * the namespaces (jbpf-core's netlink layer does not create namespaces, veths, addresses or routes
 * yet), the state directory under {@code /run/jbpf/lab}, and the start of the built-in servers.
 */
package io.jbpf.netpolicy.lab.internal;
