package io.jbpf.core.insn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.Arrays;
import java.util.HashSet;
import org.junit.jupiter.api.Test;

class HelperTest {
    @Test
    void numbersOfWellKnownHelpers() {
        // from include/uapi/linux/bpf.h, enum bpf_func_id
        assertThat(Helper.MAP_LOOKUP_ELEM.id()).isEqualTo(1);
        assertThat(Helper.TRACE_PRINTK.id()).isEqualTo(6);
        assertThat(Helper.TAIL_CALL.id()).isEqualTo(12);
        assertThat(Helper.RINGBUF_OUTPUT.id()).isEqualTo(130);
        assertThat(Helper.ofName("bpf_redirect_map").id()).isEqualTo(51);
    }

    @Test
    void lookupByNameInAllSpellings() {
        assertThat(Helper.ofName("bpf_map_lookup_elem")).isSameAs(Helper.MAP_LOOKUP_ELEM);
        assertThat(Helper.ofName("map_lookup_elem")).isSameAs(Helper.MAP_LOOKUP_ELEM);
        assertThat(Helper.ofName("BPF_FUNC_map_lookup_elem")).isSameAs(Helper.MAP_LOOKUP_ELEM);
        assertThat(Helper.MAP_LOOKUP_ELEM.cName()).isEqualTo("bpf_map_lookup_elem");
    }

    @Test
    void lookupByNumberInvertsId() {
        for (Helper h : Helper.values()) {
            assertThat(Helper.ofId(h.id())).isSameAs(h);
            assertThat(Helper.ofName(h.cName())).isSameAs(h);
        }
        assertThat(new HashSet<>(Arrays.asList(Helper.values()))).hasSize(Helper.values().length);
    }

    @Test
    void unknownNameSuggestsTheClosest() {
        UnknownHelperException e = catchThrowableOfType(UnknownHelperException.class,
                () -> Helper.ofName("bpf_map_lookup_elme"));
        assertThat(e.getMessage()).contains("bpf_map_lookup_elme").contains("did you mean bpf_map_lookup_elem?");
        assertThat(e.suggestion()).contains(Helper.MAP_LOOKUP_ELEM);
    }

    @Test
    void unknownNameWithNothingClose() {
        UnknownHelperException e = catchThrowableOfType(UnknownHelperException.class,
                () -> Helper.ofName("frobnicate_everything_now"));
        assertThat(e.suggestion()).isEmpty();
        assertThat(e.getMessage()).isEqualTo("unknown helper 'frobnicate_everything_now'");
    }

    @Test
    void unknownNumber() {
        assertThat(catchThrowableOfType(UnknownHelperException.class, () -> Helper.ofId(100000)).getMessage())
                .contains("100000");
        assertThat(new CallHelper(100000).helper()).isEmpty();
        assertThat(new CallHelper(1).helper()).contains(Helper.MAP_LOOKUP_ELEM);
    }
}
