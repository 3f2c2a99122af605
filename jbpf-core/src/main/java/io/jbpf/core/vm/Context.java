package io.jbpf.core.vm;

/**
 * What a program gets in r1, and so what kind of program it is: raw memory, an XDP frame, or a
 * socket buffer (TC or socket filter). Contexts are inputs; what the program changed comes back in
 * the {@link RunResult}.
 */
public sealed interface Context permits MemoryContext, XdpContext, SkbContext {}
