/**
 * ELF objects built by clang: BTF, CO-RE relocation, global data, BPF-to-BPF calls.
 *
 * <p>Not implemented yet: this module is a shell that later issues fill.
 */
package io.jbpf.loader;
