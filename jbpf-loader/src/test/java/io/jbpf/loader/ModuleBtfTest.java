package io.jbpf.loader;

import static org.assertj.core.api.Assertions.assertThat;

import io.jbpf.core.btf.Btf;
import io.jbpf.core.btf.BtfExt;
import io.jbpf.core.btf.BtfKind;
import io.jbpf.core.btf.BtfType;
import io.jbpf.core.btf.BtfWriter;
import io.jbpf.core.testing.LlvmToolchain;
import io.jbpf.loader.elf.ElfFile;
import io.jbpf.loader.internal.CoreRelocator;
import io.jbpf.loader.internal.KernelBtfCache;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Module BTF: split BTF on top of vmlinux, and CO-RE candidates from it for types vmlinux lacks.
 * This machine loads no module with BTF (/sys/kernel/btf holds only vmlinux), so the module is
 * made here: split BTF that bpftool reads the same way ({@code -B vmlinux}), put where a module's
 * would be.
 */
class ModuleBtfTest {
    static final String SOURCE = """
            #include <linux/bpf.h>
            #include <bpf/bpf_helpers.h>
            struct jbpf_mod_thing { int a; long b; } __attribute__((preserve_access_index));
            struct list_head { void *next, *prev, *extra; } __attribute__((preserve_access_index));
            SEC("xdp")
            int mod_core(struct xdp_md *ctx)
            {
            	struct jbpf_mod_thing *t = 0;
            	struct list_head *l = 0;
            	return __builtin_preserve_field_info(t->b, 0 /* byte offset */)
            		+ 1000 * __builtin_preserve_field_info(l->prev, 0);
            }
            char LICENSE[] SEC("license") = "GPL";
            """;

    @Test
    void coreFindsTypesThatOnlyAModuleHas(@TempDir Path dir) throws Exception {
        Btf vmlinux = KernelBtfCache.get().orElse(null);
        Assumptions.assumeTrue(vmlinux != null, "this kernel has no /sys/kernel/btf/vmlinux");
        assertThat(vmlinux.find(BtfKind.STRUCT, "jbpf_mod_thing")).isEmpty();

        // the module: struct jbpf_mod_thing { long pad; int x; int a; long b; }, and its own list_head
        int intId = vmlinux.find(BtfKind.INT, "int").orElseThrow().id();
        int longId = vmlinux.find(BtfKind.INT, "long int").orElseThrow().id();
        int first = vmlinux.types().size();
        List<BtfType> own = List.of(
                new BtfType.Struct(first, "jbpf_mod_thing", false, 24, List.of(
                        new BtfType.Member("pad", longId, 0, 0), new BtfType.Member("x", intId, 64, 0),
                        new BtfType.Member("a", intId, 96, 0), new BtfType.Member("b", longId, 128, 0))),
                new BtfType.Struct(first + 1, "list_head", false, 8, List.of(new BtfType.Member("prev", first + 2, 0, 0))),
                new BtfType.Ptr(first + 2, "", 0));
        Path sysfs = Files.createDirectories(dir.resolve("btf"));
        Files.writeString(sysfs.resolve("vmlinux"), "not read: the base is given");
        Path file = Files.write(sysfs.resolve("jbpf_mod"), BtfWriter.writeSplit(own, vmlinux, ByteOrder.nativeOrder()));

        Map<String, Btf> modules = KernelBtfCache.read(sysfs, vmlinux);
        assertThat(modules).containsOnlyKeys("jbpf_mod");
        Btf module = modules.get("jbpf_mod");
        assertThat(module.firstOwnId()).isEqualTo(first);
        assertThat(module.types()).hasSize(first + 3);
        assertThat(module.type(first)).isEqualTo(own.get(0));
        assertThat(module.type(first + 1).name()).isEqualTo("list_head");
        assertThat(module.type(intId)).isEqualTo(vmlinux.type(intId));
        assertThat(module.find(BtfKind.STRUCT, "jbpf_mod_thing")).contains(own.get(0));

        String theirs = LlvmToolchain.run(List.of("bpftool", "btf", "dump", "file", file.toString(), "-B",
                "/sys/kernel/btf/vmlinux"), null);
        assertThat(theirs).contains("[" + first + "] STRUCT 'jbpf_mod_thing' size=24 vlen=4")
                .contains("'b' type_id=" + longId + " bits_offset=128")
                .contains("[" + (first + 1) + "] STRUCT 'list_head' size=8 vlen=1");

        LlvmToolchain tools = LlvmToolchain.require();
        Path obj = tools.compileBpf(Files.writeString(dir.resolve("mod_core.bpf.c"), SOURCE), dir);
        ElfFile elf = ElfFile.parse(Files.readAllBytes(obj));
        Btf local = Btf.parse(elf.bytes(elf.section(".BTF").orElseThrow()));
        List<BtfExt.CoreRelo> relos = BtfExt.parse(elf.bytes(elf.section(".BTF.ext").orElseThrow()), local).coreRelos("xdp");
        assertThat(relos).hasSize(2);

        Map<Integer, CoreRelocator.Patch> withModule = new CoreRelocator(local, vmlinux, modules).patches("xdp", relos);
        Map<Integer, CoreRelocator.Patch> vmlinuxOnly = new CoreRelocator(local, vmlinux).patches("xdp", relos);
        for (BtfExt.CoreRelo r : relos) {
            String type = local.type(r.typeId()).name();
            CoreRelocator.Patch with = withModule.get(r.insnOffset() / 8);
            CoreRelocator.Patch without = vmlinuxOnly.get(r.insnOffset() / 8);
            if (type.equals("jbpf_mod_thing")) {
                assertThat(with.poison()).isFalse();
                assertThat(with.value()).as("b's offset in the module's type, not the local 8").isEqualTo(16);
                assertThat(without.poison()).as("vmlinux alone has no such type").isTrue();
            } else {
                // vmlinux has list_head: its candidate wins, the module's is not consulted
                assertThat(type).isEqualTo("list_head");
                assertThat(with.poison()).isFalse();
                assertThat(with.value()).isEqualTo(8).isEqualTo(without.value());
            }
        }
    }

    @Test
    void splitBtfStringsAndIdsContinueTheBase() {
        Btf base = Btf.parse(BtfWriter.write(List.of(new BtfType.Void(), new BtfType.Int(1, "int", 4, true, false, false, 0, 32)),
                ByteOrder.LITTLE_ENDIAN));
        byte[] raw = BtfWriter.writeSplit(List.of(new BtfType.Ptr(2, "", 1), new BtfType.Modifier(3, "int_p", BtfKind.TYPEDEF, 2)),
                base, ByteOrder.LITTLE_ENDIAN);
        Btf split = Btf.parseSplit(raw, base);
        assertThat(split.base()).contains(base);
        assertThat(split.types()).hasSize(4);
        assertThat(split.type(3).name()).isEqualTo("int_p");
        assertThat(split.resolve(3)).isEqualTo(new BtfType.Ptr(2, "", 1));
        assertThat(split.sizeOf(1)).isEqualTo(4);
        assertThat(Btf.parse(raw).type(2).name()).as("without its base the names are not found").isNotEqualTo("int_p");
    }
}
