package io.jbpf.loader.internal;

import io.jbpf.core.btf.Btf;
import io.jbpf.core.btf.BtfKind;
import io.jbpf.core.btf.BtfType;
import io.jbpf.core.insn.Insn;
import io.jbpf.core.insn.LoadImm64;
import io.jbpf.core.insn.LoadMapRef;
import io.jbpf.core.insn.LoadPseudo;
import io.jbpf.core.insn.PseudoSource;
import io.jbpf.core.insn.Reg;
import io.jbpf.loader.LoaderException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.zip.GZIPInputStream;

/**
 * Resolves an object's {@code extern}s as libbpf does: {@code __kconfig} ones become fields of a
 * read-only {@code .kconfig} map filled from the running kernel's configuration
 * ({@code /proc/config.gz}; {@code LINUX_KERNEL_VERSION} from the release), and {@code __ksym} ones
 * become the kernel's BTF id of that variable (typed) or its address from {@code /proc/kallsyms}
 * (untyped, {@code const void}). A {@code __weak} extern the kernel lacks is 0; a strong one is an error.
 */
public final class Externs {
    /** The name of the map that holds the kconfig values. */
    public static final String KCONFIG_MAP = ".kconfig";

    private record Kconfig(int offset, int size) {
    }

    private final Map<String, Kconfig> kconfig = new LinkedHashMap<>();
    private final Map<String, Long> ksymAddresses = new HashMap<>();
    private final Map<String, Integer> ksymBtfIds = new HashMap<>();
    private byte[] kconfigValue = new byte[0];

    private Externs() {}

    /** The externs of the object whose BTF is {@code btf}; {@code weak} says which of them are {@code __weak}. */
    public static Externs resolve(Btf btf, Map<String, Boolean> weak) {
        Externs e = new Externs();
        btf.find(BtfKind.DATASEC, ".kconfig").ifPresent(d -> e.layoutKconfig(btf, (BtfType.Datasec) d, weak));
        btf.find(BtfKind.DATASEC, ".ksyms").ifPresent(d -> e.resolveKsyms(btf, (BtfType.Datasec) d, weak));
        return e;
    }

    private void layoutKconfig(Btf btf, BtfType.Datasec sec, Map<String, Boolean> weak) {
        Map<String, String> config = kernelConfig();
        int offset = 0;
        Map<String, Long> values = new LinkedHashMap<>();
        for (BtfType.VarSecInfo v : sec.vars()) {
            BtfType var = btf.type(v.type());
            int size = (int) btf.sizeOf(var.id());
            int align = Math.min(8, Integer.highestOneBit(Math.max(1, size)));
            offset = (offset + align - 1) / align * align;
            kconfig.put(var.name(), new Kconfig(offset, size));
            values.put(var.name(), value(var.name(), config, weak.getOrDefault(var.name(), false)));
            offset += size;
        }
        ByteBuffer b = ByteBuffer.allocate(Math.max(offset, 1)).order(ByteOrder.nativeOrder());
        kconfig.forEach((name, k) -> {
            long v = values.get(name);
            switch (k.size()) {
                case 1 -> b.put(k.offset(), (byte) v);
                case 2 -> b.putShort(k.offset(), (short) v);
                case 4 -> b.putInt(k.offset(), (int) v);
                case 8 -> b.putLong(k.offset(), v);
                default -> throw new LoaderException("kconfig extern '" + name + "' of " + k.size()
                        + " bytes: only integers and booleans are supported");
            }
        });
        kconfigValue = b.array();
    }

    private static long value(String name, Map<String, String> config, boolean weak) {
        if (name.equals("LINUX_KERNEL_VERSION")) {
            String[] v = System.getProperty("os.version").split("[^0-9]+");
            return (Long.parseLong(v[0]) << 16) + (Long.parseLong(v[1]) << 8) + Math.min(255, Long.parseLong(v[2]));
        }
        if (name.equals("LINUX_HAS_BPF_COOKIE")) {
            // as libbpf probes it: a tracepoint program may call bpf_get_attach_cookie
            return io.jbpf.core.features.Features.helper(io.jbpf.core.prog.ProgramType.TRACEPOINT,
                    io.jbpf.core.insn.Helper.GET_ATTACH_COOKIE.id()).available() ? 1 : 0;
        }
        if (name.equals("LINUX_HAS_SYSCALL_WRAPPER")) {
            // as libbpf probes it: the kernel has the architecture's wrapper of a syscall (__x64_sys_bpf)
            return KernelBtfCache.get().flatMap(k -> k.find(BtfKind.FUNC, syscallPrefix() + "bpf")).isPresent() ? 1 : 0;
        }
        String raw = config.get(name);
        if (raw == null) {
            if (weak) {
                return 0;
            }
            throw new LoaderException("the kernel's configuration has no " + name + " (declare it __weak to read 0)");
        }
        return switch (raw) {
            case "y" -> 1;
            case "m" -> 2;
            case "n" -> 0;
            default -> {
                try {
                    yield raw.startsWith("0x") ? Long.parseLong(raw.substring(2), 16) : Long.parseLong(raw);
                } catch (NumberFormatException e) {
                    throw new LoaderException(name + "=" + raw + " is not a number; string kconfig externs are not supported");
                }
            }
        };
    }

