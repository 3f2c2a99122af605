package io.jbpf.loader;

/**
 * A global variable of an object: where it lives in its data section.
 *
 * @param name     its C name
 * @param section  {@code .data}, {@code .rodata}, {@code .bss}, ... (also the name of the map that holds it)
 * @param offset   its byte offset in the section
 * @param size     its size in bytes
 */
public record Variable(String name, String section, int offset, int size) {
}
