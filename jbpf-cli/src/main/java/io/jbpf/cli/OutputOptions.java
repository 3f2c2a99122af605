package io.jbpf.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import picocli.CommandLine.Option;

/** The output options bpftool has: {@code -j/--json} and {@code -p/--pretty}. */
final class OutputOptions {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @Option(names = {"-j", "--json"}, description = "Print JSON.")
    boolean json;

    @Option(names = {"-p", "--pretty"}, description = "Print indented JSON (implies --json).")
    boolean pretty;

    boolean isJson() {
        return json || pretty;
    }

    String toJson(Object value) {
        try {
            return pretty ? MAPPER.copy().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(value)
                    : MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot print JSON", e);
        }
    }
}
