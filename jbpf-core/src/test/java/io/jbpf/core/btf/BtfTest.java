package io.jbpf.core.btf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jbpf.core.internal.btf.ProbeBtf;
import io.jbpf.core.map.MapType;
import io.jbpf.core.prog.AttachType;
import io.jbpf.core.prog.ProgramType;
import io.jbpf.core.testing.KernelExtension;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The BTF reader on the running kernel's BTF (checked against bpftool) and on bad input. */
class BtfTest {
    static Btf kernel;

    @BeforeAll
    static void kernelBtf() {
        var k = Btf.kernel();
        if (k.isEmpty() && !KernelExtension.kernelRequired()) {
            Assumptions.abort("this kernel has no /sys/kernel/btf/vmlinux");
        }
        assertThat(k).as("kernel BTF").isPresent();
        kernel = k.get();
    }

    @Test
    void ourEnumsCarryTheKernelsNumbers() {
        Map<String, Long> progs = kernel.enumValues("bpf_prog_type");
        for (ProgramType t : ProgramType.values()) {
            assertThat(progs).as("kernel knows %s", t).containsEntry("BPF_PROG_TYPE_" + t.name(), (long) t.number());
        }
        Map<String, Long> maps = kernel.enumValues("bpf_map_type");
        for (MapType t : MapType.values()) {
            assertThat(maps).as("kernel knows %s", t).containsEntry("BPF_MAP_TYPE_" + t.name(), (long) t.number());
        }
        Map<String, Long> attach = kernel.enumValues("bpf_attach_type");
        for (AttachType t : AttachType.values()) {
            assertThat(attach).as("kernel knows %s", t).containsEntry("BPF_" + t.name(), (long) t.number());
        }
    }

    @Test
    void uapiStructsHaveTheirKnownShapes() {
        BtfType.Struct xdp = (BtfType.Struct) kernel.find(BtfKind.STRUCT, "xdp_md").orElseThrow();
        assertThat(xdp.size()).isEqualTo(24);
        assertThat(xdp.members()).extracting(BtfType.Member::name).startsWith("data", "data_end", "data_meta");
        assertThat(xdp.members().get(3).bitOffset()).isEqualTo(96);
        assertThat(kernel.sizeOf(kernel.find(BtfKind.STRUCT, "__sk_buff").orElseThrow().id())).isEqualTo(192);
        BtfType u32 = kernel.find(BtfKind.TYPEDEF, "__u32").orElseThrow();
        assertThat(kernel.resolve(u32.id())).isInstanceOfSatisfying(BtfType.Int.class, i -> {
            assertThat(i.size()).isEqualTo(4);
            assertThat(i.signed()).isFalse();
        });
    }

    /** Every type of the kernel's BTF as bpftool reads it: kind, name, and the fields that define it. */
    @Test
    void everyKernelTypeMatchesBpftool() throws Exception {
        JsonNode json;
        try {
            Process p = new ProcessBuilder("bpftool", "-j", "btf", "dump", "file", "/sys/kernel/btf/vmlinux", "format", "raw")
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            try (var in = p.getInputStream()) {
                json = new ObjectMapper().readTree(in);
            }
            p.waitFor();
        } catch (java.io.IOException e) {
            if (KernelExtension.kernelRequired()) {
                throw new AssertionError("bpftool is needed to check the BTF reader", e);
            }
            Assumptions.abort("bpftool not installed");
            return;
        }
        JsonNode types = json.get("types");
        assertThat(types.size()).isEqualTo(kernel.types().size() - 1).isGreaterThan(10_000);
        for (JsonNode t : types) {
            BtfType ours = kernel.type(t.get("id").asInt());
            String name = t.get("name").asText();
            assertThat(ours.kind().name()).as("type %s", t).isEqualTo(t.get("kind").asText());
            assertThat(ours.name().isEmpty() ? "(anon)" : ours.name()).as("type %s", t).isEqualTo(name);
            if (ours instanceof BtfType.Struct s) {
                assertThat(s.size()).as("%s", t).isEqualTo(t.get("size").asInt());
                assertThat(s.members()).as("%s", t).hasSize(t.get("vlen").asInt());
                for (int i = 0; i < s.members().size(); i++) {
                    JsonNode m = t.get("members").get(i);
                    assertThat(s.members().get(i).type()).as("%s", m).isEqualTo(m.get("type_id").asInt());
                    assertThat(s.members().get(i).bitOffset()).as("%s", m).isEqualTo(m.get("bits_offset").asInt());
                }
            } else if (ours instanceof BtfType.Int i) {
                assertThat(i.size()).as("%s", t).isEqualTo(t.get("size").asInt());
                assertThat(i.bits()).as("%s", t).isEqualTo(t.get("nr_bits").asInt());
            } else if (ours instanceof BtfType.Modifier m) {
                assertThat(m.type()).as("%s", t).isEqualTo(t.get("type_id").asInt());
            } else if (ours instanceof BtfType.Array a) {
                assertThat(a.count()).as("%s", t).isEqualTo(t.get("nr_elems").asInt());
            } else if (ours instanceof BtfType.Enum e) {
                assertThat(e.values()).as("%s", t).hasSize(t.get("vlen").asInt());
            }
        }
    }

