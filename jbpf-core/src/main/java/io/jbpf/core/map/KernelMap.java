package io.jbpf.core.map;

import io.jbpf.core.BpfCommand;
import io.jbpf.core.BpfException;
import io.jbpf.core.Errno;
import io.jbpf.core.JbpfException;
import io.jbpf.core.internal.sys.Bpf;
import io.jbpf.core.internal.sys.BpfAttr;
import io.jbpf.core.internal.sys.BtfLoad;
import io.jbpf.core.internal.sys.CallFrame;
import io.jbpf.core.internal.sys.Cpus;
import io.jbpf.core.internal.sys.Fd;
import io.jbpf.core.internal.sys.NativeBuffer;
import io.jbpf.core.internal.sys.Scratch;
import io.jbpf.core.internal.sys.ObjectInfo;
import io.jbpf.core.btf.Btf;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Optional;
import java.util.function.BiConsumer;
import java.nio.charset.StandardCharsets;

/** A map in the kernel: owns its fd. Thread-safe: the kernel serialises element operations. */
public final class KernelMap implements RawMap {
    private final Fd fd;
    private final MapSpec spec;
    private final int id;
    private final int valueBufferSize;
    private final MapInfo created;

    private KernelMap(Fd fd, MapSpec spec, MapInfo info) {
        this.fd = fd;
        this.spec = spec;
        this.id = info.id();
        this.created = info;
        this.valueBufferSize = Buffers.valueBufferSize(spec, Cpus.possible());
    }

    /**
     * Creates the map {@code spec} describes. For a map of maps, a template inner map is created
     * from {@link MapSpec#innerMap()} for the kernel to copy its shape from, and closed again.
     *
     * @throws IllegalArgumentException for a {@link MapType#STRUCT_OPS} spec without
     *         {@link MapSpec#kernelValueTypeId()}, instead of the kernel's bare EINVAL
     */
    public static KernelMap create(MapSpec spec) {
        if (spec.type() == MapType.STRUCT_OPS && spec.kernelValueTypeId() == 0) {
            throw new IllegalArgumentException("map '" + spec.name() + "': a STRUCT_OPS map's value is a kernel struct"
                    + " named by its id in the kernel's BTF (e.g. struct bpf_struct_ops_tcp_congestion_ops): give it"
                    + " with MapSpec.withKernelValueType, or load the object that defines it (SEC(\".struct_ops\"))"
                    + " with jbpf-loader");
        }
        if (spec.innerMap() != null) {
            try (KernelMap template = create(spec.innerMap())) {
                return create(spec, template.fd());
            }
        }
        return create(spec, -1);
    }

    /** BTF of one type ({@code int}), for the BTF fd a STRUCT_OPS map must come with. */
    private static final java.util.function.Supplier<byte[]> MINIMAL_BTF = () -> io.jbpf.core.btf.BtfWriter.write(
            java.util.List.of(new io.jbpf.core.btf.BtfType.Void(),
                    new io.jbpf.core.btf.BtfType.Int(1, "int", 4, true, false, false, 0, 32)),
            java.nio.ByteOrder.nativeOrder());

    private static KernelMap create(MapSpec spec, int innerFd) {
        if (spec.btf() == null && spec.kernelValueTypeId() == 0) {
            return create(spec, innerFd, null);
        }
        // the map keeps its own reference to the BTF: ours goes once the map exists. A STRUCT_OPS map
        // needs a BTF fd even though its value type is the kernel's: any BTF will do
        byte[] raw = spec.btf() != null ? spec.btf().btf() : MINIMAL_BTF.get();
        try (Fd btf = BtfLoad.load(raw, "BTF of map '" + spec.name() + "'")) {
            return create(spec, innerFd, btf);
        }
    }

