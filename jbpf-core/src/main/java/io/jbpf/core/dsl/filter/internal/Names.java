package io.jbpf.core.dsl.filter.internal;

import java.util.HashMap;
import java.util.Map;

/**
 * The fixed vocabularies of pcap-filter: keywords, named constants ({@code tcp-syn}), IP protocol
 * and Ethernet type names and well-known service ports. Built in, so compiling never reads
 * /etc/protocols or /etc/services.
 */
public final class Names {
    private static final Map<String, String> KEYWORDS = new HashMap<>();
    private static final Map<String, Long> NUMBERS = new HashMap<>();
    private static final Map<String, Integer> IP_PROTOS = new HashMap<>();
    private static final Map<String, Integer> ETHER_PROTOS = new HashMap<>();
    private static final Map<String, int[]> SERVICES = new HashMap<>();

    private Names() {
    }

    private static void kw(String canonical, String... spellings) {
        KEYWORDS.put(canonical, canonical);
        for (String s : spellings) {
            KEYWORDS.put(s, canonical);
        }
    }

    static {
        for (String k : new String[] {"dst", "src", "host", "gateway", "net", "mask", "port", "portrange",
            "proto", "protochain", "less", "greater", "byte", "broadcast", "multicast", "and", "or", "not",
            "inbound", "outbound", "ifindex", "vlan", "mpls", "pppoed", "pppoes", "geneve", "vxlan", "batadv",
            "arp", "rarp", "ip", "sctp", "tcp", "udp", "icmp", "igmp", "igrp", "pim", "vrrp", "carp", "ip6",
            "icmp6", "ah", "esp", "atalk", "aarp", "decnet", "lat", "sca", "moprc", "mopdl", "iso", "clnp",
            "l1", "l2", "iih", "lsp", "snp", "csnp", "psnp", "stp", "ipx", "netbeui", "radio", "lane", "llc",
            "metac", "bcc", "oam", "oamf4", "oamf4ec", "oamf4sc", "sc", "ilmic", "vpi", "vci", "connectmsg",
            "metaconnect", "on", "ifname", "rnr", "rulenum", "reason", "rset", "ruleset", "srnr", "subrulenum",
            "action", "type", "subtype", "ra", "ta", "fisu", "lssu", "msu", "hfisu", "hlssu", "hmsu", "sio",
            "opc", "dpc", "sls", "hsio", "hopc", "hdpc", "hsls"}) {
            kw(k);
        }
        kw("link", "ether", "fddi", "tr", "wlan");
        kw("len", "length");
        kw("esis", "es-is");
        kw("isis", "is-is");
        kw("dir", "direction");
        kw("addr1", "address1");
        kw("addr2", "address2");
        kw("addr3", "address3");
        kw("addr4", "address4");

        NUMBERS.put("icmptype", 0L);
        NUMBERS.put("icmpcode", 1L);
        String[] icmp = {"icmp-echoreply", "0", "icmp-unreach", "3", "icmp-sourcequench", "4", "icmp-redirect", "5",
            "icmp-echo", "8", "icmp-routeradvert", "9", "icmp-routersolicit", "10", "icmp-timxceed", "11",
            "icmp-paramprob", "12", "icmp-tstamp", "13", "icmp-tstampreply", "14", "icmp-ireq", "15",
            "icmp-ireqreply", "16", "icmp-maskreq", "17", "icmp-maskreply", "18"};
        for (int i = 0; i < icmp.length; i += 2) {
            NUMBERS.put(icmp[i], Long.parseLong(icmp[i + 1]));
        }
        NUMBERS.put("icmp6type", 0L);
        NUMBERS.put("icmp6code", 1L);
        String[] icmp6 = {"icmp6-destinationunreach", "1", "icmp6-packettoobig", "2", "icmp6-timeexceeded", "3",
            "icmp6-parameterproblem", "4", "icmp6-echo", "128", "icmp6-echoreply", "129",
            "icmp6-multicastlistenerquery", "130", "icmp6-multicastlistenerreportv1", "131",
            "icmp6-multicastlistenerdone", "132", "icmp6-routersolicit", "133", "icmp6-routeradvert", "134",
            "icmp6-neighborsolicit", "135", "icmp6-neighboradvert", "136", "icmp6-redirect", "137",
            "icmp6-routerrenum", "138", "icmp6-nodeinformationquery", "139", "icmp6-nodeinformationresponse", "140",
            "icmp6-ineighbordiscoverysolicit", "141", "icmp6-ineighbordiscoveryadvert", "142",
            "icmp6-multicastlistenerreportv2", "143", "icmp6-homeagentdiscoveryrequest", "144",
            "icmp6-homeagentdiscoveryreply", "145", "icmp6-mobileprefixsolicit", "146",
            "icmp6-mobileprefixadvert", "147", "icmp6-certpathsolicit", "148", "icmp6-certpathadvert", "149",
            "icmp6-multicastrouteradvert", "151", "icmp6-multicastroutersolicit", "152",
            "icmp6-multicastrouterterm", "153"};
        for (int i = 0; i < icmp6.length; i += 2) {
            NUMBERS.put(icmp6[i], Long.parseLong(icmp6[i + 1]));
        }
        NUMBERS.put("tcpflags", 13L);
        String[] tcp = {"tcp-fin", "1", "tcp-syn", "2", "tcp-rst", "4", "tcp-push", "8", "tcp-ack", "16",
            "tcp-urg", "32", "tcp-ece", "64", "tcp-cwr", "128"};
        for (int i = 0; i < tcp.length; i += 2) {
            NUMBERS.put(tcp[i], Long.parseLong(tcp[i + 1]));
        }

        String[] protos = {"ip", "0", "icmp", "1", "igmp", "2", "ggp", "3", "ipencap", "4", "st", "5", "tcp", "6",
            "egp", "8", "igp", "9", "pup", "12", "udp", "17", "hmp", "20", "xns-idp", "22", "rdp", "27",
            "iso-tp4", "29", "dccp", "33", "xtp", "36", "ddp", "37", "idpr-cmtp", "38", "ipv6", "41",
            "ipv6-route", "43", "ipv6-frag", "44", "idrp", "45", "rsvp", "46", "gre", "47", "esp", "50",
            "ah", "51", "skip", "57", "ipv6-icmp", "58", "ipv6-nonxt", "59", "ipv6-opts", "60", "rspf", "73",
            "vmtp", "81", "eigrp", "88", "ospf", "89", "ax.25", "93", "ipip", "94", "etherip", "97",
            "encap", "98", "pim", "103", "ipcomp", "108", "vrrp", "112", "l2tp", "115", "isis", "124",
            "sctp", "132", "fc", "133", "mobility-header", "135", "udplite", "136", "mpls-in-ip", "137",
            "manet", "138", "hip", "139", "shim6", "140", "wesp", "141", "rohc", "142", "ethernet", "143"};
        for (int i = 0; i < protos.length; i += 2) {
            IP_PROTOS.put(protos[i], Integer.parseInt(protos[i + 1]));
        }

        String[] eprotos = {"aarp", "80f3", "arp", "806", "atalk", "809b", "decnet", "6003", "ip", "800",
            "ip6", "86dd", "lat", "6004", "loopback", "9000", "mopdl", "6001", "moprc", "6002", "rarp", "8035",
            "sca", "6007", "iso", "fe", "stp", "42", "netbeui", "f0"};
        for (int i = 0; i < eprotos.length; i += 2) {
            ETHER_PROTOS.put(eprotos[i], Integer.parseInt(eprotos[i + 1], 16));
        }

        // name, port, in /etc/services for tcp (1/0), for udp (1/0) -- as Debian's netbase lists them
        Object[] services = {"ftp-data", 20, 1, 0, "ftp", 21, 1, 0, "ssh", 22, 1, 0, "telnet", 23, 1, 0,
            "smtp", 25, 1, 0, "domain", 53, 1, 1, "bootps", 67, 0, 1, "bootpc", 68, 0, 1, "tftp", 69, 0, 1,
            "http", 80, 1, 0, "www", 80, 1, 0, "kerberos", 88, 1, 1, "pop3", 110, 1, 0, "sunrpc", 111, 1, 1,
            "ntp", 123, 0, 1, "netbios-ns", 137, 0, 1, "imap2", 143, 1, 0, "imap", 143, 1, 0, "snmp", 161, 1, 1,
            "snmp-trap", 162, 1, 1, "bgp", 179, 1, 0, "ldap", 389, 1, 1, "https", 443, 1, 1,
            "microsoft-ds", 445, 1, 0, "isakmp", 500, 0, 1, "syslog", 514, 0, 1, "imaps", 993, 1, 0,
            "mysql", 3306, 1, 0, "postgresql", 5432, 1, 0, "http-alt", 8080, 1, 0};
        for (int i = 0; i < services.length; i += 4) {
            SERVICES.put((String) services[i],
                    new int[] {(Integer) services[i + 1], (Integer) services[i + 2], (Integer) services[i + 3]});
        }
    }

    /** The canonical keyword for {@code word}, or null if it is not a keyword. */
    static String keyword(String word) {
        return KEYWORDS.get(word);
    }

    /** The value of a named constant such as {@code tcp-syn} or {@code icmptype}, or null. */
    static Long namedNumber(String word) {
        return NUMBERS.get(word);
    }

    /** The IP protocol number of {@code name} (as /etc/protocols spells it), or null. */
    public static Integer ipProto(String name) {
        return IP_PROTOS.get(name);
    }

    /** The Ethernet type (or LLC SAP for iso/stp/netbeui) of {@code name}, or null. */
    public static Integer etherProto(String name) {
        return ETHER_PROTOS.get(name);
    }

    /** {port, tcp?1:0, udp?1:0} for a service name, or null. */
    static int[] service(String name) {
        return SERVICES.get(name);
    }
}
