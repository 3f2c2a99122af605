package io.jbpf.core.internal.netlink;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class NetlinkMessageTest {

    @Test
    void buildsHeaderFamilyHeaderAndNestedAttributes() {
        byte[] bytes = NetlinkMessage.request(Netlink.RTM_SETLINK, Netlink.NLM_F_ACK)
                .header(new byte[] {1, 2, 3, 4, 5})
                .attrString(3, "ab")
                .beginNested(43 | Netlink.NLA_F_NESTED)
                .attrU32(1, -1)
                .attrU16(3, 7)
                .endNested()
                .bytes(99);
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.nativeOrder());
        assertThat(b.getInt(0)).isEqualTo(bytes.length);
        assertThat(b.getShort(4)).isEqualTo((short) Netlink.RTM_SETLINK);
        assertThat(b.getShort(6)).isEqualTo((short) (Netlink.NLM_F_REQUEST | Netlink.NLM_F_ACK));
        assertThat(b.getInt(8)).isEqualTo(99);
        // family header padded to 8, string attribute "ab\0" padded to 8, nested 4 + 8 + 8
        assertThat(bytes.length).isEqualTo(16 + 8 + 8 + 20);
        NetlinkAttributes attrs = NetlinkAttributes.parse(b, 24, bytes.length);
        assertThat(attrs.string(3)).contains("ab");
        NetlinkAttributes nested = attrs.nested(43).orElseThrow();
        assertThat(nested.u32(1)).contains(-1);
        assertThat(nested.get(3).orElseThrow().getShort(0)).isEqualTo((short) 7);
        assertThat(attrs.has(44)).isFalse();
    }

    @Test
    void readsTheExtendedAckMessageOfAnError() {
        byte[] text = "Program already attached\0".getBytes(StandardCharsets.UTF_8);
        int tlvLen = 4 + text.length;
        ByteBuffer body = ByteBuffer.allocate(4 + 16 + Netlink.align(tlvLen)).order(ByteOrder.nativeOrder());
        body.putInt(0, -16); // EBUSY
        body.putInt(4, 40); // the original request's length; capped, so only its header follows
        body.putShort(20, (short) tlvLen).putShort(22, (short) Netlink.NLMSGERR_ATTR_MSG);
        body.put(24, text);
        int flags = Netlink.NLM_F_CAPPED | Netlink.NLM_F_ACK_TLVS;
        assertThat(NetlinkSocket.extendedAck(body, flags)).isEqualTo("Program already attached");
        assertThat(NetlinkSocket.extendedAck(body, Netlink.NLM_F_CAPPED)).isEmpty();
    }
}