    private static KernelMap create(MapSpec spec, int innerFd, Fd btf) {
        NativeBuffer a = Bpf.attr(BpfAttr.MapCreate.SIZE);
        ByteBuffer b = a.buffer();
        b.putInt(BpfAttr.MapCreate.MAP_TYPE, spec.type().number());
        b.putInt(BpfAttr.MapCreate.KEY_SIZE, spec.keySize());
        b.putInt(BpfAttr.MapCreate.VALUE_SIZE, spec.valueSize());
        b.putInt(BpfAttr.MapCreate.MAX_ENTRIES, spec.maxEntries());
        b.putInt(BpfAttr.MapCreate.MAP_FLAGS, spec.flags() | (spec.numaNode() >= 0 ? MapFlags.NUMA_NODE : 0));
        if (innerFd >= 0) {
            b.putInt(BpfAttr.MapCreate.INNER_MAP_FD, innerFd);
        }
        if (spec.numaNode() >= 0) {
            b.putInt(BpfAttr.MapCreate.NUMA_NODE, spec.numaNode());
        }
        b.put(BpfAttr.MapCreate.MAP_NAME, spec.name().getBytes(StandardCharsets.US_ASCII));
        b.putLong(BpfAttr.MapCreate.MAP_EXTRA, spec.mapExtra());
        if (btf != null && spec.kernelValueTypeId() != 0) {
            b.putInt(BpfAttr.MapCreate.BTF_FD, btf.get());
        } else if (btf != null) {
            b.putInt(BpfAttr.MapCreate.BTF_FD, btf.get());
            b.putInt(BpfAttr.MapCreate.BTF_KEY_TYPE_ID, spec.btf().keyTypeId());
            b.putInt(BpfAttr.MapCreate.BTF_VALUE_TYPE_ID, spec.btf().valueTypeId());
        }
        if (spec.kernelValueTypeId() != 0) {
            b.putInt(BpfAttr.MapCreate.BTF_VMLINUX_VALUE_TYPE_ID, spec.kernelValueTypeId());
        }
        String what = "map '" + spec.name() + "' (" + spec.type() + ")";
        Fd fd = Bpf.callForFd(BpfCommand.MAP_CREATE, a, BpfAttr.MapCreate.SIZE, what);
        try {
            return new KernelMap(fd, spec, MapInfo.of(fd));
        } catch (RuntimeException e) {
            fd.close();
            throw e;
        }
    }

    /** Takes ownership of an fd that refers to a map (from a pin, an id or another process). */
    public static KernelMap adopt(Fd fd) {
        try {
            MapInfo info = MapInfo.of(fd);
            return new KernelMap(fd, info.spec(), info);
        } catch (RuntimeException e) {
            fd.close();
            throw e;
        }
    }

    /** Opens the map with kernel id {@code id}. */
    public static KernelMap fromId(int id) {
        NativeBuffer a = Bpf.attr(BpfAttr.GetId.SIZE);
        a.buffer().putInt(BpfAttr.GetId.ID, id);
        return adopt(Bpf.callForFd(BpfCommand.MAP_GET_FD_BY_ID, a, BpfAttr.GetId.SIZE, "map id " + id));
    }

    /** Opens a map pinned in bpffs at {@code path}. */
    public static KernelMap openPinned(String path) {
        return adopt(ObjectInfo.openPinned(path, "map"));
    }

    /**
     * Opens a map pinned at {@code path} and checks that it is the map {@code expected} describes
     * (type, key and value sizes, capacity, flags; not the name).
     *
     * @throws JbpfException naming what differs; the opened fd is closed again
     */
    public static KernelMap openPinned(String path, MapSpec expected) {
        KernelMap m = openPinned(path);
        if (!m.spec().compatibleWith(expected)) {
            MapSpec got = m.spec();
            m.close();
            throw new JbpfException("the map pinned at " + path + " is " + describe(got) + ", not the expected "
                    + describe(expected));
        }
        return m;
    }

    private static String describe(MapSpec s) {
        return s.type() + " with " + s.keySize() + "-byte keys, " + s.valueSize() + "-byte values, "
                + s.maxEntries() + " entries, flags 0x" + Integer.toHexString(s.flags());
    }

    @Override
    public MapSpec spec() {
        return spec;
    }

    /** The kernel's id for this map. */
    public int id() {
        return id;
    }

    /** The fd number, for passing to other calls; the map keeps owning it. */
    public int fd() {
        return fd.get();
    }

    @Override
    public int valueBufferSize() {
        return valueBufferSize;
    }

    private void checkKey(byte[] key) {
        Buffers.checkKey(spec, key);
    }

    private void checkValue(byte[] value) {
        Buffers.checkValue(spec, valueBufferSize, Cpus.possible(), value);
    }

    @Override
    public boolean lookup(byte[] key, byte[] value) {
        checkKey(key);
        checkValue(value);
        // a bloom filter is asked about a value: the kernel reads it from the value buffer
        CallFrame f = CallFrame.current();
        NativeBuffer v = spec.type() == MapType.BLOOM_FILTER ? f.copy(1, value) : f.slot(1, valueBufferSize);
        elemAttr(f, key, v, 0);
        long r = Bpf.tryCall(f, BpfCommand.MAP_LOOKUP_ELEM, BpfAttr.MapElem.SIZE);
        if (r == -Errno.ENOENT.number()) {
            return false;
        }
        check(BpfCommand.MAP_LOOKUP_ELEM, r, "lookup");
        v.read(value);
        return true;
    }

