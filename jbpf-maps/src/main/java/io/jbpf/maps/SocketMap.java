package io.jbpf.maps;

import io.jbpf.core.BpfException;
import io.jbpf.core.map.KernelMap;
import io.jbpf.core.map.MapSpec;
import io.jbpf.core.map.MapType;
import io.jbpf.maps.codec.Codec;
import io.jbpf.maps.codec.Codecs;
import io.jbpf.maps.internal.Binding;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A {@code BPF_MAP_TYPE_SOCKMAP} (slots {@code 0..n-1}) or {@code SOCKHASH} (keys of any codec):
 * sockets for {@code sk_msg} / {@code sk_skb} programs and {@code bpf_sk_redirect_map}. A socket is
 * stored by its fd (TCP: established or listening; UDP: bound) and read back as its socket cookie
 * ({@code SO_COOKIE}), which needs 8-byte values. The map holds its own reference to each socket.
 *
 * @param <K> key type ({@code Integer} slots for a sockmap)
 */
public final class SocketMap<K> extends BpfMap {
    private final Codec<K> keys;

    private SocketMap(KernelMap map, boolean owner, Codec<K> keys) {
        super(map, owner);
        this.keys = keys;
    }

    /** Creates a {@code SOCKMAP} of {@code length} slots (8-byte values, so cookies can be read). */
    public static SocketMap<Integer> createSockMap(String name, int length) {
        KernelMap map = Binding.create(MapSpec.of(name, MapType.SOCKMAP, 4, 8, length), "SocketMap", 4, -1,
                MapType.SOCKMAP);
        return Binding.adopt(map, m -> new SocketMap<>(m, true, Codecs.u32()));
    }

    /** Creates a {@code SOCKHASH} of up to {@code maxEntries} keys (8-byte values). */
    public static <K> SocketMap<K> createSockHash(String name, int maxEntries, Codec<K> keys) {
        KernelMap map = Binding.create(MapSpec.of(name, MapType.SOCKHASH, keys.size(), 8, maxEntries), "SocketMap",
                keys.size(), -1, MapType.SOCKHASH);
        return Binding.adopt(map, m -> new SocketMap<>(m, true, keys));
    }

    /** A view of a sockmap or sockhash {@code map}, which stays open when the view is closed. */
    public static <K> SocketMap<K> of(KernelMap map, Codec<K> keys) {
        Binding.check(map.spec(), "SocketMap", keys.size(), -1, MapType.SOCKMAP, MapType.SOCKHASH);
        if (map.spec().valueSize() != 4 && map.spec().valueSize() != 8) {
            throw new MapMismatchException("map '" + map.spec().name() + "' has " + map.spec().valueSize()
                    + "-byte values, but a socket map's values are 4 or 8 bytes");
        }
        return new SocketMap<>(map, false, keys);
    }

    /**
     * Stores the socket {@code socketFd} at {@code key}.
     *
     * @throws BpfException EOPNOTSUPP for a socket the kernel cannot hold (wrong protocol or state),
     *         EBADF when {@code socketFd} is no fd
     */
    public void set(K key, int socketFd) {
        int size = spec().valueSize();
        byte[] v = new byte[size];
        ByteBuffer b = ByteBuffer.wrap(v).order(ByteOrder.nativeOrder());
        if (size == 8) {
            b.putLong(0, socketFd);
        } else {
            b.putInt(0, socketFd);
        }
        try {
            raw().update(keys.encode(Objects.requireNonNull(key, "key")), v, 0);
        } catch (BpfException e) {
            throw translate(e);
        }
    }

    /**
     * The cookie of the socket at {@code key}, or {@code null} for none.
     *
     * @throws BpfException ENOSPC when the map has 4-byte values (the kernel returns cookies in 8)
     */
    public Long cookie(K key) {
        byte[] v = new byte[spec().valueSize()];
        if (!raw().lookup(keys.encode(Objects.requireNonNull(key, "key")), v)) {
            return null;
        }
        return ByteBuffer.wrap(v).order(ByteOrder.nativeOrder()).getLong(0);
    }

    /** Removes the socket at {@code key}; {@code false} when there was none. */
    public boolean remove(K key) {
        return raw().delete(keys.encode(Objects.requireNonNull(key, "key")));
    }

    /** The keys that hold a socket (a next-key walk, keeping the filled slots). */
    public List<K> keys() {
        List<K> out = new ArrayList<>();
        byte[] cur = null;
        byte[] next = new byte[keys.size()];
        while (raw().nextKey(cur, next)) {
            K key = keys.decode(next, 0);
            if (cookie(key) != null) {
                out.add(key); // a sockmap walks every slot, filled or not
            }
            cur = next.clone();
        }
        return out;
    }
}
