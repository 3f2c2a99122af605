package io.jbpf.netpolicy.flow;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jbpf.netpolicy.datapath.FlowEvents;
import io.jbpf.netpolicy.policy.Direction;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * One observed flow, as Hubble shows it: a drop with its reason, or an allowed connection's first
 * packet (a policy verdict), with both ends named by pod where the node knows them.
 *
 * @param sequence        the agent's running number of the flow
 * @param time            when the datapath saw it
 * @param node            the node that saw it
 * @param dropped         whether it was dropped
 * @param reason          Cilium's drop reason, 0 when forwarded
 * @param direction       the local endpoint's direction (ingress: it was the destination)
 * @param protocol        the IP protocol number
 * @param tcpFlags        TCP flags, 0 for other protocols
 * @param source          the source, {@code namespace/pod} or the address
 * @param sourceAddress   the source address
 * @param sourcePort      the source port (0 without one)
 * @param sourceIdentity  the source's identity
 * @param destination     the destination, {@code namespace/pod} or the address
 * @param destinationAddress the destination address
 * @param destinationPort the destination port (0 without one)
 * @param destinationIdentity the destination's identity
 * @param icmpType        the ICMP type (0 for other protocols)
 * @param icmpCode        the ICMP code (0 for other protocols)
 */
public record Flow(long sequence, Instant time, String node, boolean dropped, int reason, Direction direction,
        int protocol, int tcpFlags, String source, String sourceAddress, int sourcePort, int sourceIdentity,
        String destination, String destinationAddress, int destinationPort, int destinationIdentity, int icmpType,
        int icmpCode) {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("MMM dd HH:mm:ss.SSS", Locale.ROOT)
            .withZone(ZoneId.systemDefault());
    private static final ObjectMapper JSON = new ObjectMapper();

    /** {@code DROPPED} or {@code FORWARDED}. */
    public String verdict() {
        return dropped ? "DROPPED" : "FORWARDED";
    }

    /** The protocol's name ({@code TCP}, {@code UDP}, {@code ICMPv4}, …). */
    public String protocolName() {
        switch (protocol) {
            case 6:
                return "TCP";
            case 17:
                return "UDP";
            case 1:
                return "ICMPv4";
            case 132:
                return "SCTP";
            default:
                return "proto " + protocol;
        }
    }

    /** The TCP flags as Hubble names them ({@code SYN}, {@code SYN, ACK}, …). */
    public String tcpFlagNames() {
        String[] names = {"FIN", "SYN", "RST", "PSH", "ACK", "URG", "ECE", "CWR"};
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < names.length; i++) {
            if ((tcpFlags & (1 << i)) != 0) {
                b.append(b.length() == 0 ? "" : ", ").append(names[i]);
            }
        }
        return b.toString();
    }

    /** The ICMP type as Hubble names it ({@code EchoRequest}, {@code DestinationUnreachable}, …). */
    public String icmpTypeName() {
        switch (icmpType) {
            case 0:
                return "EchoReply";
            case 3:
                return "DestinationUnreachable";
            case 4:
                return "SourceQuench";
            case 5:
                return "Redirect";
            case 8:
                return "EchoRequest";
            case 11:
                return "TimeExceeded";
            case 12:
                return "ParameterProblem";
            case 13:
                return "Timestamp";
            case 14:
                return "TimestampReply";
            default:
                return "Type" + icmpType;
        }
    }

    private static String end(String name, int port) {
        return port == 0 ? name : name + ":" + port;
    }

    /** Hubble's compact line. */
    public String compact() {
        StringBuilder b = new StringBuilder();
        b.append(TIME.format(time)).append(": ")
                .append(end(source, sourcePort)).append(" (ID:").append(sourceIdentity).append(")")
                .append(dropped ? " <> " : " -> ")
                .append(end(destination, destinationPort)).append(" (ID:").append(destinationIdentity).append(")");
        if (dropped) {
            b.append(' ').append(FlowEvents.reasonText(reason)).append(" DROPPED");
        } else {
            b.append(" policy-verdict:L3-L4 ").append(direction).append(" ALLOWED");
        }
        b.append(" (").append(protocolName());
        if (protocol == 6) {
            b.append(" Flags: ").append(tcpFlagNames());
        } else if (protocol == 1) {
            b.append(' ').append(icmpTypeName());
        }
        return b.append(')').toString();
    }

    /** The flow as one JSON object (Hubble-like field names). */
    public String json() {
        ObjectNode o = JSON.createObjectNode();
        o.put("time", time.toString());
        o.put("node_name", node);
        o.put("verdict", verdict());
        if (dropped) {
            o.put("drop_reason", reason);
            o.put("drop_reason_desc", FlowEvents.reasonText(reason));
        }
        o.put("traffic_direction", direction.name());
        ObjectNode src = o.putObject("source");
        src.put("name", source).put("ip", sourceAddress).put("identity", sourceIdentity);
        ObjectNode dst = o.putObject("destination");
        dst.put("name", destination).put("ip", destinationAddress).put("identity", destinationIdentity);
        ObjectNode l4 = o.putObject("l4");
        l4.put("protocol", protocolName()).put("source_port", sourcePort).put("destination_port", destinationPort);
        if (protocol == 6) {
            l4.put("flags", tcpFlagNames());
        } else if (protocol == 1) {
            l4.putObject("ICMPv4").put("type", icmpType).put("code", icmpCode);
        }
        o.put("sequence", sequence);
        return o.toString();
    }
}
