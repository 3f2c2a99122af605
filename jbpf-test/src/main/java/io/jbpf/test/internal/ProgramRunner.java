package io.jbpf.test.internal;

import io.jbpf.core.map.RawMap;
import io.jbpf.test.RunOptions;
import java.util.List;
import java.util.Map;

/** One engine's way of running a loaded program. Not API. */
public interface ProgramRunner extends AutoCloseable {

    /** What an engine reports of one run, before it is made a {@link io.jbpf.test.RunOutcome}. */
    record Result(int verdict, byte[] data, byte[] context, int redirectIfindex, List<String> trace) {}

    /** Runs the program once over {@code packet}. */
    Result run(byte[] packet, RunOptions options);

    /** The program's maps by name. */
    Map<String, RawMap> maps();

    /** Releases the program and its maps. */
    @Override
    void close();
}
