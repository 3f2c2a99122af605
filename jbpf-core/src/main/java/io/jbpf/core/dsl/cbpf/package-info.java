/**
 * Classic BPF (cBPF), the filter language of {@code SO_ATTACH_FILTER} and tcpdump.
 * <ul>
 *   <li>{@link io.jbpf.core.dsl.cbpf.CbpfInsn} and {@link io.jbpf.core.dsl.cbpf.CbpfProgram}: the
 *       instructions (opcode fields with the kernel's numbers) and programs, checked with the
 *       kernel's rules ({@code bpf_check_classic}), failures naming the instruction;</li>
 *   <li>{@link io.jbpf.core.dsl.cbpf.CbpfInterpreter}: runs a program over a
 *       {@link io.jbpf.core.dsl.cbpf.CbpfPacket} with the kernel's or libpcap's semantics;</li>
 *   <li>{@link io.jbpf.core.dsl.cbpf.CbpfText}: the text forms tcpdump prints ({@code -d},
 *       {@code -dd}, {@code -ddd}) both ways, and an assembler for the {@code -d} syntax;</li>
 *   <li>{@link io.jbpf.core.dsl.cbpf.CbpfConverter}: to eBPF, the kernel's way (LD_ABS/LD_IND) or
 *       with direct packet access for XDP and TC, whole or as a fragment to embed;</li>
 *   <li>{@link io.jbpf.core.dsl.cbpf.ClassicSocketFilter}: on a socket, as classic BPF or
 *       converted.</li>
 * </ul>
 *
 * <pre>{@code
 * // the output of `tcpdump -dd -y EN10MB 'tcp port 80'`, or CbpfText.assemble("ldh [12]\n...")
 * CbpfProgram filter = CbpfText.readDd(ddText).validate();
 * boolean hit = CbpfInterpreter.kernel().matches(filter, frame);
 * List<Insn> xdp = CbpfConverter.xdp(filter, CbpfConverter.XDP_PASS, CbpfConverter.XDP_DROP);
 * try (SocketFilter f = ClassicSocketFilter.attach(socketFd, filter)) { ... }
 * }</pre>
 *
 * <p>Only {@link io.jbpf.core.dsl.cbpf.ClassicSocketFilter} and loading converted programs make
 * system calls; everything else is pure Java.
 */
package io.jbpf.core.dsl.cbpf;
