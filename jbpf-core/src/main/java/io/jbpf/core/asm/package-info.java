/**
 * Writing eBPF programs: the fluent {@link io.jbpf.core.asm.Assembler} with labels, the text syntax
 * of {@code llvm-objdump} read by {@link io.jbpf.core.asm.AsmParser}, and the
 * {@link io.jbpf.core.asm.Disassembler} that writes it back. Pure Java, no system calls.
 */
package io.jbpf.core.asm;
