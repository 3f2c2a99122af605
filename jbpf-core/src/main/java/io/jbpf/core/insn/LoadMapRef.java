package io.jbpf.core.insn;

/**
 * A reference to a map by name, to be replaced by a {@link LoadPseudo} with the map's fd when the
 * program is loaded (see {@link MapReferences}). Until then it has no encoding: encoding it throws
 * an {@link InvalidInstructionException}.
 *
 * <p>Text syntax: {@code r1 = map[name] ll} for the map itself ({@link PseudoSource#MAP_FD} once
 * resolved), {@code r1 = map_value[name] + 8 ll} for an address in its value
 * ({@link PseudoSource#MAP_VALUE}).
 *
 * @param dst     the destination
 * @param mapName the map's name: letters, digits, '_' and '.', not starting with a digit
 * @param value   false for the map, true for an address in its value
 * @param offset  the offset into the value; 0 when {@code value} is false
 */
public record LoadMapRef(Reg dst, String mapName, boolean value, int offset) implements Insn {
    /** Checks the fields. */
    public LoadMapRef {
        Check.notNull(dst, "map reference dst register");
        Check.notNull(mapName, "map name");
        if (!isValidName(mapName)) {
            throw new InvalidInstructionException("map name '" + mapName
                    + "' is not letters, digits, '_' and '.' (not starting with a digit)");
        }
        if (!value && offset != 0) {
            throw new InvalidInstructionException("map reference '" + mapName
                    + "' has offset " + offset + " but is not a value reference");
        }
    }

    /** {@code dst = map[name]}. */
    public static LoadMapRef map(Reg dst, String mapName) {
        return new LoadMapRef(dst, mapName, false, 0);
    }

    /** {@code dst = map_value[name] + offset}. */
    public static LoadMapRef value(Reg dst, String mapName, int offset) {
        return new LoadMapRef(dst, mapName, true, offset);
    }

    /** The resolved instruction, given the map's fd. */
    public LoadPseudo resolve(int fd) {
        return value ? LoadPseudo.mapValue(dst, fd, offset) : LoadPseudo.mapFd(dst, fd);
    }

    /** Whether {@code name} can be a map name in a map reference. */
    public static boolean isValidName(String name) {
        if (name == null || name.isEmpty() || Character.isDigit(name.charAt(0))) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '_' || c == '.';
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    @Override
    public int slots() {
        return 2;
    }

    @Override
    public <R> R accept(InsnVisitor<R> visitor) {
        return visitor.visit(this);
    }
}
