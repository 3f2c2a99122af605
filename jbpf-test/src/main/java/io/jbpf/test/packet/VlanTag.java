package io.jbpf.test.packet;

/**
 * One VLAN tag: 802.1Q ({@code 0x8100}) or 802.1ad ({@code 0x88a8}).
 *
 * @param tpid the tag protocol identifier
 * @param priority the priority code point, 0–7
 * @param dropEligible the DEI bit
 * @param vid the VLAN id, 0–4095
 */
public record VlanTag(int tpid, int priority, boolean dropEligible, int vid) {
    public VlanTag {
        LayerBuilder.checkRange("TPID", tpid, 0xffff);
        LayerBuilder.checkRange("VLAN priority", priority, 7);
        LayerBuilder.checkRange("VLAN id", vid, 4095);
    }

    /** The 16-bit tag control information: priority, DEI and VLAN id. */
    public int tci() {
        return (priority << 13) | (dropEligible ? 0x1000 : 0) | vid;
    }
}
