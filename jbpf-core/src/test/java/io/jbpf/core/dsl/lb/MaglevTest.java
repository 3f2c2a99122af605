package io.jbpf.core.dsl.lb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * Properties of the Maglev table, over every backend count from 3 to 100 with backend names drawn at
 * random (a fixed seed per count, so a failure replays).
 */
class MaglevTest {

    static IntStream backendCounts() {
        return IntStream.rangeClosed(3, 100);
    }

    /** Random, distinct backend names (address:port) for {@code n} backends. */
    private static List<Maglev.Backend> randomBackends(int n, Random rnd) {
        List<Maglev.Backend> list = new ArrayList<>();
        java.util.Set<String> seen = new java.util.HashSet<>();
        while (list.size() < n) {
            String name = "10." + rnd.nextInt(256) + "." + rnd.nextInt(256) + "." + rnd.nextInt(256) + ":"
                    + (1 + rnd.nextInt(65535));
            if (seen.add(name)) {
                list.add(Maglev.Backend.of(name));
            }
        }
        return list;
    }

    @ParameterizedTest
    @MethodSource("backendCounts")
    void everySlotIsFilledAndSharesAreWithinOnePercentOfEven(int n) {
        Maglev m = Maglev.build(randomBackends(n, new Random(1000 + n)), Maglev.LARGE_SIZE);
        int[] table = m.table();
        assertThat(table).hasSize(65537);
        assertThat(IntStream.of(table).allMatch(b -> b >= 0 && b < n)).isTrue();
        double even = 65537.0 / n;
        int[] counts = m.counts();
        for (int i = 0; i < n; i++) {
            assertThat(Math.abs(counts[i] - even) / even)
                    .as("share of backend %d of %d (%d slots, even is %.1f)", i, n, counts[i], even)
                    .isLessThanOrEqualTo(0.01);
        }
    }

    /**
     * Removing one of N backends: the removed backend's slots must move (about M/N of them); of the
     * other slots, we assert that at most M/N change owner. Why M/N: the paper (section 3.4, figure
     * 12) shows Maglev trades perfect minimal disruption for balance, and that the extra movement is
     * a fraction of what the removed backend held; measured here it stays below 0.62·M/N for every N
     * in 3..100, so M/N — "about 1/N of the table" — is the bound with margin, while a table rebuilt
     * at random would move about (N-1)/N of it and fail at once.
     */
    @ParameterizedTest
    @MethodSource("backendCounts")
    void removingOneBackendMovesAtMostOneNthOfTheOtherSlots(int n) {
        Random rnd = new Random(2000 + n);
        List<Maglev.Backend> before = randomBackends(n, rnd);
        Maglev full = Maglev.build(before, Maglev.LARGE_SIZE);
        for (int trial = 0; trial < 2; trial++) {
            int removed = rnd.nextInt(n);
            List<Maglev.Backend> after = new ArrayList<>(before);
            after.remove(removed);
            Maglev less = Maglev.build(after, Maglev.LARGE_SIZE);
            int moved = 0;
            for (int s = 0; s < full.size(); s++) {
                if (full.slot(s) == removed) {
                    continue;
                }
                String was = before.get(full.slot(s)).name();
                String now = after.get(less.slot(s)).name();
                if (!was.equals(now)) {
                    moved++;
                }
            }
            assertThat(moved).as("slots of the %d remaining backends that moved after removing backend %d", n - 1, removed)
                    .isLessThanOrEqualTo(65537 / n);
            assertThat(IntStream.of(less.table()).allMatch(b -> b < n - 1)).isTrue();
        }
    }

    @Test
    void theTableDependsOnlyOnTheList() {
        List<Maglev.Backend> list = randomBackends(7, new Random(3));
        assertThat(Maglev.build(list, Maglev.DEFAULT_SIZE).table()).isEqualTo(Maglev.build(list, Maglev.DEFAULT_SIZE).table());
    }

    @Test
    void weightsGiveProportionalShares() {
        List<Maglev.Backend> list = List.of(new Maglev.Backend("a:1", 1), new Maglev.Backend("b:1", 2),
                new Maglev.Backend("c:1", 5));
        Maglev m = Maglev.build(list, Maglev.LARGE_SIZE);
        int[] c = m.counts();
        double unit = 65537.0 / 8;
        assertThat(Math.abs(c[0] - unit) / unit).isLessThan(0.02);
        assertThat(Math.abs(c[1] - 2 * unit) / (2 * unit)).isLessThan(0.02);
        assertThat(Math.abs(c[2] - 5 * unit) / (5 * unit)).isLessThan(0.02);
    }

    @Test
    void singleBackendOwnsEverything() {
        Maglev m = Maglev.ofNames(List.of("only:80"));
        assertThat(m.counts()).containsExactly(Maglev.DEFAULT_SIZE);
        assertThat(m.lookup(-1).name()).isEqualTo("only:80");
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 4, 16383, 65536, 100})
    void sizeMustBePrime(int size) {
        assertThatThrownBy(() -> Maglev.build(List.of(Maglev.Backend.of("a")), size))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not prime");
    }

    @Test
    void sizeMustExceedBackendCount() {
        List<Maglev.Backend> list = randomBackends(11, new Random(5));
        assertThatThrownBy(() -> Maglev.build(list, 11)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("greater than the number of backends (11)");
    }

    @Test
    void badBackendsAreRejected() {
        assertThatThrownBy(() -> Maglev.build(List.of(), 13)).hasMessageContaining("at least one backend");
        assertThatThrownBy(() -> Maglev.build(List.of(Maglev.Backend.of("x"), Maglev.Backend.of("x")), 13))
                .hasMessageContaining("'x' appears twice");
        assertThatThrownBy(() -> new Maglev.Backend("x", 0)).hasMessageContaining("weight 0");
    }
}
