package dev.bbagent.mcp;

import java.util.ArrayDeque;
import java.util.Deque;

/** The last lines a server wrote to stderr, for the reason given when it dies. */
final class StderrTail {

    static final int LINES = 20;
    private static final int MAX_LINE = 500;

    private final Deque<String> lines = new ArrayDeque<>();
    private final int max;

    StderrTail(int max) {
        this.max = max;
    }

    synchronized void add(String line) {
        String l = line.length() > MAX_LINE ? line.substring(0, MAX_LINE) + "..." : line;
        if (l.isBlank()) {
            return;
        }
        if (lines.size() == max) {
            lines.removeFirst();
        }
        lines.addLast(l);
    }

    /** The kept lines joined by newlines, or "" when there are none. */
    synchronized String text() {
        return String.join("\n", lines);
    }
}
