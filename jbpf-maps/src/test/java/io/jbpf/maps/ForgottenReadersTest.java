package io.jbpf.maps;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jbpf.core.JbpfException;
import io.jbpf.core.internal.sys.Cpus;
import io.jbpf.core.map.KernelMap;
import io.jbpf.core.map.MapSpec;
import io.jbpf.core.map.MapType;
import io.jbpf.core.testing.KernelTest;
import io.jbpf.maps.perf.PerfEventReader;
import io.jbpf.maps.ringbuf.RingBufferReader;
import io.jbpf.maps.ringbuf.UserRingBufferWriter;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * Readers and writers forgotten without {@code close()}: a Cleaner unmaps their mappings and
 * closes their fds once they are unreachable (as core's Cleaner test does for a bare fd).
 */
@KernelTest
class ForgottenReadersTest {

    @Test
    void aForgottenRingBufferReaderIsUnmappedAndTheMapFreed() throws Exception {
        forgetAndCollect(MapType.RINGBUF, "anon_inode:bpf-map", map -> RingBufferReader.open(map));
    }

    @Test
    void aForgottenUserRingBufferWriterIsUnmappedAndTheMapFreed() throws Exception {
        forgetAndCollect(MapType.USER_RINGBUF, "anon_inode:bpf-map", map -> UserRingBufferWriter.open(map));
    }

    @Test
    void aForgottenPerfEventReaderIsUnmappedAndItsEventsClosed() throws Exception {
        forgetAndCollect(MapType.PERF_EVENT_ARRAY, "[perf_event]", map -> PerfEventReader.open(map));
    }

    /**
     * Opens a reader of a new map of {@code type}, checks it added mappings whose /proc/self/maps line
     * contains {@code mappingName} and fds, forgets it, closes the map, and waits for the garbage
     * collector: the mappings and fds must go, and with them the map (a mapping holds the map).
     */
    private static void forgetAndCollect(MapType type, String mappingName, Consumer<KernelMap> open) throws Exception {
        List<String> mappingsBefore = mappings(mappingName);
        List<String> fdsBefore = fds();
        int id;
        try (KernelMap map = KernelMap.create(spec(type))) {
            id = map.id();
            open.accept(map); // the reader is unreachable as soon as this returns
            List<String> added = new ArrayList<>(mappings(mappingName));
            added.removeAll(mappingsBefore);
            assertThat(added).as("mappings of the reader").isNotEmpty();
            List<String> addedFds = new ArrayList<>(fds());
            addedFds.removeAll(fdsBefore);
            assertThat(addedFds).as("fds of the reader (epoll, eventfd, ...)").isNotEmpty();
        }
        boolean clean = false;
        for (int i = 0; i < 150 && !clean; i++) {
            System.gc();
            Thread.sleep(20);
            List<String> left = new ArrayList<>(mappings(mappingName));
            left.removeAll(mappingsBefore);
            List<String> leftFds = new ArrayList<>(fds());
            leftFds.removeAll(fdsBefore);
            clean = left.isEmpty() && leftFds.isEmpty();
        }
        assertThat(clean).as("the cleaners unmapped the reader's memory and closed its fds").isTrue();
        boolean freed = false;
        for (int i = 0; i < 100 && !freed; i++) {
            try (KernelMap again = KernelMap.fromId(id)) {
                Thread.sleep(20);
            } catch (JbpfException e) {
                freed = true;
            }
        }
        assertThat(freed).as("map %d is freed once no mapping holds it", id).isTrue();
        assertThatThrownBy(() -> KernelMap.fromId(id)).isInstanceOf(JbpfException.class);
    }

    private static MapSpec spec(MapType type) {
        if (type == MapType.PERF_EVENT_ARRAY) {
            return MapSpec.of("jbpf_t_forgot", type, 4, 4, Cpus.possible());
        }
        return MapSpec.of("jbpf_t_forgot", type, 0, 0, 4096);
    }

    /** Lines of /proc/self/maps naming {@code name}. */
    private static List<String> mappings(String name) throws IOException {
        return Files.readAllLines(Path.of("/proc/self/maps")).stream().filter(l -> l.contains(name)).toList();
    }

    /** "fd -> target" of this process's anonymous-inode fds (bpf objects, epoll, eventfd, perf events). */
    private static List<String> fds() throws IOException {
        List<String> out = new ArrayList<>();
        try (DirectoryStream<Path> s = Files.newDirectoryStream(Path.of("/proc/self/fd"))) {
            for (Path fd : s) {
                try {
                    String target = Files.readSymbolicLink(fd).toString();
                    if (target.startsWith("anon_inode:")) {
                        out.add(fd.getFileName() + " -> " + target);
                    }
                } catch (IOException e) {
                    // closed while listing
                }
            }
        }
        return out;
    }
}
