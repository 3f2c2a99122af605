package io.jbpf.core.insn;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** Indexes of {@link Helper} by number and name, and the close-match suggestion for typos. */
final class HelperLookup {
    private static final Map<Integer, Helper> BY_ID = new HashMap<>();
    private static final Map<String, Helper> BY_NAME = new HashMap<>();

    static {
        for (Helper h : Helper.values()) {
            BY_ID.put(h.id(), h);
            BY_NAME.put(h.cName().substring(4), h);
        }
    }

    private HelperLookup() {}

    static Optional<Helper> find(int id) {
        return Optional.ofNullable(BY_ID.get(id));
    }

    static Helper byId(int id) {
        Helper h = BY_ID.get(id);
        if (h == null) {
            throw new UnknownHelperException(Integer.toString(id), null);
        }
        return h;
    }

    static Optional<Helper> find(String name) {
        return name == null ? Optional.empty() : Optional.ofNullable(BY_NAME.get(shortName(name)));
    }

    static Helper byName(String name) {
        if (name == null) {
            throw new UnknownHelperException("null", null);
        }
        Helper h = BY_NAME.get(shortName(name));
        if (h == null) {
            throw new UnknownHelperException(name, closest(shortName(name)));
        }
        return h;
    }

    private static String shortName(String name) {
        String n = name.trim();
        if (n.startsWith("BPF_FUNC_")) {
            return n.substring("BPF_FUNC_".length());
        }
        if (n.startsWith("bpf_")) {
            return n.substring(4);
        }
        return n.toLowerCase(Locale.ROOT);
    }

    /** The helper whose short name is within a third of its length in edit distance, or null. */
    private static Helper closest(String name) {
        Helper best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (Map.Entry<String, Helper> e : BY_NAME.entrySet()) {
            int d = distance(name, e.getKey());
            if (d < bestDistance || (d == bestDistance && e.getValue().id() < best.id())) {
                best = e.getValue();
                bestDistance = d;
            }
        }
        return bestDistance <= Math.max(2, name.length() / 3) ? best : null;
    }

    /** Levenshtein distance. */
    static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int sub = prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                cur[j] = Math.min(sub, Math.min(prev[j] + 1, cur[j - 1] + 1));
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
