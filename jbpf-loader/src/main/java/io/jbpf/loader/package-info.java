/**
 * Loading what clang builds: ELF objects, BTF, CO-RE relocation, global data, BPF-to-BPF calls.
 *
 * <p>So far: {@link io.jbpf.loader.elf} reads ELF64 objects of either byte order. The object API,
 * BTF and CO-RE are the loader issue's remaining work.
 */
package io.jbpf.loader;
