package io.jbpf.loader;

import static org.assertj.core.api.Assertions.assertThat;

import io.jbpf.core.btf.Btf;
import io.jbpf.core.btf.BtfFeatures;
import io.jbpf.core.btf.BtfKind;
import io.jbpf.core.btf.BtfSanitizer;
import io.jbpf.core.btf.BtfType;
import io.jbpf.core.btf.BtfWriter;
import io.jbpf.core.features.Features;
import io.jbpf.core.map.KernelMap;
import io.jbpf.core.prog.TestRun;
import io.jbpf.core.testing.KernelTest;
import io.jbpf.core.testing.LlvmToolchain;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * BTF rewritten for kernels older than this one, as libbpf sanitises it: with the feature set
 * forced to "old kernel", the BTF has none of the later kinds, still loads into this kernel with
 * the maps and programs that refer to it, and they work.
 */
@KernelTest
class BtfSanitizerTest {
    static final String SOURCE = """
            #include <linux/bpf.h>
            #include <bpf/bpf_helpers.h>
            enum big { BIG = 0x100000000ULL };
            struct sample {
            	float f;
            	double d;
            	enum big e;
            	int __attribute__((btf_type_tag("user"))) *p;
            } __attribute__((btf_decl_tag("sample")));
            struct {
            	__uint(type, BPF_MAP_TYPE_ARRAY);
            	__uint(max_entries, 1);
            	__type(key, __u32);
            	__type(value, struct sample);
            } samples SEC(".maps");
            __u64 hits = 0;
            const volatile int step = 2;
            __attribute__((noinline)) int global_add(int x)
            {
            	hits += x;
            	return x;
            }
            SEC("xdp")
            int sanitized(struct xdp_md *ctx)
            {
            	__u32 k = 0;
            	struct sample *s = bpf_map_lookup_elem(&samples, &k);
            	if (s)
            		s->e = BIG;
            	return global_add(step) == 2 ? XDP_PASS : XDP_DROP;
            }
            char LICENSE[] SEC("license") = "GPL";
            """;
    static final Set<BtfKind> LATE = EnumSet.of(BtfKind.VAR, BtfKind.DATASEC, BtfKind.FUNC, BtfKind.FUNC_PROTO,
            BtfKind.FLOAT, BtfKind.DECL_TAG, BtfKind.TYPE_TAG, BtfKind.ENUM64);
    static ObjectSpec spec;

    @BeforeAll
    static void compile(@TempDir Path dir) throws Exception {
        Path source = Files.writeString(dir.resolve("sanitize.bpf.c"), SOURCE);
        spec = ObjectSpec.open(LlvmToolchain.require().compileBpf(source, dir));
    }

    @Test
    void thisKernelTakesEveryKindSoNothingIsRewritten() {
        assertThat(Features.btf()).isEqualTo(BtfFeatures.ALL);
        List<BtfType> types = spec.btf().orElseThrow().types();
        assertThat(BtfSanitizer.sanitize(types, BtfFeatures.ALL)).isSameAs(types);
    }

    @Test
    void theRewrittenBtfHasNoLateKindsAndKeepsEveryId() {
        Btf before = Btf.parse(spec.programs().get("sanitized").btf().orElseThrow().btf());
        assertThat(before.types()).extracting(BtfType::kind).as("the object has them all").containsAll(LATE);
        List<BtfType> after = BtfSanitizer.sanitize(before.types(), BtfFeatures.NONE);
        Btf reparsed = Btf.parse(BtfWriter.write(after, ByteOrder.nativeOrder()));
        assertThat(reparsed.types()).extracting(BtfType::kind).doesNotContainAnyElementsOf(LATE);
        assertThat(reparsed.types()).hasSize(before.types().size() + 1); // the enum64 placeholder
        for (BtfType t : before.types()) {
            assertThat(reparsed.type(t.id()).name()).as("id %d", t.id())
                    .isEqualTo(t instanceof BtfType.Datasec || t instanceof BtfType.Var ? t.name().replace('.', '_')
                            : t instanceof BtfType.DeclTag || t.kind() == BtfKind.TYPE_TAG ? "" : t.name());
            if (!(t instanceof BtfType.Var) && !(t instanceof BtfType.DeclTag) && !(t instanceof BtfType.Func)
                    && !(t instanceof BtfType.FuncProto) && !(t instanceof BtfType.Void) && !(t instanceof BtfType.Ptr)
                    && !(t instanceof BtfType.Modifier)) {
                assertThat(reparsed.sizeOf(t.id())).as("size of %s", Btf.describe(t)).isEqualTo(before.sizeOf(t.id()));
            }
        }
        // only what the kernel lacks changes
        List<BtfType> onlyFloats = BtfSanitizer.sanitize(before.types(),
                new BtfFeatures(true, true, true, false, true, true, true));
        assertThat(onlyFloats).extracting(BtfType::kind).doesNotContain(BtfKind.FLOAT).contains(BtfKind.DATASEC,
                BtfKind.ENUM64, BtfKind.DECL_TAG);
    }

    @Test
    void sanitisedForAnOldKernelTheObjectStillLoadsAndRuns() {
        try (BpfObject obj = BpfObject.load(spec, BpfObject.DEFAULT_PIN_ROOT, BtfFeatures.NONE)) {
            assertThat(obj.program("sanitized").testRun(TestRun.withData(new byte[64])).returnValue()).isEqualTo(2);
            assertThat(ByteBuffer.wrap(obj.readVariable("hits")).order(ByteOrder.nativeOrder()).getLong()).isEqualTo(2);
            KernelMap samples = obj.map("samples");
            byte[] v = new byte[samples.valueBufferSize()];
            assertThat(samples.lookup(new byte[4], v)).isTrue();
            assertThat(ByteBuffer.wrap(v).order(ByteOrder.nativeOrder()).getLong(16)).isEqualTo(0x100000000L);

            assertThat(obj.program("sanitized").info().btfId()).as("no FUNC: no func info, so the kernel keeps no BTF")
                    .isZero();
            Btf kernelView = samples.btf().orElseThrow();
            assertThat(kernelView.types()).extracting(BtfType::kind).doesNotContainAnyElementsOf(LATE);
            assertThat(kernelView.type(samples.info().btfValueTypeId()).name()).isEqualTo("sample");
            // the kernel takes key-less BTF for global data only with a DATASEC value: without DATASEC the
            // map is made again without BTF, as libbpf does on such a kernel
            assertThat(obj.map(".bss").btf()).isEmpty();
        }
    }

    @Test
    void withFuncsButNoGlobalOnesProgramsKeepTheirBtfAndLineInfo() {
        BtfFeatures funcsOnly = new BtfFeatures(false, true, false, false, false, false, false);
        try (BpfObject obj = BpfObject.load(spec, BpfObject.DEFAULT_PIN_ROOT, funcsOnly)) {
            assertThat(obj.program("sanitized").testRun(TestRun.withData(new byte[64])).returnValue()).isEqualTo(2);
            assertThat(obj.program("sanitized").info().btfId()).isPositive();
            Btf kernelView = obj.map("samples").btf().orElseThrow();
            assertThat(kernelView.types()).filteredOn(t -> t instanceof BtfType.Func)
                    .extracting(t -> ((BtfType.Func) t).linkage()).isNotEmpty().containsOnly(0);
            assertThat(kernelView.types()).extracting(BtfType::kind).contains(BtfKind.FUNC_PROTO)
                    .doesNotContain(BtfKind.DATASEC, BtfKind.FLOAT, BtfKind.ENUM64);
        }
    }
}
