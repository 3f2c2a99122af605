/**
 * JUnit 5 support for eBPF programs: one test asserts the same outcome on the VM's interpreter,
 * its JIT and the kernel.
 *
 * <ul>
 *   <li>{@link io.jbpf.test.TestProgram} — what to test: a program spec and its maps' specs.</li>
 *   <li>{@link io.jbpf.test.BpfProgramUnderTest} — that program loaded on one
 *       {@link io.jbpf.test.BpfEngine}; {@code run(packet)} gives a {@link io.jbpf.test.RunOutcome}
 *       (verdict, packet, context, redirect), {@code map(name)} a {@link io.jbpf.test.TestMap}.</li>
 *   <li>{@link io.jbpf.test.BpfTest} — the extension: one invocation per engine, skipped with the
 *       reason where the engine cannot run.</li>
 *   <li>{@link io.jbpf.test.BpfAssertions} — AssertJ assertions on outcomes, packets and maps;
 *       {@link io.jbpf.test.Verdict} names XDP and TC return values.</li>
 *   <li>{@link io.jbpf.test.packet} — packet builders and a packet parser.</li>
 * </ul>
 */
package io.jbpf.test;
