package io.jbpf.maps;

import io.jbpf.core.BpfException;
import io.jbpf.core.Errno;
import io.jbpf.core.map.KernelMap;
import io.jbpf.core.map.MapFlags;
import io.jbpf.core.map.MapSpec;
import io.jbpf.core.map.MapType;
import io.jbpf.maps.internal.Binding;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * A {@code BPF_MAP_TYPE_XSKMAP} (Linux 4.18): slots {@code 0..n-1} (usually one per RX queue)
 * holding AF_XDP sockets, for an XDP program to {@code bpf_redirect_map} frames to.
 *
 * <p>What the kernel allows differs from other maps ({@code net/xdp/xskmap.c}):
 * <ul>
 *   <li>a socket is stored by its fd, and it must be an {@code AF_XDP} socket. Since Linux 5.10
 *       it need not be set up or bound yet (older kernels wanted its UMEM and RX ring registered
 *       first and refuse otherwise with {@code EOPNOTSUPP});</li>
 *   <li>user space cannot read the map: a lookup fails with {@code EOPNOTSUPP}, so there is no
 *       {@code get}. Programs can ({@code bpf_map_lookup_elem}, {@code bpf_redirect_map});</li>
 *   <li>the map does not keep a socket alive: closing the socket's last fd removes it from every
 *       XSK map;</li>
 *   <li>a delete succeeds whether or not the slot held a socket, so {@link #remove} cannot say.</li>
 * </ul>
 */
public final class BpfXskMap extends BpfMap {

    private BpfXskMap(KernelMap map, boolean owner) {
        super(map, owner);
    }

    /**
     * Creates the XSK map {@code spec} describes (4-byte keys and values).
     *
     * @throws MapMismatchException when the spec is not an XSKMAP with 4-byte keys and values
     */
    public static BpfXskMap create(MapSpec spec) {
        KernelMap map = Binding.create(spec, "BpfXskMap", 4, 4, MapType.XSKMAP);
        return Binding.adopt(map, m -> new BpfXskMap(m, true));
    }

    /** Creates an {@code XSKMAP} named {@code name} of {@code length} slots. */
    public static BpfXskMap create(String name, int length) {
        return create(MapSpec.of(name, MapType.XSKMAP, 4, 4, length));
    }

    /** A view of {@code map}, which stays open when the view is closed. */
    public static BpfXskMap of(KernelMap map) {
        Binding.check(map.spec(), "BpfXskMap", 4, 4, MapType.XSKMAP);
        return new BpfXskMap(map, false);
    }

    /** Opens the XSK map pinned at {@code path}; closed with this view. */
    public static BpfXskMap openPinned(String path) {
        return adopt(KernelMap.openPinned(path));
    }

    /** Opens the XSK map with kernel id {@code id}; closed with this view. */
    public static BpfXskMap fromId(int id) {
        return adopt(KernelMap.fromId(id));
    }

    private static BpfXskMap adopt(KernelMap map) {
        return Binding.adopt(map, m -> {
            Binding.check(m.spec(), "BpfXskMap", 4, 4, MapType.XSKMAP);
            return new BpfXskMap(m, true);
        });
    }

    /** The number of slots ({@code max_entries}). */
    public int length() {
        return spec().maxEntries();
    }

    /**
     * Puts the AF_XDP socket {@code socketFd} in slot {@code index}, replacing what was there.
     *
     * @throws IndexOutOfBoundsException when {@code index} is not a slot
     * @throws IllegalArgumentException when {@code socketFd} is not an AF_XDP socket (or, before
     *         Linux 5.10, one without its UMEM and RX ring)
     * @throws BpfException for other failures, e.g. {@link Errno#EBADF} for a closed fd
     */
    public void set(int index, int socketFd) {
        update(index, socketFd, MapFlags.ANY);
    }

    /**
     * Puts {@code socketFd} in slot {@code index} only when the slot is empty ({@code BPF_NOEXIST});
     * returns whether it did. Putting the socket a slot already holds counts as done.
     */
    public boolean setIfEmpty(int index, int socketFd) {
        try {
            update(index, socketFd, MapFlags.NOEXIST);
            return true;
        } catch (BpfException e) {
            if (e.errno() == Errno.EEXIST) {
                return false;
            }
            throw e;
        }
    }

    /** Empties slot {@code index} (the kernel does not say whether it held a socket). */
    public void remove(int index) {
        raw().delete(key(index));
    }

    private void update(int index, int socketFd, long flags) {
        byte[] v = ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt(socketFd).array();
        try {
            raw().update(key(index), v, flags);
        } catch (BpfException e) {
            if (e.errno() == Errno.EOPNOTSUPP) {
                throw new IllegalArgumentException("XSK map '" + name() + "': fd " + socketFd
                        + " is not an AF_XDP socket (or, before Linux 5.10, not one with its UMEM and RX ring set up)", e);
            }
            throw e;
        }
    }

    private byte[] key(int index) {
        if (index < 0 || index >= length()) {
            throw new IndexOutOfBoundsException("slot " + index + " of XSK map '" + name() + "' with " + length()
                    + " slots");
        }
        return ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt(index).array();
    }
}
