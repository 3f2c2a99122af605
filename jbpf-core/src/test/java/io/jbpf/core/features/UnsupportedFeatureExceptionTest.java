package io.jbpf.core.features;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class UnsupportedFeatureExceptionTest {

    @Test
    void anOlderKernelIsToldWhichVersionHasTheFeature() {
        assertThat(UnsupportedFeatureException.message("TCX links", "6.6", "5.15.0-91-generic"))
                .isEqualTo("TCX links is not supported by this kernel (5.15.0-91-generic); it needs Linux 6.6 or later");
    }

    @Test
    void aNewerKernelWithoutTheFeatureWasBuiltWithoutIt() {
        assertThat(UnsupportedFeatureException.message("kprobes", "4.17", "6.18.44-fc"))
                .contains("not available in this kernel (6.18.44-fc)").contains("built or configured without it");
    }

    @Test
    void versionsCompareNumerically() {
        assertThat(UnsupportedFeatureException.compareVersions("6.18.44", "6.6")).isPositive();
        assertThat(UnsupportedFeatureException.compareVersions("5.10", "5.9")).isPositive();
        assertThat(UnsupportedFeatureException.compareVersions("4.19.0", "4.19")).isZero();
        assertThat(UnsupportedFeatureException.compareVersions("3.18", "4.1")).isNegative();
    }
}
