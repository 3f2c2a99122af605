package io.jbpf.test.packet;

import io.jbpf.test.packet.internal.Addresses;
import io.jbpf.test.packet.internal.Checksum;

/** An ARP message for IPv4 over Ethernet (RFC 826). */
public final class ArpBuilder extends LayerBuilder {
    /** The request operation. */
    public static final int REQUEST = 1;
    /** The reply operation. */
    public static final int REPLY = 2;

    private int operation;
    private MacAddress senderMac;
    private byte[] senderIp;
    private MacAddress targetMac;
    private byte[] targetIp;

    ArpBuilder(Chain chain, LayerBuilder parent, int operation, MacAddress senderMac, byte[] senderIp,
            MacAddress targetMac, byte[] targetIp) {
        super(chain, parent);
        this.operation = operation;
        this.senderMac = senderMac;
        this.senderIp = senderIp;
        this.targetMac = targetMac;
        this.targetIp = targetIp;
    }

    /** Sets the operation (1 request, 2 reply, or any other value). */
    public ArpBuilder operation(int operation) {
        checkRange("ARP operation", operation, 0xffff);
        this.operation = operation;
        return this;
    }

    /** Sets the sender hardware address (by default the frame's source). */
    public ArpBuilder senderMac(MacAddress mac) {
        this.senderMac = mac;
        return this;
    }

    /** Sets the target hardware address. */
    public ArpBuilder targetMac(MacAddress mac) {
        this.targetMac = mac;
        return this;
    }

    /** Sets the sender protocol address. */
    public ArpBuilder senderIp(String ip) {
        this.senderIp = Addresses.ipv4(ip);
        return this;
    }

    /** Sets the target protocol address. */
    public ArpBuilder targetIp(String ip) {
        this.targetIp = Addresses.ipv4(ip);
        return this;
    }

    /** Sets bytes after the ARP message (a trailer, such as Ethernet padding). */
    public ArpBuilder payload(byte[] payload) {
        setPayload(payload);
        return this;
    }

    @Override
    byte[] encode() {
        byte[] h = new byte[28];
        Checksum.put16(h, 0, 1);
        Checksum.put16(h, 2, 0x0800);
        h[4] = 6;
        h[5] = 4;
        Checksum.put16(h, 6, operation);
        System.arraycopy(senderMac.bytes(), 0, h, 8, 6);
        System.arraycopy(senderIp, 0, h, 14, 4);
        System.arraycopy(targetMac.bytes(), 0, h, 18, 6);
        System.arraycopy(targetIp, 0, h, 24, 4);
        return concat(h, inner());
    }

    @Override
    String name() {
        return "ARP";
    }
}
