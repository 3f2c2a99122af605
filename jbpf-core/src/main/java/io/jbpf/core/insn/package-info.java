/**
 * The eBPF instruction set (RFC 9669, ISA v1–v4) as values: the sealed {@link io.jbpf.core.insn.Insn}
 * with one record per kind of instruction, registers, opcodes and helpers as enums carrying the
 * kernel's numbers, and {@link io.jbpf.core.insn.InsnCodec} to encode and decode in either byte
 * order. Pure Java: nothing here makes a system call.
 */
package io.jbpf.core.insn;
