package io.jbpf.core.insn;

/**
 * Where a program refers to a map by name (a {@link LoadMapRef}).
 *
 * @param mapName the map's name
 * @param index   the position of the instruction in the list
 * @param slot    the instruction's first 8-byte slot (its byte offset / 8)
 * @param value   whether it refers to an address in the map's value rather than the map
 * @param offset  the offset into the value
 */
public record MapReference(String mapName, int index, int slot, boolean value, int offset) {}
