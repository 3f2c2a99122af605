package io.jbpf.core.internal.sys;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

class NativeBufferTest {

    @Test
    void writeAndReadMoveEveryByteForEveryLengthAroundTheWordwiseLimit() {
        Random random = new Random(7);
        NativeBuffer b = NativeBuffer.allocate(200);
        for (int n = 0; n <= 130; n++) {
            byte[] in = new byte[n];
            random.nextBytes(in);
            // bytes past the copy must stay as they were
            b.buffer().put(n, (byte) 0x5a);
            b.write(in);
            assertThat(b.toArray(n)).as("written, %d bytes", n).isEqualTo(in);
            assertThat(b.buffer().get(n)).as("the byte after %d bytes", n).isEqualTo((byte) 0x5a);

            byte[] out = new byte[n];
            b.read(out);
            assertThat(out).as("read back, %d bytes", n).isEqualTo(in);
        }
    }

    @Test
    void aFrameCopyGrowsItsSlotAndKeepsTheBytes() {
        CallFrame f = CallFrame.current();
        byte[] big = new byte[1000];
        new Random(3).nextBytes(big);
        NativeBuffer b = f.copy(0, big);
        assertThat(b.size()).isGreaterThanOrEqualTo(1000);
        assertThat(b.toArray(1000)).isEqualTo(big);
        assertThat(f.slot(0, 10)).as("the grown slot is kept").isSameAs(b);
    }
}
