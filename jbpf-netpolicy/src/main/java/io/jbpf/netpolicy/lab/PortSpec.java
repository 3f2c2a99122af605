package io.jbpf.netpolicy.lab;

/**
 * A port a pod serves with one of the lab's built-in servers.
 *
 * @param name     the port's name (for named ports in policies), or empty
 * @param port     1 to 65535
 * @param protocol TCP or UDP
 * @param server   what answers on it
 */
public record PortSpec(String name, int port, Protocol protocol, Server server) {

    /** The transport protocol of a served port. */
    public enum Protocol {
        TCP, UDP
    }

    /** The built-in servers. */
    public enum Server {
        /** An HTTP server answering like traefik/whoami (TCP only). */
        WHOAMI,
        /** Sends back what it receives (TCP: the stream; UDP: each datagram). */
        ECHO
    }

    /** @throws IllegalArgumentException when the port is out of range or whoami is asked on UDP */
    public PortSpec {
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port " + port + " is not in 1..65535");
        }
        if (server == Server.WHOAMI && protocol != Protocol.TCP) {
            throw new IllegalArgumentException("the whoami server speaks HTTP over TCP, not " + protocol);
        }
        name = name == null ? "" : name;
    }
}