    @Override
    public void update(byte[] key, byte[] value, long flags) {
        checkKey(key);
        checkValue(value);
        CallFrame f = CallFrame.current();
        elemAttr(f, key, f.copy(1, value), flags);
        check(BpfCommand.MAP_UPDATE_ELEM, Bpf.tryCall(f, BpfCommand.MAP_UPDATE_ELEM, BpfAttr.MapElem.SIZE), "update");
    }

    @Override
    public boolean delete(byte[] key) {
        checkKey(key);
        CallFrame f = CallFrame.current();
        elemAttr(f, key, null, 0);
        long r = Bpf.tryCall(f, BpfCommand.MAP_DELETE_ELEM, BpfAttr.MapElem.SIZE);
        if (r == -Errno.ENOENT.number()) {
            return false;
        }
        check(BpfCommand.MAP_DELETE_ELEM, r, "delete");
        return true;
    }

    @Override
    public boolean nextKey(byte[] key, byte[] next) {
        if (key != null) {
            checkKey(key);
        }
        if (next.length != spec.keySize()) {
            throw new IllegalArgumentException("map '" + spec.name() + "': next-key buffer is " + next.length
                    + " bytes, the map's keys are " + spec.keySize());
        }
        CallFrame f = CallFrame.current();
        NativeBuffer n = f.slot(1, spec.keySize());
        elemAttr(f, key, n, 0);
        long r = Bpf.tryCall(f, BpfCommand.MAP_GET_NEXT_KEY, BpfAttr.MapElem.SIZE);
        if (r == -Errno.ENOENT.number()) {
            return false;
        }
        check(BpfCommand.MAP_GET_NEXT_KEY, r, "next key");
        n.read(next);
        return true;
    }

    /**
     * Fills the attr of frame {@code f} for an element command: {@code key} copied to the frame's
     * slot 0 (null for none), {@code valueOrNext} as the value or next-key pointer (null for none),
     * and flags. Every byte of the command's attr is written, so the buffer needs no clearing first.
     */
    private void elemAttr(CallFrame f, byte[] key, NativeBuffer valueOrNext, long flags) {
        NativeBuffer k = key == null || key.length == 0 ? null : f.copy(0, key);
        NativeBuffer a = f.attrUncleared();
        a.buffer().putInt(BpfAttr.MapElem.MAP_FD, fd.get());
        a.buffer().putInt(BpfAttr.MapElem.MAP_FD + 4, 0);
        a.buffer().putLong(BpfAttr.MapElem.KEY, k == null ? 0 : k.address());
        a.buffer().putLong(BpfAttr.MapElem.VALUE, valueOrNext == null ? 0 : valueOrNext.address());
        a.buffer().putLong(BpfAttr.MapElem.FLAGS, flags);
    }

    /**
     * Copies the value of {@code key} into {@code value} and removes the entry, atomically; for
     * queues and stacks ({@code key} null) this pops. {@code false} when there is none.
     */
    @Override
    public boolean lookupAndDelete(byte[] key, byte[] value) {
        checkKey(key);
        checkValue(value);
        CallFrame f = CallFrame.current();
        NativeBuffer v = f.slot(1, valueBufferSize);
        elemAttr(f, key, v, 0);
        long r = Bpf.tryCall(f, BpfCommand.MAP_LOOKUP_AND_DELETE_ELEM, BpfAttr.MapElem.SIZE);
        if (r == -Errno.ENOENT.number()) {
            return false;
        }
        check(BpfCommand.MAP_LOOKUP_AND_DELETE_ELEM, r, "lookup and delete");
        v.read(value);
        return true;
    }

