package io.jbpf.core.vm;

/** How the VM executes a program. Both give bit-identical results. */
public enum Engine {
    /** Decodes and executes one instruction at a time: starts at once, runs slower. */
    INTERPRETER,
    /** Compiles the program to a JVM class with ASM first: runs at the JVM's full speed. */
    JIT
}
