package io.jbpf.netpolicy.nat;

import io.jbpf.maps.Cidr;
import io.jbpf.maps.InvalidPrefixException;
import io.jbpf.netpolicy.internal.yaml.YamlFieldException;
import io.jbpf.netpolicy.internal.yaml.YamlMap;
import io.jbpf.netpolicy.internal.yaml.YamlNode;
import io.jbpf.netpolicy.internal.yaml.YamlTrees;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What the ip-masq-agent is told: the non-masquerade CIDRs (IPv4) and whether link-local
 * destinations are masqueraded too.
 *
 * <p>The config file is the ip-masq-agent's YAML (or JSON): {@code nonMasqueradeCIDRs} (a list of
 * CIDRs; when the key is absent, {@link #DEFAULT_NON_MASQUERADE}), {@code masqLinkLocal} (default
 * false: 169.254.0.0/16 then keeps the pod's address too), and {@code masqLinkLocalIPv6} and
 * {@code resyncInterval}, which are accepted and ignored (the datapath is IPv4; reloading is the
 * {@link MasqConfigFile}'s business). Any other key is refused.
 *
 * @param nonMasqueradeCidrs the CIDRs as configured, in order, without duplicates
 * @param masqLinkLocal      whether link-local destinations are masqueraded
 */
public record MasqConfig(List<Cidr> nonMasqueradeCidrs, boolean masqLinkLocal) {
    /** The ip-masq-agent's defaults for {@code nonMasqueradeCIDRs}. */
    public static final List<Cidr> DEFAULT_NON_MASQUERADE = List.of(
            Cidr.parse("10.0.0.0/8"), Cidr.parse("172.16.0.0/12"), Cidr.parse("192.168.0.0/16"),
            Cidr.parse("100.64.0.0/10"), Cidr.parse("192.0.0.0/24"), Cidr.parse("192.0.2.0/24"),
            Cidr.parse("192.88.99.0/24"), Cidr.parse("198.18.0.0/15"), Cidr.parse("198.51.100.0/24"),
            Cidr.parse("203.0.113.0/24"), Cidr.parse("240.0.0.0/4"));

    /** The link-local range, kept unmasqueraded unless {@link #masqLinkLocal()}. */
    public static final Cidr LINK_LOCAL = Cidr.parse("169.254.0.0/16");

    /** @throws IllegalArgumentException for an IPv6 CIDR */
    public MasqConfig {
        List<Cidr> copy = new ArrayList<>(new LinkedHashSet<>(nonMasqueradeCidrs));
        for (Cidr c : copy) {
            if (!c.isIpv4()) {
                throw new IllegalArgumentException("non-masquerade CIDRs are IPv4 here, not " + c);
            }
        }
        nonMasqueradeCidrs = List.copyOf(copy);
    }

    /** The ip-masq-agent's defaults: its CIDR list, link-local not masqueraded. */
    public static MasqConfig defaults() {
        return new MasqConfig(DEFAULT_NON_MASQUERADE, false);
    }

    /** The CIDRs the datapath leaves alone: the configured ones plus link-local unless it is masqueraded. */
    public Set<Cidr> effectiveCidrs() {
        Set<Cidr> out = new LinkedHashSet<>(nonMasqueradeCidrs);
        if (!masqLinkLocal) {
            out.add(LINK_LOCAL);
        }
        return out;
    }

    /** Whether traffic to {@code destination} keeps the pod's address. */
    public boolean exempts(InetAddress destination) {
        for (Cidr c : effectiveCidrs()) {
            if (c.contains(destination)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Reads an ip-masq-agent config file's text; an empty file is the defaults.
     *
     * @throws InvalidMasqConfigException naming the wrong field, its line and column
     */
    public static MasqConfig parse(String text) {
        if (text.isBlank()) {
            return defaults();
        }
        try {
            YamlMap m = YamlMap.of(YamlTrees.parse(text));
            List<Cidr> cidrs = DEFAULT_NON_MASQUERADE;
            if (m.field("nonMasqueradeCIDRs").isPresent()) {
                cidrs = new ArrayList<>();
                for (YamlNode n : m.list("nonMasqueradeCIDRs")) {
                    cidrs.add(YamlMap.convert(n, MasqConfig::cidr));
                }
            }
            boolean linkLocal = m.parsed("masqLinkLocal", MasqConfig::bool).orElse(false);
            m.parsed("masqLinkLocalIPv6", MasqConfig::bool);
            m.string("resyncInterval");
            m.noOtherFields();
            return new MasqConfig(cidrs, linkLocal);
        } catch (YamlFieldException e) {
            throw new InvalidMasqConfigException(e.field(), e.line(), e.column(), e.getMessage());
        }
    }

    private static Cidr cidr(String s) {
        Cidr c;
        try {
            c = Cidr.parse(s);
        } catch (InvalidPrefixException | IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + s + "' is not a CIDR: " + e.getMessage());
        }
        if (!c.isIpv4()) {
            throw new IllegalArgumentException("'" + s + "' is not an IPv4 CIDR");
        }
        return c;
    }

    private static boolean bool(String s) {
        return switch (s) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException("'" + s + "' is not true or false");
        };
    }
}
