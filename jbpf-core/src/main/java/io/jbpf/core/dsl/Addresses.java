package io.jbpf.core.dsl;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/** Address text to bytes without name lookups. */
final class Addresses {
    private static final Pattern IPV4 = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})");
    private static final Pattern MAC = Pattern.compile("\\p{XDigit}{2}(:\\p{XDigit}{2}){5}");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]+");

    private Addresses() {}

    /** The bytes of an IPv4, IPv6 or MAC address, or null. */
    static byte[] parse(String s) {
        if (MAC.matcher(s).matches()) {
            return HexFormat.ofDelimiter(":").parseHex(s);
        }
        var m4 = IPV4.matcher(s);
        if (m4.matches()) {
            byte[] b = new byte[4];
            for (int i = 0; i < 4; i++) {
                int v = Integer.parseInt(m4.group(i + 1));
                if (v > 255) {
                    return null;
                }
                b[i] = (byte) v;
            }
            return b;
        }
        if (s.contains(":") && IPV6.matcher(s).matches()) {
            try {
                byte[] b = InetAddress.getByName(s).getAddress();
                return b.length == 16 ? b : null;
            } catch (UnknownHostException | IllegalArgumentException e) {
                return null;
            }
        }
        return null;
    }
}
