package io.jbpf.core.features.internal;

import io.jbpf.core.BpfCommand;
import io.jbpf.core.BpfException;
import io.jbpf.core.Errno;
import io.jbpf.core.features.Support;
import io.jbpf.core.internal.btf.ProbeBtf;
import io.jbpf.core.internal.sys.Bpf;
import io.jbpf.core.internal.sys.BpfAttr;
import io.jbpf.core.internal.sys.BtfLoad;
import io.jbpf.core.internal.sys.Fd;
import io.jbpf.core.internal.sys.NativeBuffer;
import io.jbpf.core.map.MapFlags;
import io.jbpf.core.map.MapType;
import java.nio.ByteBuffer;

/** Probes of map types: creates (and closes) the smallest map of each type, with BTF where the type needs it. */
public final class MapProbe {
    private MapProbe() {}

    public static Support probeMapType(MapType type) {
        if (type == MapType.UNSPEC) {
            return Support.UNSUPPORTED;
        }
        int key = 4;
        int value = 4;
        int max = 1;
        int flags = 0;
        boolean btf = false;
        int innerType = 0;
        switch (type) {
            case STACK_TRACE -> value = 8;
            case LPM_TRIE -> {
                key = 8;
                flags = MapFlags.NO_PREALLOC;
            }
            case CGROUP_STORAGE, PERCPU_CGROUP_STORAGE -> {
                key = 16;
                max = 0;
            }
            case QUEUE, STACK, BLOOM_FILTER -> key = 0;
            case RINGBUF, USER_RINGBUF -> {
                key = 0;
                value = 0;
                max = 4096;
            }
            case SK_STORAGE, INODE_STORAGE, TASK_STORAGE, CGRP_STORAGE -> {
                max = 0;
                flags = MapFlags.NO_PREALLOC;
                btf = true;
            }
            case ARRAY_OF_MAPS, HASH_OF_MAPS -> innerType = MapType.ARRAY.number();
            case ARENA -> {
                key = 0;
                value = 0;
                flags = MapFlags.MMAPABLE;
            }
            case STRUCT_OPS -> {
                return AttachProbe.knownByBtf("bpf_map_type", "BPF_MAP_TYPE_" + type.name());
            }
            default -> { }
        }
        Fd btfFd = null;
        Fd inner = null;
        try {
            if (btf) {
                btfFd = BtfLoad.load(ProbeBtf.intOnly(), "probe BTF");
            }
            if (innerType != 0) {
                inner = createRaw(innerType, 4, 4, 1, 0, null, null);
            }
            Fd fd = createRaw(type.number(), key, value, max, flags, btfFd, inner);
            fd.close();
            return Support.SUPPORTED;
        } catch (BpfException e) {
            if (e.errno() == Errno.EPERM) {
                throw e;
            }
            return Support.UNSUPPORTED;
        } finally {
            if (btfFd != null) {
                btfFd.close();
            }
            if (inner != null) {
                inner.close();
            }
        }
    }

    private static Fd createRaw(int type, int key, int value, int max, int flags, Fd btf, Fd inner) {
        NativeBuffer a = Bpf.attr(BpfAttr.MapCreate.SIZE);
        ByteBuffer b = a.buffer();
        b.putInt(BpfAttr.MapCreate.MAP_TYPE, type);
        b.putInt(BpfAttr.MapCreate.KEY_SIZE, key);
        b.putInt(BpfAttr.MapCreate.VALUE_SIZE, value);
        b.putInt(BpfAttr.MapCreate.MAX_ENTRIES, max);
        b.putInt(BpfAttr.MapCreate.MAP_FLAGS, flags);
        if (inner != null) {
            b.putInt(BpfAttr.MapCreate.INNER_MAP_FD, inner.get());
        }
        if (btf != null) {
            b.putInt(BpfAttr.MapCreate.BTF_FD, btf.get());
            b.putInt(BpfAttr.MapCreate.BTF_KEY_TYPE_ID, ProbeBtf.INT_TYPE_ID);
            b.putInt(BpfAttr.MapCreate.BTF_VALUE_TYPE_ID, ProbeBtf.INT_TYPE_ID);
        }
        return Bpf.callForFd(BpfCommand.MAP_CREATE, a, BpfAttr.MapCreate.SIZE, "probe map type " + type);
    }
}
