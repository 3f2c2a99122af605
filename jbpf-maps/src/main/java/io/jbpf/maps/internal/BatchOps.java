package io.jbpf.maps.internal;

import io.jbpf.core.BpfException;
import io.jbpf.core.Errno;
import io.jbpf.core.map.BatchCursor;
import io.jbpf.core.map.KernelMap;
import io.jbpf.core.map.MapFlags;
import io.jbpf.core.map.RawMap;
import io.jbpf.maps.BatchMode;
import io.jbpf.maps.codec.Codec;
import java.util.Collection;
import java.util.Map;

/**
 * Bulk reads, writes and deletes of one typed map: the kernel's batch commands in chunks, or one
 * call per entry where the map has no batch commands (an in-memory map, a map type or kernel that
 * refuses them with EINVAL/ENOTSUPP/EOPNOTSUPP, or {@link BatchMode#SINGLE}).
 *
 * @param <K> key type
 * @param <V> value type
 */
public final class BatchOps<K, V> {
    /** Entries per batch command. */
    static final int CHUNK = 1024;

    private final RawMap raw;
    private final Codec<K> keys;
    private final Codec<V> values;
    private volatile boolean refused;

    public BatchOps(RawMap raw, Codec<K> keys, Codec<V> values) {
        this.raw = raw;
        this.keys = keys;
        this.values = values;
    }

    /** Whether batch commands are still tried in {@link BatchMode#AUTO}. */
    public boolean supported() {
        return raw instanceof KernelMap && !refused;
    }

    private boolean useBatch(BatchMode mode) {
        if (mode == BatchMode.SINGLE) {
            return false;
        }
        if (!(raw instanceof KernelMap)) {
            if (mode == BatchMode.BATCH) {
                throw new UnsupportedOperationException("batch commands need a kernel map, not "
                        + raw.getClass().getSimpleName());
            }
            return false;
        }
        return mode == BatchMode.BATCH || !refused;
    }

    /** Whether {@code e} says the kernel has no batch command for this map; remembers it in AUTO mode. */
    private boolean refusal(BpfException e, BatchMode mode) {
        Errno n = e.errno();
        boolean refusal = n == Errno.EINVAL || n == Errno.ENOTSUPP || n == Errno.EOPNOTSUPP;
        if (refusal && mode == BatchMode.AUTO) {
            refused = true;
            return true;
        }
        return false;
    }

    /** Reads every entry into {@code out}. */
    public void lookupAll(BatchMode mode, Map<K, V> out) {
        if (useBatch(mode) && lookupBatched(mode, out)) {
            return;
        }
        byte[] cur = null;
        byte[] next = new byte[keys.size()];
        byte[] v = new byte[values.size()];
        while (raw.nextKey(cur, next)) {
            if (raw.lookup(next, v)) {
                out.put(keys.decode(next, 0), values.decode(v, 0));
            }
            cur = next.clone();
        }
    }

    /** {@code false} when the kernel refused the first batch (nothing read yet). */
    private boolean lookupBatched(BatchMode mode, Map<K, V> out) {
        KernelMap k = (KernelMap) raw;
        int ks = keys.size();
        int vs = raw.valueBufferSize();
        int chunk = Math.max(1, Math.min(CHUNK, raw.spec().maxEntries()));
        byte[] kb = new byte[chunk * ks];
        byte[] vb = new byte[chunk * vs];
        BatchCursor cursor = k.batchCursor();
        boolean first = true;
        while (!cursor.done()) {
            int got;
            try {
                got = k.lookupBatch(cursor, kb, vb, chunk, false);
            } catch (BpfException e) {
                if (e.errno() == Errno.ENOSPC) {
                    // a hash bucket holds more entries than fit in one chunk: the kernel wants a bigger one
                    chunk *= 2;
                    kb = new byte[chunk * ks];
                    vb = new byte[chunk * vs];
                    continue;
                }
                if (first && refusal(e, mode)) {
                    return false;
                }
                throw e;
            }
            first = false;
            for (int i = 0; i < got; i++) {
                out.put(keys.decode(kb, i * ks), values.decode(vb, i * vs));
            }
        }
        return true;
    }

    /** Writes every entry (create or replace). */
    public void updateAll(BatchMode mode, Map<? extends K, ? extends V> entries) {
        if (entries.isEmpty()) {
            return;
        }
        int ks = keys.size();
        int vs = raw.valueBufferSize();
        if (useBatch(mode)) {
            KernelMap k = (KernelMap) raw;
            int chunk = Math.min(CHUNK, entries.size());
            byte[] kb = new byte[chunk * ks];
            byte[] vb = new byte[chunk * vs];
            int n = 0;
            boolean first = true;
            boolean batched = true;
            var it = entries.entrySet().iterator();
            while (it.hasNext() && batched) {
                Map.Entry<? extends K, ? extends V> e = it.next();
                keys.encode(e.getKey(), kb, n * ks);
                values.encode(e.getValue(), vb, n * vs);
                n++;
                if (n == chunk || !it.hasNext()) {
                    try {
                        k.updateBatch(kb, vb, n, MapFlags.ANY);
                    } catch (BpfException ex) {
                        if (!(first && refusal(ex, mode))) {
                            throw ex;
                        }
                        batched = false;
                    }
                    first = false;
                    n = 0;
                }
            }
            if (batched) {
                return;
            }
        }
        byte[] kb = new byte[ks];
        byte[] vb = new byte[vs];
        for (Map.Entry<? extends K, ? extends V> e : entries.entrySet()) {
            keys.encode(e.getKey(), kb, 0);
            values.encode(e.getValue(), vb, 0);
            raw.update(kb, vb, MapFlags.ANY);
        }
    }

    /** Deletes every key of {@code toDelete} that is present; missing keys are ignored. */
    public void deleteAll(BatchMode mode, Collection<? extends K> toDelete) {
        if (toDelete.isEmpty()) {
            return;
        }
        int ks = keys.size();
        if (useBatch(mode)) {
            KernelMap k = (KernelMap) raw;
            int chunk = Math.min(CHUNK, toDelete.size());
            byte[] kb = new byte[chunk * ks];
            int n = 0;
            boolean first = true;
            boolean batched = true;
            var it = toDelete.iterator();
            while (it.hasNext() && batched) {
                keys.encode(it.next(), kb, n * ks);
                n++;
                if (n == chunk || !it.hasNext()) {
                    try {
                        k.deleteBatch(kb, n);
                    } catch (BpfException ex) {
                        if (ex.errno() == Errno.ENOENT) {
                            // the kernel stops at the first missing key: finish this chunk one by one
                            byte[] one = new byte[ks];
                            for (int i = 0; i < n; i++) {
                                System.arraycopy(kb, i * ks, one, 0, ks);
                                raw.delete(one);
                            }
                        } else if (first && refusal(ex, mode)) {
                            batched = false;
                        } else {
                            throw ex;
                        }
                    }
                    first = false;
                    n = 0;
                }
            }
            if (batched) {
                return;
            }
        }
        byte[] kb = new byte[ks];
        for (K key : toDelete) {
            keys.encode(key, kb, 0);
            raw.delete(kb);
        }
    }
}