    /**
     * Reads up to {@code count} entries after {@code cursor}'s position into {@code keys} and
     * {@code values} (packed: {@code count × keySize} and {@code count × valueBufferSize} bytes) with
     * {@code BPF_MAP_LOOKUP_BATCH}, or {@code LOOKUP_AND_DELETE_BATCH} when {@code delete}.
     *
     * @return how many entries were read; {@link BatchCursor#done()} says whether the map is exhausted
     * @throws BpfException for kernels or map types without batch operations (EINVAL, ENOTSUPP)
     */
    public int lookupBatch(BatchCursor cursor, byte[] keys, byte[] values, int count, boolean delete) {
        checkBatch(keys, values, count);
        NativeBuffer k = Scratch.get(2, count * spec.keySize());
        NativeBuffer v = Scratch.get(3, count * valueBufferSize);
        NativeBuffer a = Bpf.attr(BpfAttr.Batch.SIZE);
        ByteBuffer b = a.buffer();
        b.putLong(BpfAttr.Batch.IN_BATCH, cursor.started() ? cursor.in().address() : 0);
        b.putLong(BpfAttr.Batch.OUT_BATCH, cursor.out().address());
        b.putLong(BpfAttr.Batch.KEYS, k.address());
        b.putLong(BpfAttr.Batch.VALUES, v.address());
        b.putInt(BpfAttr.Batch.COUNT, count);
        b.putInt(BpfAttr.Batch.MAP_FD, fd.get());
        BpfCommand cmd = delete ? BpfCommand.MAP_LOOKUP_AND_DELETE_BATCH : BpfCommand.MAP_LOOKUP_BATCH;
        long r = Bpf.tryCall(cmd, a, BpfAttr.Batch.SIZE);
        int got = b.getInt(BpfAttr.Batch.COUNT);
        if (r == -Errno.ENOENT.number()) {
            cursor.finish();
        } else {
            check(cmd, r, "batch lookup");
            cursor.advance();
        }
        k.buffer().get(0, keys, 0, got * spec.keySize());
        v.buffer().get(0, values, 0, got * valueBufferSize);
        return got;
    }

    /**
     * Writes {@code count} entries (packed keys and values) with {@code BPF_MAP_UPDATE_BATCH} under
     * {@code elemFlags}: {@link MapFlags#ANY} or {@link MapFlags#LOCK} (the kernel's batch update
     * knows no NOEXIST or EXIST; use single updates for those).
     *
     * @throws BpfException naming how many entries were written before the kernel stopped
     */
    public void updateBatch(byte[] keys, byte[] values, int count, long elemFlags) {
        checkBatch(keys, values, count);
        if ((elemFlags & ~MapFlags.LOCK) != 0) {
            throw new IllegalArgumentException("batch updates take only ANY or LOCK, not flags " + elemFlags
                    + ": the kernel has no NOEXIST/EXIST for batches");
        }
        NativeBuffer k = Scratch.copy(2, keys, count * spec.keySize());
        NativeBuffer v = Scratch.copy(3, values, count * valueBufferSize);
        NativeBuffer a = Bpf.attr(BpfAttr.Batch.SIZE);
        ByteBuffer b = a.buffer();
        b.putLong(BpfAttr.Batch.KEYS, k.address());
        b.putLong(BpfAttr.Batch.VALUES, v.address());
        b.putInt(BpfAttr.Batch.COUNT, count);
        b.putInt(BpfAttr.Batch.MAP_FD, fd.get());
        b.putLong(BpfAttr.Batch.ELEM_FLAGS, elemFlags);
        long r = Bpf.tryCall(BpfCommand.MAP_UPDATE_BATCH, a, BpfAttr.Batch.SIZE);
        if (r < 0) {
            throw new BpfException(BpfCommand.MAP_UPDATE_BATCH, Errno.of((int) -r), "batch update of " + count
                    + " entries in map '" + spec.name() + "' (" + b.getInt(BpfAttr.Batch.COUNT) + " written)");
        }
    }

    /**
     * Removes the {@code count} packed {@code keys} with {@code BPF_MAP_DELETE_BATCH}.
     *
     * @throws BpfException (ENOENT for a missing key) naming how many were removed before it
     */
    public void deleteBatch(byte[] keys, int count) {
        checkBatch(keys, null, count);
        NativeBuffer k = Scratch.copy(2, keys, count * spec.keySize());
        NativeBuffer a = Bpf.attr(BpfAttr.Batch.SIZE);
        ByteBuffer b = a.buffer();
        b.putLong(BpfAttr.Batch.KEYS, k.address());
        b.putInt(BpfAttr.Batch.COUNT, count);
        b.putInt(BpfAttr.Batch.MAP_FD, fd.get());
        long r = Bpf.tryCall(BpfCommand.MAP_DELETE_BATCH, a, BpfAttr.Batch.SIZE);
        if (r < 0) {
            throw new BpfException(BpfCommand.MAP_DELETE_BATCH, Errno.of((int) -r), "batch delete of " + count
                    + " keys in map '" + spec.name() + "' (" + b.getInt(BpfAttr.Batch.COUNT) + " deleted)");
        }
    }

