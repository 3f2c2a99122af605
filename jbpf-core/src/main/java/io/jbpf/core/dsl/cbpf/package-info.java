/**
 * Classic BPF (cBPF), the filter language of {@code SO_ATTACH_FILTER} and tcpdump: the
 * instruction and program values ({@link io.jbpf.core.dsl.cbpf.CbpfInsn},
 * {@link io.jbpf.core.dsl.cbpf.CbpfProgram}, checked with the kernel's rules), an interpreter with
 * the kernel's or libpcap's semantics ({@link io.jbpf.core.dsl.cbpf.CbpfInterpreter}), the text
 * forms tcpdump prints ({@link io.jbpf.core.dsl.cbpf.CbpfText}), conversion to eBPF and attaching
 * to sockets. Nothing here makes a system call except attaching.
 */
package io.jbpf.core.dsl.cbpf;
