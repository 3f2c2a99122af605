package io.jbpf.core.map;

import io.jbpf.core.BpfCommand;
import io.jbpf.core.internal.sys.Fd;
import io.jbpf.core.internal.sys.InfoLayout;
import io.jbpf.core.internal.sys.NativeBuffer;
import io.jbpf.core.internal.sys.ObjectInfo;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * What the kernel reports about a loaded map ({@code struct bpf_map_info}).
 *
 * @param id     the kernel's id
 * @param spec   type, sizes, capacity, flags and name as the kernel has them
 * @param btfId           the id of the map's BTF, 0 when it has none
 * @param btfKeyTypeId    the key's type id in that BTF, 0 for none
 * @param btfValueTypeId  the value's type id in that BTF, 0 for none
 */
public record MapInfo(int id, MapSpec spec, int btfId, int btfKeyTypeId, int btfValueTypeId) {

    /** The info of the map behind {@code fd}. */
    static MapInfo of(Fd fd) {
        NativeBuffer n = NativeBuffer.allocate(InfoLayout.Map.SIZE);
        ObjectInfo.infoByFd(fd, n, InfoLayout.Map.SIZE);
        ByteBuffer b = n.buffer();
        MapSpec spec = new MapSpec(n.cStringAt(InfoLayout.Map.NAME, 16),
                MapType.of(b.getInt(InfoLayout.Map.TYPE)),
                b.getInt(InfoLayout.Map.KEY_SIZE), b.getInt(InfoLayout.Map.VALUE_SIZE),
                b.getInt(InfoLayout.Map.MAX_ENTRIES), b.getInt(InfoLayout.Map.MAP_FLAGS), null, -1,
                b.getLong(InfoLayout.Map.MAP_EXTRA), null, b.getInt(InfoLayout.Map.BTF_VMLINUX_VALUE_TYPE_ID));
        return new MapInfo(b.getInt(InfoLayout.Map.ID), spec, b.getInt(InfoLayout.Map.BTF_ID),
                b.getInt(InfoLayout.Map.BTF_KEY_TYPE_ID), b.getInt(InfoLayout.Map.BTF_VALUE_TYPE_ID));
    }

    /** The info of the map with kernel id {@code id}. */
    public static MapInfo ofId(int id) {
        try (Fd fd = ObjectInfo.byId(BpfCommand.MAP_GET_FD_BY_ID, id, "map id " + id)) {
            return of(fd);
        }
    }

    /** The ids of every map loaded in the kernel. */
    public static List<Integer> ids() {
        return new ArrayList<>(ObjectInfo.ids(BpfCommand.MAP_GET_NEXT_ID));
    }
}