    private void checkBatch(byte[] keys, byte[] values, int count) {
        if (count <= 0) {
            throw new IllegalArgumentException("batch count must be positive, not " + count);
        }
        if (keys.length < count * spec.keySize()) {
            throw new IllegalArgumentException("map '" + spec.name() + "': " + keys.length + " key bytes hold fewer than "
                    + count + " keys of " + spec.keySize() + " bytes");
        }
        if (values != null && values.length < count * valueBufferSize) {
            throw new IllegalArgumentException("map '" + spec.name() + "': " + values.length
                    + " value bytes hold fewer than " + count + " values of " + valueBufferSize + " bytes");
        }
    }

    /**
     * As {@link RawMap#forEachEntry}, reading in chunks with {@code BPF_MAP_LOOKUP_BATCH} (one call
     * per chunk instead of two per entry); map types or kernels without it get the key walk.
     */
    @Override
    public int forEachEntry(BiConsumer<byte[], byte[]> action) {
        int ks = spec.keySize();
        int chunk = Math.max(1, Math.min(FOR_EACH_CHUNK, spec.maxEntries()));
        byte[] keys = new byte[chunk * ks];
        byte[] values = new byte[chunk * valueBufferSize];
        BatchCursor cursor = batchCursor();
        int n = 0;
        while (!cursor.done()) {
            int got;
            try {
                got = lookupBatch(cursor, keys, values, chunk, false);
            } catch (BpfException e) {
                if (e.errno() == Errno.ENOSPC) {
                    // a hash bucket holds more entries than one chunk: the kernel asks for a bigger one
                    chunk *= 2;
                    keys = new byte[chunk * ks];
                    values = new byte[chunk * valueBufferSize];
                    continue;
                }
                boolean unsupported = e.errno() == Errno.EINVAL || e.errno() == Errno.ENOTSUPP
                        || e.errno() == Errno.EOPNOTSUPP;
                if (n == 0 && !cursor.started() && unsupported) {
                    return RawMap.super.forEachEntry(action);
                }
                throw e;
            }
            for (int i = 0; i < got; i++) {
                action.accept(Arrays.copyOfRange(keys, i * ks, (i + 1) * ks),
                        Arrays.copyOfRange(values, i * valueBufferSize, (i + 1) * valueBufferSize));
            }
            n += got;
        }
        return n;
    }

    /** Entries per batch call of {@link #forEachEntry}. */
    private static final int FOR_EACH_CHUNK = 1024;

    /** A new cursor for {@link #lookupBatch}, starting at the beginning of this map. */
    public BatchCursor batchCursor() {
        return new BatchCursor(Math.max(8, spec.keySize()));
    }

    /** Makes the map read-only for user space from now on (programs may still write). */
    public void freeze() {
        NativeBuffer a = Bpf.attr(BpfAttr.MapElem.SIZE);
        a.buffer().putInt(BpfAttr.MapElem.MAP_FD, fd.get());
        Bpf.call(BpfCommand.MAP_FREEZE, a, BpfAttr.MapElem.SIZE, "freeze map '" + spec.name() + "'");
    }

    /** Pins the map in bpffs at {@code path}; the pin outlives this process until removed. */
    public void pin(String path) {
        ObjectInfo.pin(fd, path);
    }

    /**
     * The BTF the map was created with, parsed, with the ids of its key and value types
     * ({@link MapInfo#btfKeyTypeId()}, {@link MapInfo#btfValueTypeId()}); empty for a map without.
     */
    public Optional<Btf> btf() {
        return created.btfId() == 0 ? Optional.empty() : Optional.of(Btf.parse(BtfLoad.rawById(created.btfId())));
    }

    /** The ids of the map's BTF and of its key and value types, as the kernel had them when this object was made. */
    public MapInfo createdInfo() {
        return created;
    }

    /** What the kernel says about this map. */
    public MapInfo info() {
        return MapInfo.of(fd);
    }

    private void check(BpfCommand cmd, long r, String op) {
        if (r < 0) {
            throw new BpfException(cmd, Errno.of((int) -r), op + " in map '" + spec.name() + "'");
        }
    }

    @Override
    public void close() {
        fd.close();
    }

    @Override
    public String toString() {
        return "KernelMap[" + spec + ", id " + id + "]";
    }
}
