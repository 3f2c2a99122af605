package io.jbpf.maps.internal;

import io.jbpf.maps.Cidr;
import io.jbpf.maps.codec.Codec;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;

/**
 * The key of an LPM trie, {@code struct bpf_lpm_trie_key}: a host-order {@code __u32} prefix length
 * followed by the address bytes in network order.
 */
public final class CidrCodec implements Codec<Cidr> {
    private final int addressBytes;

    public CidrCodec(boolean ipv6) {
        this.addressBytes = ipv6 ? 16 : 4;
    }

    @Override
    public int size() {
        return 4 + addressBytes;
    }

    @Override
    public int alignment() {
        return 4;
    }

    @Override
    public void encode(Cidr value, byte[] buf, int offset) {
        byte[] a = value.address().getAddress();
        if (a.length != addressBytes) {
            throw new IllegalArgumentException("an " + (addressBytes == 4 ? "IPv4" : "IPv6") + " trie cannot hold " + value);
        }
        Bytes.put4(buf, offset, value.prefixLength(), "prefix length");
        System.arraycopy(a, 0, buf, offset + 4, addressBytes);
    }

    @Override
    public Cidr decode(byte[] buf, int offset) {
        try {
            InetAddress a = InetAddress.getByAddress(Arrays.copyOfRange(buf, offset + 4, offset + 4 + addressBytes));
            if (a.getAddress().length != addressBytes) {
                a = java.net.Inet6Address.getByAddress(null, Arrays.copyOfRange(buf, offset + 4, offset + 4 + addressBytes),
                        null);
            }
            return new Cidr(a, (int) Bytes.get4(buf, offset));
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String toString() {
        return "lpm key " + (addressBytes == 4 ? "IPv4" : "IPv6");
    }
}
