package io.jbpf.core.dsl;

import java.util.List;
import java.util.Objects;

/**
 * One rule of a {@link PacketProgram}: when {@code match} holds, run {@code actions} in order.
 *
 * @param match   the condition
 * @param actions what to do; without a verdict at the end the next rule is tried
 */
public record Rule(Match match, List<Action> actions) {
    public Rule {
        Objects.requireNonNull(match, "match");
        actions = List.copyOf(actions);
        for (int i = 0; i < actions.size() - 1; i++) {
            if (actions.get(i).isVerdict()) {
                throw new DslException("action " + actions.get(i) + " ends the program, but " + actions.get(i + 1)
                        + " follows it");
            }
        }
    }

    /** Whether the actions end with a verdict. */
    public boolean ends() {
        return !actions.isEmpty() && actions.get(actions.size() - 1).isVerdict();
    }
}
