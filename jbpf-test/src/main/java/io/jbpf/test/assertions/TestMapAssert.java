package io.jbpf.test.assertions;

import io.jbpf.test.TestMap;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import org.assertj.core.api.AbstractAssert;

/**
 * Assertions on the contents of a {@link TestMap}, by raw bytes or by integer keys and values
 * (host order; per-CPU values summed over the CPUs, see {@link TestMap}). Messages name the map,
 * the program and the engine, and list what the map holds.
 */
public class TestMapAssert extends AbstractAssert<TestMapAssert, TestMap> {
    private static final int SHOWN = 16;

    public TestMapAssert(TestMap actual) {
        super(actual, TestMapAssert.class);
    }

    /** The map has a value for {@code key}. */
    public TestMapAssert containsKey(byte[] key) {
        isNotNull();
        if (!actual.containsKey(key)) {
            failWithMessage("expected %s to contain key %s, but it does not; %s", actual.describe(), hex(key), contents());
        }
        return this;
    }

    /** The map has no value for {@code key}. */
    public TestMapAssert doesNotContainKey(byte[] key) {
        isNotNull();
        if (actual.containsKey(key)) {
            failWithMessage("expected %s not to contain key %s, but it does; %s", actual.describe(), hex(key),
                    contents());
        }
        return this;
    }

    /** The value of {@code key} is {@code expected} (all CPUs' slots, for per-CPU maps). */
    public TestMapAssert hasValue(byte[] key, byte[] expected) {
        isNotNull();
        Optional<byte[]> v = actual.get(key);
        if (v.isEmpty()) {
            failWithMessage("expected %s to hold %s at key %s, but the key is absent; %s", actual.describe(),
                    hex(expected), hex(key), contents());
        } else if (!Arrays.equals(v.get(), expected)) {
            failWithMessage("expected %s to hold%n  %s%nat key %s, but it holds%n  %s", actual.describe(),
                    hex(expected), hex(key), hex(v.get()));
        }
        return this;
    }

    /** The map has the integer key {@code key}. */
    public TestMapAssert containsKey(long key) {
        isNotNull();
        if (!actual.containsKey(key)) {
            failWithMessage("expected %s to contain key %d, but it does not; %s", actual.describe(), key, contents());
        }
        return this;
    }

    /** The map does not have the integer key {@code key}. */
    public TestMapAssert doesNotContainKey(long key) {
        isNotNull();
        if (actual.containsKey(key)) {
            failWithMessage("expected %s not to contain key %d, but it holds %d there", actual.describe(), key,
                    actual.getLong(key).orElseThrow());
        }
        return this;
    }

    /**
     * The value of integer key {@code key}, read as an unsigned integer (per-CPU maps: summed over
     * the CPUs), is {@code expected}.
     */
    public TestMapAssert hasValue(long key, long expected) {
        isNotNull();
        Optional<Long> v = actual.getLong(key);
        if (v.isEmpty()) {
            failWithMessage("expected %s to hold %d at key %d, but the key is absent; %s", actual.describe(), expected,
                    key, contents());
        } else if (v.get() != expected) {
            failWithMessage("expected %s to hold %d at key %d, but it holds %d", actual.describe(), expected, key,
                    v.get());
        }
        return this;
    }

    /** The map has {@code expected} keys (an array always has its capacity: see {@link #hasNonZeroCount}). */
    public TestMapAssert hasSize(int expected) {
        isNotNull();
        int size = actual.size();
        if (size != expected) {
            failWithMessage("expected %s to have %d keys, but it has %d; %s", actual.describe(), expected, size,
                    contents());
        }
        return this;
    }

    /** The map has no keys. */
    public TestMapAssert isEmpty() {
        return hasSize(0);
    }

    /** Exactly {@code expected} values are not all zeros (for arrays, whose every index is a key). */
    public TestMapAssert hasNonZeroCount(int expected) {
        isNotNull();
        int n = actual.nonZeroCount();
        if (n != expected) {
            failWithMessage("expected %s to have %d non-zero values, but it has %d; %s", actual.describe(), expected, n,
                    contents());
        }
        return this;
    }

    private String contents() {
        List<TestMap.Entry> entries = actual.entries();
        List<TestMap.Entry> shown = entries.stream().filter(e -> !allZero(e.value())).limit(SHOWN).toList();
        int zeros = (int) entries.stream().filter(e -> allZero(e.value())).count();
        String list = shown.stream().map(this::entry).collect(Collectors.joining(", ", "{", "}"));
        int hidden = entries.size() - zeros - shown.size();
        return "it holds " + entries.size() + " keys: " + list + (hidden > 0 ? " and " + hidden + " more" : "")
                + (zeros > 0 ? " (" + zeros + " with all-zero values not shown)" : "");
    }

    private String entry(TestMap.Entry e) {
        int ks = e.key().length;
        int vs = actual.spec().valueSize();
        boolean intKey = ks == 1 || ks == 2 || ks == 4 || ks == 8;
        boolean intValue = vs == 1 || vs == 2 || vs == 4 || vs == 8;
        if (intKey && intValue) {
            return actual.describeInt(e.key()) + "=" + actual.describeInt(e);
        }
        return e.toString();
    }

    private static boolean allZero(byte[] b) {
        for (byte x : b) {
            if (x != 0) {
                return false;
            }
        }
        return true;
    }

    private static String hex(byte[] b) {
        return HexFormat.of().formatHex(b);
    }
}
