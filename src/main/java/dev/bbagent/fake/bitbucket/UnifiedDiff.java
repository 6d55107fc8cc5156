package dev.bbagent.fake.bitbucket;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Computes a git-style unified diff ({@code diff --git}, {@code index}, {@code ---}/{@code +++}, hunks with
 * three lines of context) between two file trees, from a longest-common-subsequence line match.
 */
final class UnifiedDiff {

    private static final int CONTEXT = 3;
    /** Above this many line pairs a file is shown as wholly replaced instead of matched line by line. */
    private static final long MAX_CELLS = 4_000_000;
    private static final String NO_NEWLINE = "\n\\ No newline at end of file";

    private record Edit(char op, String text, int oldBefore, int newBefore) {}

    private UnifiedDiff() {}

    static String between(Map<String, String> oldTree, Map<String, String> newTree) {
        StringBuilder out = new StringBuilder();
        TreeSet<String> paths = new TreeSet<>(oldTree.keySet());
        paths.addAll(newTree.keySet());
        for (String path : paths) {
            String before = oldTree.get(path);
            String after = newTree.get(path);
            if (before != null && before.equals(after)) {
                continue;
            }
            out.append("diff --git a/").append(path).append(" b/").append(path).append('\n');
            String oldBlob = before == null ? "0000000" : Ids.blob(before).substring(0, 7);
            String newBlob = after == null ? "0000000" : Ids.blob(after).substring(0, 7);
            if (before == null) {
                out.append("new file mode 100644\n").append("index ").append(oldBlob).append("..").append(newBlob).append('\n');
            } else if (after == null) {
                out.append("deleted file mode 100644\n").append("index ").append(oldBlob).append("..").append(newBlob).append('\n');
            } else {
                out.append("index ").append(oldBlob).append("..").append(newBlob).append(" 100644\n");
            }
            List<Edit> edits = edits(lines(before), lines(after));
            if (!edits.isEmpty()) {
                out.append("--- ").append(before == null ? "/dev/null" : "a/" + path).append('\n');
                out.append("+++ ").append(after == null ? "/dev/null" : "b/" + path).append('\n');
                hunks(edits, out);
            }
        }
        return out.toString();
    }

    /** The file's lines; a last line without a newline carries git's "No newline" marker so it compares unequal. */
    private static List<String> lines(String content) {
        if (content == null || content.isEmpty()) {
            return List.of();
        }
        List<String> lines = new ArrayList<>(List.of(content.split("\n", -1)));
        String last = lines.removeLast();
        if (!last.isEmpty()) {
            lines.add(last + NO_NEWLINE);
        }
        return lines;
    }

    private static List<Edit> edits(List<String> a, List<String> b) {
        int n = a.size();
        int m = b.size();
        List<Edit> edits = new ArrayList<>();
        if ((long) n * m > MAX_CELLS) {
            for (int i = 0; i < n; i++) {
                edits.add(new Edit('-', a.get(i), i, 0));
            }
            for (int j = 0; j < m; j++) {
                edits.add(new Edit('+', b.get(j), n, j));
            }
            return edits;
        }
        int[][] lcs = new int[n + 1][m + 1];
        for (int i = n - 1; i >= 0; i--) {
            for (int j = m - 1; j >= 0; j--) {
                lcs[i][j] = a.get(i).equals(b.get(j)) ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
            }
        }
        int i = 0;
        int j = 0;
        while (i < n || j < m) {
            if (i < n && j < m && a.get(i).equals(b.get(j))) {
                edits.add(new Edit(' ', a.get(i), i++, j++));
            } else if (j >= m || (i < n && lcs[i + 1][j] >= lcs[i][j + 1])) {
                edits.add(new Edit('-', a.get(i), i++, j));
            } else {
                edits.add(new Edit('+', b.get(j), i, j++));
            }
        }
        return edits;
    }

    private static void hunks(List<Edit> edits, StringBuilder out) {
        int k = 0;
        while (true) {
            int firstChange = nextChange(edits, k);
            if (firstChange < 0) {
                return;
            }
            int lastChange = firstChange;
            for (int c = nextChange(edits, firstChange + 1); c >= 0 && c - lastChange <= 2 * CONTEXT;
                    c = nextChange(edits, c + 1)) {
                lastChange = c;
            }
            int start = Math.max(0, firstChange - CONTEXT);
            int end = Math.min(edits.size(), lastChange + 1 + CONTEXT);
            hunk(edits.subList(start, end), out);
            k = end;
        }
    }

    private static int nextChange(List<Edit> edits, int from) {
        for (int i = from; i < edits.size(); i++) {
            if (edits.get(i).op() != ' ') {
                return i;
            }
        }
        return -1;
    }

    private static void hunk(List<Edit> hunk, StringBuilder out) {
        int oldCount = (int) hunk.stream().filter(e -> e.op() != '+').count();
        int newCount = (int) hunk.stream().filter(e -> e.op() != '-').count();
        int oldStart = hunk.getFirst().oldBefore() + (oldCount == 0 ? 0 : 1);
        int newStart = hunk.getFirst().newBefore() + (newCount == 0 ? 0 : 1);
        out.append("@@ -").append(range(oldStart, oldCount)).append(" +").append(range(newStart, newCount)).append(" @@\n");
        hunk.forEach(e -> out.append(e.op()).append(e.text()).append('\n'));
    }

    private static String range(int start, int count) {
        return count == 1 ? Integer.toString(start) : start + "," + count;
    }
}
