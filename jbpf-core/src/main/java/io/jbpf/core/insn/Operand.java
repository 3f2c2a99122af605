package io.jbpf.core.insn;

/**
 * The source operand of an ALU operation or a conditional jump: a register ({@link Reg}, encoded
 * with {@code BPF_X}) or a 32-bit immediate ({@link Imm}, encoded with {@code BPF_K}).
 */
public sealed interface Operand permits Reg, Imm {}
