package io.jbpf.core.map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jbpf.core.BpfCommand;
import io.jbpf.core.BpfException;
import io.jbpf.core.Errno;
import io.jbpf.core.ObjectClosedException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

/** The in-memory maps, type by type, without a kernel. */
class MemoryMapTest {

    static byte[] u32(int v) {
        return ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt(v).array();
    }

    static byte[] u64(long v) {
        return ByteBuffer.allocate(8).order(ByteOrder.nativeOrder()).putLong(v).array();
    }

    static long u64(byte[] b, int off) {
        return ByteBuffer.wrap(b).order(ByteOrder.nativeOrder()).getLong(off);
    }

    /** An LPM key: host-order prefix length, then the address bytes. */
    static byte[] lpm(int prefixLen, int a, int b, int c, int d) {
        return ByteBuffer.allocate(8).order(ByteOrder.nativeOrder()).putInt(prefixLen)
                .put((byte) a).put((byte) b).put((byte) c).put((byte) d).array();
    }

    static void fails(ThrowingCallable call, BpfCommand cmd, Errno errno) {
        assertThatThrownBy(call).isInstanceOfSatisfying(BpfException.class, e -> {
            assertThat(e.errno()).isEqualTo(errno);
            assertThat(e.command()).isEqualTo(cmd);
        });
    }

    static List<byte[]> keys(RawMap m) {
        List<byte[]> out = new ArrayList<>();
        byte[] cur = null;
        byte[] next = new byte[m.spec().keySize()];
        while (m.nextKey(cur, next)) {
            out.add(next.clone());
            cur = next.clone();
        }
        return out;
    }

    static int errno(Errno e) {
        return -e.number();
    }

    @Test
    void hashHasTheKernelsElementSemantics() {
        MemoryMap m = MemoryMap.create(MapSpec.of("h", MapType.HASH, 4, 8, 2));
        byte[] v = new byte[8];
        assertThat(m.lookup(u32(1), v)).isFalse();
        m.update(u32(1), u64(42), MapFlags.ANY);
        assertThat(m.lookup(u32(1), v)).isTrue();
        assertThat(v).isEqualTo(u64(42));
        fails(() -> m.update(u32(1), u64(7), MapFlags.NOEXIST), BpfCommand.MAP_UPDATE_ELEM, Errno.EEXIST);
        fails(() -> m.update(u32(2), u64(7), MapFlags.EXIST), BpfCommand.MAP_UPDATE_ELEM, Errno.ENOENT);
        fails(() -> m.update(u32(2), u64(7), 3), BpfCommand.MAP_UPDATE_ELEM, Errno.EINVAL);
        fails(() -> m.update(u32(2), u64(7), MapFlags.LOCK), BpfCommand.MAP_UPDATE_ELEM, Errno.EINVAL);
        m.update(u32(2), u64(7), MapFlags.NOEXIST);
        assertThatThrownBy(() -> m.update(u32(3), u64(3), MapFlags.ANY)).isInstanceOfSatisfying(BpfException.class,
                e -> assertThat(e.errno()).isEqualTo(Errno.E2BIG)).hasMessageContaining("update in map 'h'");
        m.update(u32(2), u64(8), MapFlags.EXIST); // replacing works in a full map
        assertThat(keys(m)).containsExactly(u32(1), u32(2));
        byte[] next = new byte[4];
        assertThat(m.nextKey(u32(99), next)).isTrue(); // a missing key restarts at the first
        assertThat(next).isEqualTo(u32(1));
        assertThat(m.lookupAndDelete(u32(2), v)).isTrue();
        assertThat(v).isEqualTo(u64(8));
        assertThat(m.lookupAndDelete(u32(2), v)).isFalse();
        assertThat(m.delete(u32(1))).isTrue();
        assertThat(m.delete(u32(1))).isFalse();
        assertThat(m.nextKey(null, next)).isFalse();
    }