    @Test
    void writingAndReadingBackGivesTheSameTypes() {
        byte[] raw = BtfWriter.write(kernel.types(), ByteOrder.nativeOrder());
        Btf again = Btf.parse(raw);
        assertThat(again.types()).isEqualTo(kernel.types());
        byte[] swapped = BtfWriter.write(kernel.types(), ByteOrder.BIG_ENDIAN);
        assertThat(Btf.parse(swapped).types()).isEqualTo(kernel.types());
        assertThat(BtfWriter.write(again.types(), ByteOrder.nativeOrder())).isEqualTo(raw);
    }

    /** BTF with {@code types} (each a whole type record, host order) and the strings "\0a\0b\0". */
    static byte[] btf(int[]... types) {
        int len = 0;
        for (int[] t : types) {
            len += t.length * 4;
        }
        byte[] strings = "\0a\0b\0".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        ByteBuffer b = ByteBuffer.allocate(24 + len + strings.length).order(ByteOrder.nativeOrder());
        b.putShort((short) 0xeb9f).put((byte) 1).put((byte) 0).putInt(24).putInt(0).putInt(len).putInt(len)
                .putInt(strings.length);
        for (int[] t : types) {
            for (int v : t) {
                b.putInt(v);
            }
        }
        return b.put(strings).array();
    }

    @Test
    void referenceLoopsAndBadIdsAreNamed() {
        // [1] typedef a -> 2, [2] typedef b -> 1
        Btf loop = Btf.parse(btf(new int[] {1, 8 << 24, 2}, new int[] {3, 8 << 24, 1}));
        assertThatThrownBy(() -> loop.resolve(1)).isInstanceOf(BtfException.class).hasMessageContaining("loop");
        assertThatThrownBy(() -> loop.sizeOf(2)).isInstanceOf(BtfException.class);
        assertThatThrownBy(() -> Btf.parse(btf(new int[] {1, 2 << 24, 7})))
                .isInstanceOf(BtfException.class).hasMessageContaining("PTR 'a' (id 1) refers to type 7, out of range");
        assertThatThrownBy(() -> Btf.parse(btf(new int[] {99, 1 << 24, 4, 32})))
                .isInstanceOf(BtfException.class).hasMessageContaining("name offset 99");
        assertThatThrownBy(() -> Btf.parse(btf(new int[] {1, 30 << 24, 0})))
                .isInstanceOf(BtfException.class).hasMessageContaining("unknown kind 30");
        assertThatThrownBy(() -> Btf.parse(btf(new int[] {1, (4 << 24) | 2, 8, 0, 1, 0})))
                .isInstanceOf(BtfException.class).hasMessageContaining("truncated");
        assertThat(Btf.parse(ProbeBtf.intOnly()).resolve(ProbeBtf.INT_TYPE_ID)).isInstanceOf(BtfType.Int.class);
    }

    /** Fuzz: corrupted BTF parses or fails with BtfException, nothing else. */
    @Test
    void corruptBtfFailsCleanly() {
        byte[] good = btf(new int[] {1, 1 << 24, 4, (1 << 24) | 32}, new int[] {3, (4 << 24) | 1, 8, 1, 1, 0},
                new int[] {0, 2 << 24, 2}, new int[] {1, 8 << 24, 3});
        int failures = 0;
        for (long seed = 0; seed < 5000; seed++) {
            Random r = new Random(seed);
            byte[] bad = r.nextInt(5) == 0 ? java.util.Arrays.copyOf(good, r.nextInt(good.length)) : good.clone();
            for (int i = 0, n = 1 + r.nextInt(4); i < n && bad.length > 0; i++) {
                bad[r.nextInt(bad.length)] = (byte) r.nextInt(256);
            }
            try {
                Btf b = Btf.parse(bad);
                for (BtfType t : b.types()) {
                    try {
                        b.sizeOf(t.id());
                    } catch (BtfException noSize) {
                        // functions and the like have none
                    }
                }
            } catch (BtfException expected) {
                failures++;
            } catch (RuntimeException e) {
                throw new AssertionError("seed " + seed + ": " + e, e);
            }
        }
        assertThat(failures).isGreaterThan(500);
    }
}
