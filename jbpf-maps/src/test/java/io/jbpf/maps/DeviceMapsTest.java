package io.jbpf.maps;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jbpf.core.BpfException;
import io.jbpf.core.Errno;
import io.jbpf.core.testing.KernelTest;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Device maps and cpumaps; device maps are also where the kernel refuses batch commands. */
@KernelTest
class DeviceMapsTest {
    static final int LO = 1; // the loopback device's ifindex in every network namespace

    @Test
    void devMapsHoldInterfaceIndexes() {
        try (BpfDevMap d = BpfDevMap.create("jbpf_t_dev", 4); BpfDevMap h = BpfDevMap.createHash("jbpf_t_devh", 4)) {
            assertThat(d.get(0)).isNull();
            d.put(2, LO);
            assertThat(d.get(2)).isEqualTo(LO);
            h.put(1000, LO);
            assertThat(h.get(1000)).isEqualTo(LO);
            assertThat(h.getAll()).containsExactly(Map.entry(1000, LO));
            // no such device: the kernel says EINVAL
            assertThatThrownBy(() -> d.put(1, 999_999)).isInstanceOfSatisfying(BpfException.class,
                    e -> assertThat(e.errno()).isEqualTo(Errno.EINVAL)).hasMessageContaining("jbpf_t_dev");
            assertThat(d.remove(2)).isTrue();
            assertThat(d.get(2)).isNull();
        }
    }

    @Test
    void autoFallsBackWhenTheKernelRefusesBatchesAndMatchesSingleCalls() {
        try (BpfDevMap auto = BpfDevMap.createHash("jbpf_t_dauto", 64);
                BpfDevMap single = BpfDevMap.createHash("jbpf_t_dsingle", 64);
                BpfDevMap forced = BpfDevMap.createHash("jbpf_t_dforced", 64)) {
            single.batchMode(BatchMode.SINGLE);
            forced.batchMode(BatchMode.BATCH);
            Map<Integer, Integer> want = new java.util.HashMap<>();
            for (int i = 0; i < 50; i++) {
                want.put(i * 3, LO);
            }
            assertThat(auto.batchSupported()).isTrue();
            auto.putAll(want);
            assertThat(auto.batchSupported()).as("the kernel refused BPF_MAP_UPDATE_BATCH, AUTO remembered").isFalse();
            single.putAll(want);
            assertThat(auto.getAll()).isEqualTo(want).isEqualTo(single.getAll());
            assertThatThrownBy(() -> forced.putAll(want)).isInstanceOfSatisfying(BpfException.class,
                    e -> assertThat(e.errno()).isIn(Errno.ENOTSUPP, Errno.EINVAL, Errno.EOPNOTSUPP));
            assertThatThrownBy(() -> forced.getAll()).isInstanceOf(BpfException.class);
        }
    }

    @Test
    void cpuMapsHoldQueueSizes() {
        try (BpfCpuMap c = BpfCpuMap.create("jbpf_t_cpu", 1)) {
            assertThat(c.get(0)).isNull();
            c.put(0, 192);
            assertThat(c.get(0)).isEqualTo(192);
            assertThat(c.remove(0)).isTrue();
            assertThat(c.get(0)).isNull();
        }
    }
}