    /** The prefix of this architecture's syscall wrappers ({@code __x64_sys_}), as libbpf knows them. */
    public static String syscallPrefix() {
        return switch (System.getProperty("os.arch")) {
            case "amd64", "x86_64" -> "__x64_sys_";
            case "x86", "i386" -> "__ia32_sys_";
            case "aarch64" -> "__arm64_sys_";
            case "s390x" -> "__s390x_sys_";
            case "riscv64" -> "__riscv_sys_";
            case "ppc64le", "ppc64" -> "sys_";
            default -> "__se_sys_";
        };
    }

    private static Map<String, String> kernelConfig() {
        Map<String, String> config = new HashMap<>();
        Path gz = Path.of("/proc/config.gz");
        Path plain = Path.of("/boot/config-" + System.getProperty("os.version"));
        try {
            String text;
            if (Files.isReadable(gz)) {
                try (InputStream in = new GZIPInputStream(Files.newInputStream(gz))) {
                    text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                }
            } else if (Files.isReadable(plain)) {
                text = Files.readString(plain);
            } else {
                return config;
            }
            for (String line : text.split("\n")) {
                int eq = line.indexOf('=');
                if (line.startsWith("CONFIG_") && eq > 0) {
                    config.put(line.substring(0, eq), line.substring(eq + 1).replace("\"", ""));
                }
            }
        } catch (IOException e) {
            throw new LoaderException("cannot read the kernel's configuration: " + e.getMessage(), e);
        }
        return config;
    }

    private void resolveKsyms(Btf btf, BtfType.Datasec sec, Map<String, Boolean> weak) {
        Optional<Btf> kernel = KernelBtfCache.get();
        Map<String, Long> kallsyms = null;
        for (BtfType.VarSecInfo v : sec.vars()) {
            BtfType var = btf.type(v.type());
            boolean untyped = var instanceof BtfType.Var x && btf.resolve(x.type()) instanceof BtfType.Void;
            if (untyped) {
                if (kallsyms == null) {
                    kallsyms = kallsyms();
                }
                Long addr = kallsyms.get(var.name());
                if (addr == null && !weak.getOrDefault(var.name(), false)) {
                    throw new LoaderException("ksym '" + var.name() + "' is not in /proc/kallsyms");
                }
                ksymAddresses.put(var.name(), addr == null ? 0 : addr);
            } else {
                Optional<BtfType> k = kernel.flatMap(b -> b.find(BtfKind.VAR, var.name()));
                if (k.isEmpty() && !weak.getOrDefault(var.name(), false)) {
                    throw new LoaderException("ksym '" + var.name() + "' is no variable of the kernel's BTF");
                }
                ksymBtfIds.put(var.name(), k.map(BtfType::id).orElse(0));
            }
        }
    }

    private static Map<String, Long> kallsyms() {
        Map<String, Long> out = new HashMap<>();
        try {
            for (String line : Files.readAllLines(Path.of("/proc/kallsyms"))) {
                String[] f = line.split("\\s+");
                if (f.length >= 3) {
                    out.putIfAbsent(f[2], Long.parseUnsignedLong(f[0], 16));
                }
            }
        } catch (IOException e) {
            throw new LoaderException("cannot read /proc/kallsyms: " + e.getMessage(), e);
        }
        return out;
    }

    /** Where each kconfig extern lies in the kconfig map's value. */
    public Map<String, Integer> kconfigOffsets() {
        Map<String, Integer> out = new LinkedHashMap<>();
        kconfig.forEach((name, k) -> out.put(name, k.offset()));
        return out;
    }

    /** Whether the object has kconfig externs (and so a {@link #KCONFIG_MAP} map). */
    public boolean hasKconfig() {
        return !kconfig.isEmpty();
    }

    /** The initial (and only) value of the kconfig map. */
    public byte[] kconfigValue() {
        return kconfigValue.clone();
    }

    /** The instruction that loads extern {@code name} into {@code dst}, or null when it is no extern of this object. */
    public Insn load(String name, Reg dst, int addend) {
        Kconfig k = kconfig.get(name);
        if (k != null) {
            return LoadMapRef.value(dst, KCONFIG_MAP, k.offset() + addend);
        }
        Long addr = ksymAddresses.get(name);
        if (addr != null) {
            return new LoadImm64(dst, addr + addend);
        }
        Integer id = ksymBtfIds.get(name);
        if (id != null) {
            return new LoadPseudo(dst, PseudoSource.BTF_ID, id, 0);
        }
        return null;
    }
}
