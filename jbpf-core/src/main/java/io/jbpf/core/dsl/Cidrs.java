package io.jbpf.core.dsl;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A set of address prefixes of one family. Up to {@link #INLINE_LIMIT} prefixes compile to inline
 * compares; larger sets (or any set given a map name with {@link #inMap}) to one lookup in an
 * {@code LPM_TRIE} map that the program declares and that is filled from Java when it is loaded.
 *
 * @param prefixes the prefixes, all of the same address size
 * @param mapName  the LPM trie's name when the set is a map, else empty (a name is chosen)
 */
public record Cidrs(List<Prefix> prefixes, Optional<String> mapName) {
    /** The largest set compiled to inline compares. */
    public static final int INLINE_LIMIT = 8;

    public Cidrs {
        prefixes = List.copyOf(prefixes);
        Objects.requireNonNull(mapName, "mapName");
        if (prefixes.isEmpty()) {
            throw new DslException("an empty set of prefixes");
        }
        int size = prefixes.get(0).bytes();
        for (Prefix p : prefixes) {
            if (p.bytes() != size) {
                throw new DslException("prefixes " + prefixes.get(0) + " and " + p + " are of different families");
            }
        }
    }

    /** The prefixes parsed from text ({@code "10.0.0.0/8"}, {@code "2001:db8::/32"}, hosts). */
    public static Cidrs of(String... texts) {
        List<Prefix> list = new ArrayList<>();
        for (String t : texts) {
            list.add(Prefix.parse(t));
        }
        return new Cidrs(list, Optional.empty());
    }

    /** The prefixes as they are. */
    public static Cidrs of(List<Prefix> prefixes) {
        return new Cidrs(prefixes, Optional.empty());
    }

    /** This set looked up in an LPM trie called {@code name}, however small it is. */
    public Cidrs inMap(String name) {
        return new Cidrs(prefixes, Optional.of(name));
    }

    /** The address size in bytes (4, 6 or 16). */
    public int addressBytes() {
        return prefixes.get(0).bytes();
    }

    /** Whether the set compiles to a map lookup. */
    public boolean usesMap() {
        return mapName.isPresent() || prefixes.size() > INLINE_LIMIT;
    }
}
