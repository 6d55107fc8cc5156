package dev.bbagent.agent;

import dev.bbagent.history.HistoryRecords;
import java.util.List;

/** Tells a retried attempt which changes earlier attempts of the same job already made, so it does not repeat them. */
final class EarlierWrites {

    private static final int MAX_RESULT = 300;

    private EarlierWrites() {}

    /** Null when earlier attempts changed nothing. */
    static String note(List<HistoryRecords.ToolCall> writes, int attempt) {
        if (writes.isEmpty()) {
            return null;
        }
        StringBuilder b = new StringBuilder("This is attempt " + attempt + " of this task. Earlier attempts failed"
                + " part-way but already made these changes; do not make them again, build on them:\n");
        for (HistoryRecords.ToolCall w : writes) {
            String result = w.result() == null ? "" : w.result();
            if (result.length() > MAX_RESULT) {
                result = result.substring(0, MAX_RESULT) + "...";
            }
            b.append("- ").append(w.server()).append('.').append(w.tool()).append(' ').append(w.arguments())
                    .append(w.outcome().equals("dry_run") ? " (dry run)" : "").append(" -> ").append(result).append('\n');
        }
        return b.toString();
    }
}
