package io.jbpf.cli;

import io.jbpf.core.BpfException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.function.IntFunction;

/** Prints every kernel object of a kind, as text or as one JSON array, skipping those gone meanwhile. */
final class Listing {
    private Listing() {}

    static <T> void print(OutputOptions out, PrintWriter w, List<Integer> ids, IntFunction<T> byId,
            Function<T, Map<String, Object>> toJson, BiConsumer<PrintWriter, T> asText) {
        List<Map<String, Object>> json = new ArrayList<>();
        for (int id : ids) {
            T item;
            try {
                item = byId.apply(id);
            } catch (BpfException gone) {
                continue; // unloaded or freed between listing and opening
            }
            if (out.isJson()) {
                json.add(toJson.apply(item));
            } else {
                asText.accept(w, item);
            }
        }
        if (out.isJson()) {
            w.println(out.toJson(json));
        }
        w.flush();
    }
}
