/**
 * An eBPF VM inside the JVM: an interpreter and a JIT over the same checked code, a memory model
 * with regions for the context, packet, stack, map values and ring buffer records (every access
 * checked), the kernel's helpers over in-memory maps, and XDP, socket-buffer and raw-memory
 * contexts laid out as the kernel's test run lays them out. Never touches the kernel.
 */
package io.jbpf.core.vm;