    @Test
    void wrongSizesAreIllegalArgumentsAsInKernelMap() {
        MemoryMap m = MemoryMap.create(MapSpec.of("sizes", MapType.HASH, 4, 8, 4));
        assertThatThrownBy(() -> m.update(new byte[3], u64(1), MapFlags.ANY))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("key is 3 bytes")
                .hasMessageContaining("keys are 4");
        assertThatThrownBy(() -> m.lookup(u32(1), new byte[4]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("values are 8");
        assertThatThrownBy(() -> m.nextKey(null, new byte[2])).isInstanceOf(IllegalArgumentException.class);
        MemoryMap pc = MemoryMap.create(MapSpec.of("pc", MapType.PERCPU_HASH, 4, 4, 4), 3);
        assertThatThrownBy(() -> pc.lookup(u32(1), new byte[4])).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("3 CPUs × 8");
        assertThatThrownBy(() -> pc.lookupForProgram(u32(1), 3)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void programLookupsReturnTheLiveValue() {
        MemoryMap m = MemoryMap.create(MapSpec.of("live", MapType.HASH, 4, 8, 4));
        assertThat(m.lookupForProgram(u32(1), 0)).isNull();
        assertThat(m.updateFromProgram(u32(1), u64(1), MapFlags.ANY, 0)).isZero();
        assertThat(m.updateFromProgram(u32(1), u64(1), MapFlags.NOEXIST, 0)).isEqualTo(errno(Errno.EEXIST));
        assertThat(m.updateFromProgram(u32(2), u64(1), MapFlags.EXIST, 0)).isEqualTo(errno(Errno.ENOENT));
        assertThat(m.updateFromProgram(u32(2), u64(1), 7, 0)).isEqualTo(errno(Errno.EINVAL));
        byte[] live = m.lookupForProgram(u32(1), 0);
        live[0] = 9;
        byte[] v = new byte[8];
        m.lookup(u32(1), v);
        assertThat(v[0]).isEqualTo((byte) 9);
        assertThat(m.deleteFromProgram(u32(1))).isZero();
        assertThat(m.deleteFromProgram(u32(1))).isEqualTo(errno(Errno.ENOENT));
        assertThat(m.push(u64(1), 0)).isEqualTo(errno(Errno.EOPNOTSUPP));
        assertThatThrownBy(() -> m.target(0)).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void perCpuHashSlotsAreLaidOutAsTheKernelsAndProgramsWriteTheirOwn() {
        MemoryMap m = MemoryMap.create(MapSpec.of("pch", MapType.PERCPU_HASH, 4, 4, 8), 3);
        assertThat(m.cpus()).isEqualTo(3);
        assertThat(m.valueBufferSize()).isEqualTo(24);
        assertThat(m.updateFromProgram(u32(1), u32(7), MapFlags.ANY, 1)).isZero();
        byte[] all = new byte[24];
        assertThat(m.lookup(u32(1), all)).isTrue();
        byte[] want = new byte[24];
        System.arraycopy(u32(7), 0, want, 8, 4);
        assertThat(all).isEqualTo(want); // new element: zeros in the other CPUs' slots
        byte[] user = new byte[24];
        for (int c = 0; c < 3; c++) {
            System.arraycopy(u32(100 + c), 0, user, c * 8, 4);
            user[c * 8 + 5] = 77; // padding is not stored
        }
        m.update(u32(1), user, MapFlags.EXIST);
        byte[] slot2 = m.lookupForProgram(u32(1), 2);
        assertThat(slot2).isEqualTo(u32(102));
        assertThat(m.updateFromProgram(u32(1), u32(5), MapFlags.EXIST, 0)).isZero();
        assertThat(slot2).isEqualTo(u32(102)); // other CPUs untouched, and updated in place
        m.lookup(u32(1), all);
        assertThat(all[5]).isZero();
        assertThat(ByteBuffer.wrap(all).order(ByteOrder.nativeOrder()).getInt(0)).isEqualTo(5);
        assertThat(ByteBuffer.wrap(all).order(ByteOrder.nativeOrder()).getInt(8)).isEqualTo(101);
    }

    @Test
    void arraysHaveEveryIndexAndRefuseDeletes() {
        MemoryMap m = MemoryMap.create(MapSpec.of("a", MapType.ARRAY, 4, 8, 3));
        byte[] v = new byte[8];
        assertThat(m.lookup(u32(2), v)).isTrue();
        assertThat(v).isEqualTo(new byte[8]);
        assertThat(m.lookup(u32(3), v)).isFalse();
        m.update(u32(2), u64(5), MapFlags.EXIST);
        fails(() -> m.update(u32(0), u64(1), MapFlags.NOEXIST), BpfCommand.MAP_UPDATE_ELEM, Errno.EEXIST);
        fails(() -> m.update(u32(3), u64(1), MapFlags.ANY), BpfCommand.MAP_UPDATE_ELEM, Errno.E2BIG);
        fails(() -> m.update(u32(-1), u64(1), MapFlags.NOEXIST), BpfCommand.MAP_UPDATE_ELEM, Errno.E2BIG);
        fails(() -> m.delete(u32(0)), BpfCommand.MAP_DELETE_ELEM, Errno.EINVAL);
        fails(() -> m.lookupAndDelete(u32(0), v), BpfCommand.MAP_LOOKUP_AND_DELETE_ELEM, Errno.ENOTSUPP);
        assertThat(keys(m)).containsExactly(u32(0), u32(1), u32(2));
        byte[] next = new byte[4];
        assertThat(m.nextKey(u32(7), next)).isTrue();
        assertThat(next).isEqualTo(u32(0));
        byte[] live = m.lookupForProgram(u32(2), 0);
        assertThat(live).isEqualTo(u64(5));
        assertThat(m.updateFromProgram(u32(2), u64(6), MapFlags.ANY, 0)).isZero();
        assertThat(live).isEqualTo(u64(6)); // arrays update in place
        assertThat(m.lookupForProgram(u32(3), 0)).isNull();
        assertThat(m.deleteFromProgram(u32(0))).isEqualTo(errno(Errno.EINVAL));
    }

    @Test
    void perCpuArraysWriteOneSlotFromPrograms() {
        MemoryMap m = MemoryMap.create(MapSpec.of("pa", MapType.PERCPU_ARRAY, 4, 8, 2), 2);
        m.lookupForProgram(u32(1), 1)[0] = 3;
        assertThat(m.updateFromProgram(u32(1), u64(4), MapFlags.ANY, 0)).isZero();
        byte[] all = new byte[16];
        m.lookup(u32(1), all);
        assertThat(u64(all, 0)).isEqualTo(4);
        assertThat(all[8]).isEqualTo((byte) 3);
    }

    @Test
    void lruHashEvictsTheLeastRecentlyUsed() {
        MemoryMap m = MemoryMap.create(MapSpec.of("lru", MapType.LRU_HASH, 4, 8, 3));
        for (int i = 1; i <= 3; i++) {
            m.update(u32(i), u64(i), MapFlags.ANY);
        }
        assertThat(m.lookupForProgram(u32(1), 0)).isNotNull(); // 1 used: 2 is now the oldest
        m.update(u32(4), u64(4), MapFlags.ANY);
        byte[] v = new byte[8];
        assertThat(m.lookup(u32(2), v)).isFalse();
        assertThat(m.lookup(u32(3), v)).isTrue(); // user lookups do not count as use
        m.update(u32(5), u64(5), MapFlags.ANY);
        assertThat(m.lookup(u32(3), v)).isFalse();
        assertThat(keys(m)).hasSize(3);
        fails(() -> m.update(u32(9), u64(1), MapFlags.EXIST), BpfCommand.MAP_UPDATE_ELEM, Errno.ENOENT);
        fails(() -> MemoryMap.create(MapSpec.of("lru", MapType.LRU_HASH, 4, 8, 3).withFlags(MapFlags.NO_PREALLOC)),
                BpfCommand.MAP_CREATE, Errno.ENOTSUPP);
        fails(() -> MemoryMap.create(MapSpec.of("h", MapType.HASH, 4, 8, 3).withFlags(MapFlags.NO_COMMON_LRU)),
                BpfCommand.MAP_CREATE, Errno.EINVAL);
    }

    @Test
    void lruPerCpuWithoutCommonLruHasAtLeastOneEntryPerCpu() {
        MemoryMap m = MemoryMap.create(MapSpec.of("lrupc", MapType.LRU_PERCPU_HASH, 4, 8, 3)
                .withFlags(MapFlags.NO_COMMON_LRU), 4);
        for (int i = 0; i < 4; i++) {
            assertThat(m.updateFromProgram(u32(i), u64(i), MapFlags.ANY, i)).isZero();
        }
        assertThat(keys(m)).hasSize(4); // 3 rounded up to a multiple of 4 CPUs
        m.update(u32(9), new byte[32], MapFlags.ANY);
        assertThat(keys(m)).hasSize(4);
        assertThat(m.lookupForProgram(u32(0), 0)).isNull();
    }

    @Test
    void lpmTrieFindsTheLongestPrefix() {
        MapSpec spec = MapSpec.of("lpm", MapType.LPM_TRIE, 8, 8, 3);
        fails(() -> MemoryMap.create(spec), BpfCommand.MAP_CREATE, Errno.EINVAL); // NO_PREALLOC is required
        MemoryMap m = MemoryMap.create(spec.withFlags(MapFlags.NO_PREALLOC));
        m.update(lpm(8, 10, 0, 0, 0), u64(8), MapFlags.ANY);
        m.update(lpm(24, 10, 1, 2, 99), u64(24), MapFlags.ANY); // bits after the prefix do not count
        byte[] v = new byte[8];
        assertThat(m.lookup(lpm(32, 10, 1, 2, 3), v)).isTrue();
        assertThat(u64(v, 0)).isEqualTo(24);
        assertThat(m.lookup(lpm(32, 10, 9, 2, 3), v)).isTrue();
        assertThat(u64(v, 0)).isEqualTo(8);
        assertThat(m.lookup(lpm(16, 10, 1, 2, 3), v)).isTrue(); // the key's own prefix length limits the match
        assertThat(u64(v, 0)).isEqualTo(8);
        assertThat(m.lookup(lpm(32, 11, 1, 2, 3), v)).isFalse();
        assertThat(m.lookup(lpm(33, 10, 1, 2, 3), v)).isFalse();
        assertThat(u64(m.lookupForProgram(lpm(32, 10, 1, 2, 7), 0), 0)).isEqualTo(24);
        fails(() -> m.update(lpm(24, 10, 1, 2, 0), u64(1), MapFlags.NOEXIST), BpfCommand.MAP_UPDATE_ELEM, Errno.EEXIST);
        fails(() -> m.update(lpm(16, 10, 1, 0, 0), u64(1), MapFlags.EXIST), BpfCommand.MAP_UPDATE_ELEM, Errno.ENOENT);
        fails(() -> m.update(lpm(33, 10, 1, 0, 0), u64(1), MapFlags.ANY), BpfCommand.MAP_UPDATE_ELEM, Errno.EINVAL);
        m.update(lpm(0, 0, 0, 0, 0), u64(0), MapFlags.ANY);
        fails(() -> m.update(lpm(16, 10, 1, 0, 0), u64(1), MapFlags.ANY), BpfCommand.MAP_UPDATE_ELEM, Errno.ENOSPC);
        m.update(lpm(24, 10, 1, 2, 0), u64(25), MapFlags.ANY); // replacing works when full
        assertThat(m.lookup(lpm(32, 200, 1, 2, 3), v)).isTrue();
        assertThat(u64(v, 0)).isZero();
        Set<Integer> prefixes = new HashSet<>();
        for (byte[] k : keys(m)) {
            prefixes.add(ByteBuffer.wrap(k).order(ByteOrder.nativeOrder()).getInt(0));
        }
        assertThat(prefixes).containsExactlyInAnyOrder(0, 8, 24);
        assertThat(m.delete(lpm(24, 10, 1, 3, 0))).isFalse(); // deletes match exactly
        assertThat(m.delete(lpm(24, 10, 1, 2, 0))).isTrue();
        fails(() -> m.delete(lpm(40, 10, 1, 2, 0)), BpfCommand.MAP_DELETE_ELEM, Errno.EINVAL);
        fails(() -> m.lookupAndDelete(lpm(8, 10, 0, 0, 0), v), BpfCommand.MAP_LOOKUP_AND_DELETE_ELEM, Errno.ENOTSUPP);
    }

    @Test
    void queuesAndStacks() {
        MemoryMap q = MemoryMap.create(MapSpec.of("q", MapType.QUEUE, 0, 4, 2));
        MemoryMap s = MemoryMap.create(MapSpec.of("s", MapType.STACK, 0, 4, 2));
        for (MemoryMap m : List.of(q, s)) {
            byte[] v = new byte[4];
            assertThat(m.pop(v)).isEqualTo(errno(Errno.ENOENT));
            assertThat(m.lookup(null, v)).isFalse();
            assertThat(m.push(u32(1), MapFlags.ANY)).isZero();
            m.update(null, u32(2), MapFlags.ANY);
            assertThat(m.push(u32(3), MapFlags.ANY)).isEqualTo(errno(Errno.E2BIG));
            assertThat(m.push(u32(3), MapFlags.NOEXIST)).isEqualTo(errno(Errno.EINVAL));
            fails(() -> m.update(null, u32(3), MapFlags.ANY), BpfCommand.MAP_UPDATE_ELEM, Errno.E2BIG);
            assertThat(m.push(u32(3), MapFlags.EXIST)).isZero(); // drops the oldest: 1
            fails(() -> m.delete(null), BpfCommand.MAP_DELETE_ELEM, Errno.EINVAL);
            fails(() -> m.nextKey(null, new byte[0]), BpfCommand.MAP_GET_NEXT_KEY, Errno.EINVAL);
            assertThat(m.updateFromProgram(null, u32(1), 0, 0)).isEqualTo(errno(Errno.EINVAL));
        }
        byte[] v = new byte[4];
        assertThat(q.peek(v)).isZero();
        assertThat(v).isEqualTo(u32(2));
        assertThat(q.lookupAndDelete(null, v)).isTrue();
        assertThat(v).isEqualTo(u32(2));
        assertThat(q.pop(v)).isZero();
        assertThat(v).isEqualTo(u32(3));
        assertThat(s.lookup(null, v)).isTrue();
        assertThat(v).isEqualTo(u32(3));
        assertThat(s.pop(v)).isZero();
        assertThat(v).isEqualTo(u32(3));
        assertThat(s.pop(v)).isZero();
        assertThat(v).isEqualTo(u32(2));
        assertThat(s.lookupAndDelete(null, v)).isFalse();
    }

    @Test
    void bloomFilterHasNoFalseNegatives() {
        MemoryMap b = MemoryMap.create(MapSpec.of("b", MapType.BLOOM_FILTER, 0, 8, 100).withMapExtra(3));
        for (int i = 0; i < 100; i++) {
            assertThat(b.push(u64(i * 7919L), MapFlags.ANY)).isZero();
        }
        int falsePositives = 0;
        for (int i = 0; i < 100; i++) {
            assertThat(b.peek(u64(i * 7919L))).isZero();
            assertThat(b.lookup(null, u64(i * 7919L))).isTrue();
            if (b.peek(u64(-1 - i)) == 0) {
                falsePositives++;
            }
        }
        assertThat(falsePositives).isLessThan(20);
        assertThat(b.push(u64(1), MapFlags.EXIST)).isEqualTo(errno(Errno.EINVAL));
        fails(() -> b.update(null, u64(1), MapFlags.NOEXIST), BpfCommand.MAP_UPDATE_ELEM, Errno.EINVAL);
        fails(() -> b.delete(null), BpfCommand.MAP_DELETE_ELEM, Errno.EOPNOTSUPP);
        assertThat(b.pop(new byte[8])).isEqualTo(errno(Errno.EOPNOTSUPP));
        fails(() -> MemoryMap.create(MapSpec.of("b", MapType.BLOOM_FILTER, 0, 8, 100).withMapExtra(16)),
                BpfCommand.MAP_CREATE, Errno.EINVAL);
    }

    @Test
    void ringBufferAccountsAsTheKernel() {
        fails(() -> MemoryMap.create(MapSpec.of("rb", MapType.RINGBUF, 0, 0, 4096).withFlags(MapFlags.NO_PREALLOC)),
                BpfCommand.MAP_CREATE, Errno.EINVAL);
        assertThatThrownBy(() -> MemoryMap.create(MapSpec.of("rb", MapType.RINGBUF, 0, 0, 4096 * 3)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("power of two");
        assertThatThrownBy(() -> MemoryMap.create(MapSpec.of("rb", MapType.RINGBUF, 0, 0, 1024)))
                .isInstanceOf(IllegalArgumentException.class);
        MemoryRingBuffer rb = (MemoryRingBuffer) MemoryMap.create(MapSpec.of("rb", MapType.RINGBUF, 0, 0, 4096));
        byte[] a = rb.reserve(5);
        assertThat(a).hasSize(5);
        assertThat(rb.available()).isEqualTo(16); // 8-byte header + 5 rounded up to 8
        byte[] b = rb.reserve(100);
        b[0] = 1;
        rb.submit(b);
        assertThat(rb.drain()).isEmpty(); // a is still reserved: b waits for it
        rb.discard(a);
        assertThatThrownBy(() -> rb.submit(a)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> rb.submit(new byte[5])).isInstanceOf(IllegalStateException.class);
        List<byte[]> got = rb.drain();
        assertThat(got).hasSize(1);
        assertThat(got.get(0)).isSameAs(b);
        assertThat(rb.available()).isZero();
        assertThat(rb.reserve(4089)).isNull(); // 4089 + 8 > 4096
        assertThat(rb.reserve(4088 - 8)).isNotNull(); // 4088 in use: at most capacity - 1
        assertThat(rb.reserve(0)).isNull();
        assertThat(rb.output(new byte[1])).isEqualTo(errno(Errno.EAGAIN));
        assertThat(rb.dropped()).isEqualTo(3);
        fails(() -> rb.lookup(null, new byte[0]), BpfCommand.MAP_LOOKUP_ELEM, Errno.ENOTSUPP);
        MemoryRingBuffer rb2 = MemoryRingBuffer.create("rb2", 8192);
        assertThat(rb2.output(new byte[] {1, 2, 3})).isZero();
        assertThat(rb2.output(new byte[] {4})).isZero();
        assertThat(rb2.drain()).containsExactly(new byte[] {1, 2, 3}, new byte[] {4});
    }

    @Test
    void progArraysAndMapsOfMapsHoldTargets() {
        MemoryMap progs = MemoryMap.create(MapSpec.of("progs", MapType.PROG_ARRAY, 4, 4, 4));
        Object prog = new Object();
        progs.setTarget(1, prog);
        assertThat(progs.target(1)).isSameAs(prog);
        assertThat(progs.target(0)).isNull();
        assertThat(progs.target(99)).isNull();
        fails(() -> progs.setTarget(4, prog), BpfCommand.MAP_UPDATE_ELEM, Errno.E2BIG);
        assertThat(progs.lookup(u32(1), new byte[4])).isTrue();
        assertThatThrownBy(() -> progs.update(u32(1), u32(3), MapFlags.ANY))
                .isInstanceOf(UnsupportedOperationException.class).hasMessageContaining("setTarget");
        assertThat(progs.clearTarget(1)).isTrue();
        assertThat(progs.clearTarget(1)).isFalse();
        assertThat(keys(progs)).hasSize(4);

        MapSpec inner = MapSpec.of("inner", MapType.HASH, 4, 8, 16);
        fails(() -> MemoryMap.create(MapSpec.of("aom", MapType.ARRAY_OF_MAPS, 4, 4, 2)), BpfCommand.MAP_CREATE,
                Errno.EBADF);
        MemoryMap aom = MemoryMap.create(MapSpec.of("aom", MapType.ARRAY_OF_MAPS, 4, 4, 2).withInnerMap(inner));
        MemoryMap in = MemoryMap.create(inner);
        aom.setTarget(0, in);
        assertThat(aom.target(0)).isSameAs(in);
        byte[] id = new byte[4];
        assertThat(aom.lookup(u32(0), id)).isTrue();
        assertThat(id).isEqualTo(u32(in.id()));
        fails(() -> aom.setTarget(1, MemoryMap.create(inner.withMaxEntries(8))), BpfCommand.MAP_UPDATE_ELEM, Errno.EINVAL);

        MemoryMap hom = MemoryMap.create(MapSpec.of("hom", MapType.HASH_OF_MAPS, 8, 4, 1).withInnerMap(inner));
        hom.setTarget(u64(5), in);
        assertThat(hom.target(u64(5))).isSameAs(in);
        fails(() -> hom.setTarget(u64(6), in), BpfCommand.MAP_UPDATE_ELEM, Errno.E2BIG);
        assertThat(keys(hom)).containsExactly(u64(5));
        assertThat(hom.clearTarget(u64(5))).isTrue();
        assertThat(hom.target(u64(5))).isNull();
        assertThatThrownBy(() -> hom.target(1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void accessFlagsAndFreeze() {
        MapSpec spec = MapSpec.of("acc", MapType.HASH, 4, 8, 4);
        MemoryMap ro = MemoryMap.create(spec.withFlags(MapFlags.RDONLY));
        fails(() -> ro.update(u32(1), u64(1), MapFlags.ANY), BpfCommand.MAP_UPDATE_ELEM, Errno.EPERM);
        fails(() -> ro.delete(u32(1)), BpfCommand.MAP_DELETE_ELEM, Errno.EPERM);
        assertThat(ro.updateFromProgram(u32(1), u64(1), MapFlags.ANY, 0)).isZero();
        assertThat(ro.lookup(u32(1), new byte[8])).isTrue();
        MemoryMap wo = MemoryMap.create(spec.withFlags(MapFlags.WRONLY));
        wo.update(u32(1), u64(1), MapFlags.ANY);
        fails(() -> wo.lookup(u32(1), new byte[8]), BpfCommand.MAP_LOOKUP_ELEM, Errno.EPERM);
        fails(() -> wo.nextKey(null, new byte[4]), BpfCommand.MAP_GET_NEXT_KEY, Errno.EPERM);
        fails(() -> MemoryMap.create(spec.withFlags(MapFlags.RDONLY | MapFlags.WRONLY)), BpfCommand.MAP_CREATE,
                Errno.EINVAL);
        MemoryMap rop = MemoryMap.create(spec.withFlags(MapFlags.RDONLY_PROG));
        rop.update(u32(1), u64(1), MapFlags.ANY);
        assertThat(rop.updateFromProgram(u32(1), u64(2), MapFlags.ANY, 0)).isEqualTo(errno(Errno.EACCES));
        assertThat(rop.deleteFromProgram(u32(1))).isEqualTo(errno(Errno.EACCES));
        assertThat(rop.lookupForProgram(u32(1), 0)).isEqualTo(u64(1));
        MemoryMap f = MemoryMap.create(spec);
        f.update(u32(1), u64(1), MapFlags.ANY);
        f.freeze();
        assertThat(f.frozen()).isTrue();
        fails(() -> f.update(u32(1), u64(1), MapFlags.ANY), BpfCommand.MAP_UPDATE_ELEM, Errno.EPERM);
        fails(f::freeze, BpfCommand.MAP_FREEZE, Errno.EPERM);
        assertThat(f.updateFromProgram(u32(2), u64(2), MapFlags.ANY, 0)).isZero();
        assertThat(f.lookup(u32(2), new byte[8])).isTrue();
        f.close();
        assertThatThrownBy(() -> f.lookup(u32(2), new byte[8])).isInstanceOf(ObjectClosedException.class);
        assertThat(f.lookupForProgram(u32(2), 0)).isNotNull();
    }

    @Test
    void specsTheKernelRefusesAreRefused() {
        fails(() -> MemoryMap.create(MapSpec.of("z", MapType.HASH, 0, 8, 4)), BpfCommand.MAP_CREATE, Errno.EINVAL);
        fails(() -> MemoryMap.create(MapSpec.of("z", MapType.HASH, 4, 8, 0)), BpfCommand.MAP_CREATE, Errno.EINVAL);
        fails(() -> MemoryMap.create(MapSpec.of("z", MapType.ARRAY, 8, 8, 4)), BpfCommand.MAP_CREATE, Errno.EINVAL);
        fails(() -> MemoryMap.create(MapSpec.of("z", MapType.ARRAY, 4, 8, 4).withFlags(MapFlags.NO_PREALLOC)),
                BpfCommand.MAP_CREATE, Errno.EINVAL);
        fails(() -> MemoryMap.create(MapSpec.of("z", MapType.QUEUE, 4, 8, 4)), BpfCommand.MAP_CREATE, Errno.EINVAL);
        assertThatThrownBy(() -> MemoryMap.create(MapSpec.of("z", MapType.DEVMAP, 4, 4, 4)))
                .isInstanceOf(UnsupportedOperationException.class).hasMessageContaining("DEVMAP");
        assertThatThrownBy(() -> MemoryMap.create(MapSpec.of("z", MapType.HASH, 4, 8, 4), 0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(MemoryMap.create(MapSpec.of("z", MapType.PERCPU_ARRAY, 4, 4, 1)).cpus()).isPositive();
    }

    @Test
    void concurrentProgramUpdatesAreNotLost() throws Exception {
        MemoryMap m = MemoryMap.create(MapSpec.of("conc", MapType.HASH, 4, 8, 1024));
        Thread[] ts = new Thread[4];
        for (int t = 0; t < ts.length; t++) {
            int base = t * 256;
            ts[t] = new Thread(() -> {
                for (int i = 0; i < 256; i++) {
                    assertThat(m.updateFromProgram(u32(base + i), u64(i), MapFlags.NOEXIST, 0)).isZero();
                }
            });
            ts[t].start();
        }
        for (Thread t : ts) {
            t.join();
        }
        assertThat(keys(m)).hasSize(1024);
    }

    @Test
    void lookupsInPlaceFindWhatLookupsOfACopyFind() {
        for (MapType t : List.of(MapType.HASH, MapType.PERCPU_HASH, MapType.LRU_HASH, MapType.LRU_PERCPU_HASH,
                MapType.ARRAY, MapType.PERCPU_ARRAY)) {
            boolean array = t == MapType.ARRAY || t == MapType.PERCPU_ARRAY;
            for (int keySize : array ? new int[] {4} : new int[] {1, 4, 8, 9, 16}) {
                MemoryMap m = MemoryMap.create(MapSpec.of("inplace", t, keySize, 8, 64), 2);
                java.util.Random rnd = new java.util.Random(keySize);
                List<byte[]> keys = new ArrayList<>();
                for (int i = 0; i < 40; i++) {
                    byte[] k = new byte[keySize];
                    rnd.nextBytes(k);
                    if (array) {
                        k = u32(rnd.nextInt(80)); // some out of range
                    }
                    keys.add(k);
                    if (i % 2 == 0) {
                        m.updateFromProgram(k, u64(i), MapFlags.ANY, i % 2);
                    }
                }
                for (byte[] k : keys) {
                    byte[] memory = new byte[keySize + 7];
                    rnd.nextBytes(memory);
                    System.arraycopy(k, 0, memory, 5, keySize);
                    for (int cpu = 0; cpu < 2; cpu++) {
                        assertThat(m.lookupForProgram(memory, 5, cpu)).as("%s, key size %d", t, keySize)
                                .isSameAs(m.lookupForProgram(k, cpu));
                    }
                }
                assertThatThrownBy(() -> m.lookupForProgram(new byte[keySize + 1], 2, 0))
                        .isInstanceOf(IndexOutOfBoundsException.class);
                assertThatThrownBy(() -> m.lookupForProgram(new byte[keySize], 0, 2))
                        .isInstanceOf(IllegalArgumentException.class);
            }
        }
    }

    @Test
    void lookupsWithoutTheLockSeeEveryKeyThatStaysWhileOthersComeAndGo() throws Exception {
        // lookups from programs take no lock on a hash map: a key that is never removed must be
        // found all along while other keys are added (growing the table) and deleted
        MemoryMap m = MemoryMap.create(MapSpec.of("rcu", MapType.HASH, 8, 8, 100_000));
        for (int i = 0; i < 64; i++) {
            assertThat(m.updateFromProgram(u64(i), u64(i), MapFlags.ANY, 0)).isZero();
        }
        java.util.concurrent.atomic.AtomicBoolean done = new java.util.concurrent.atomic.AtomicBoolean();
        Thread writer = new Thread(() -> {
            for (int round = 0; round < 20; round++) {
                for (int i = 1000; i < 6000; i++) {
                    m.updateFromProgram(u64(i), u64(i), MapFlags.ANY, 0);
                }
                for (int i = 1000; i < 6000; i++) {
                    m.deleteFromProgram(u64(i));
                }
            }
            done.set(true);
        });
        writer.start();
        long misses = 0;
        long lookups = 0;
        byte[] memory = new byte[16];
        while (!done.get()) {
            for (int i = 0; i < 64; i++) {
                ByteBuffer.wrap(memory).order(ByteOrder.nativeOrder()).putLong(4, i);
                byte[] v = m.lookupForProgram(memory, 4, 0);
                lookups++;
                if (v == null || u64(v, 0) != i) {
                    misses++;
                }
            }
        }
        writer.join();
        assertThat(lookups).isPositive();
        assertThat(misses).isZero();
        assertThat(keys(m)).hasSize(64);
    }
}
