package io.jbpf.loader.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.jbpf.core.btf.Btf;
import io.jbpf.core.btf.BtfException;
import io.jbpf.core.btf.BtfType;
import io.jbpf.loader.elf.ElfException;
import io.jbpf.loader.elf.ElfFile;
import io.jbpf.loader.elf.ElfSection;

/**
 * Jazzer fuzz targets for the parsers: any bytes either parse or fail with the parser's typed
 * exception — never another exception, a hang or a crash. Without JAZZER_FUZZ they run the inputs
 * kept beside them (src/test/resources/.../ParserFuzzTestInputs); with JAZZER_FUZZ=1 (as .ci/run
 * does, one target per run, bounded by maxDuration) they fuzz.
 */
class ParserFuzzTest {

    @FuzzTest(maxDuration = "20s")
    void elf(byte[] data) {
        try {
            ElfFile elf = ElfFile.parse(data);
            for (ElfSection s : elf.sections()) {
                elf.bytes(s);
                elf.relocations(s);
            }
        } catch (ElfException expected) {
            // a typed refusal is the right answer to bad input
        }
    }

    @FuzzTest(maxDuration = "20s")
    void btf(byte[] data) {
        try {
            Btf btf = Btf.parse(data);
            for (BtfType t : btf.types()) {
                try {
                    btf.sizeOf(t.id());
                } catch (BtfException noSize) {
                    // functions and the like have no size
                }
            }
            io.jbpf.core.btf.BtfWriter.write(io.jbpf.core.btf.BtfSanitizer.sanitize(btf.types(),
                    io.jbpf.core.btf.BtfFeatures.NONE), java.nio.ByteOrder.LITTLE_ENDIAN);
            io.jbpf.core.btf.BtfCPrinter.print(btf);
        } catch (BtfException expected) {
            // a typed refusal is the right answer to bad input
        }
    }
}
