package dev.bbagent.bitbucket;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Cuts a unified git diff down to what fits a model's context: split into one section per file
 * ({@code diff --git}), keep the files the {@code include} globs name and the {@code exclude} globs do not, then
 * take whole files in diff order while they fit in {@code maxBytes}. What is left out is listed with the reason,
 * so the model can ask for those files separately. When not even one chosen file fits, the first one is cut at a
 * line boundary instead of showing nothing.
 */
final class DiffSlicer {

    /** One file's section of the diff; {@code path} is the new path, or the old one for a deleted file. */
    record FileDiff(String path, String oldPath, String text, int bytes) {}

    /** A file not (fully) shown, and why. */
    record LeftOut(String path, int bytes, String reason) {}

    /** The diff to show, the files left out, and how many files the diff has. */
    record Slice(String diff, int shownBytes, List<String> shown, List<LeftOut> leftOut, int totalFiles) {}

    private static final String SECTION = "diff --git ";

    private DiffSlicer() {}

    /**
     * @param cutOff whether the diff was longer than what was downloaded (its last section is incomplete)
     */
    static Slice slice(String diff, List<Glob> include, List<Glob> exclude, int maxBytes, boolean cutOff) {
        List<FileDiff> files = split(diff);
        List<FileDiff> chosen = new ArrayList<>();
        List<LeftOut> leftOut = new ArrayList<>();
        for (int i = 0; i < files.size(); i++) {
            FileDiff f = files.get(i);
            if (cutOff && i == files.size() - 1) {
                leftOut.add(new LeftOut(f.path(), f.bytes(), "cut off: the whole diff is too large to download"));
            } else if (!include.isEmpty() && matchesNone(include, f)) {
                leftOut.add(new LeftOut(f.path(), f.bytes(), "not matched by include"));
            } else if (firstMatch(exclude, f).isPresent()) {
                leftOut.add(new LeftOut(f.path(), f.bytes(), "excluded by " + firstMatch(exclude, f).get()));
            } else {
                chosen.add(f);
            }
        }
        StringBuilder out = new StringBuilder();
        List<String> shown = new ArrayList<>();
        int used = 0;
        for (FileDiff f : chosen) {
            if (used + f.bytes() <= maxBytes) {
                out.append(f.text());
                shown.add(f.path());
                used += f.bytes();
            } else {
                leftOut.add(new LeftOut(f.path(), f.bytes(), "does not fit in max_bytes"));
            }
        }
        if (shown.isEmpty() && !chosen.isEmpty()) {
            FileDiff first = chosen.getFirst();
            String cut = cutAtLine(first.text(), maxBytes);
            out.append(cut);
            shown.add(first.path());
            used = utf8Length(cut);
            leftOut.removeIf(l -> l.path().equals(first.path()));
            leftOut.add(0, new LeftOut(first.path(), first.bytes(), "cut at " + used + " of its " + first.bytes()
                    + " bytes to fit in max_bytes"));
        }
        return new Slice(out.toString(), used, shown, leftOut, files.size());
    }

    /** The diff's file sections, in order. Text before the first section (none in git's output) is dropped. */
    static List<FileDiff> split(String diff) {
        List<FileDiff> files = new ArrayList<>();
        int start = diff.startsWith(SECTION) ? 0 : diff.indexOf("\n" + SECTION);
        if (start < 0) {
            return files;
        }
        start = diff.startsWith(SECTION) ? 0 : start + 1;
        while (start >= 0 && start < diff.length()) {
            int next = diff.indexOf("\n" + SECTION, start);
            int end = next < 0 ? diff.length() : next + 1;
            files.add(file(diff.substring(start, end)));
            start = next < 0 ? -1 : end;
        }
        return files;
    }

    private static FileDiff file(String text) {
        String newPath = null;
        String oldPath = null;
        String renameTo = null;
        String renameFrom = null;
        for (String line : text.split("\n")) {
            if (line.startsWith("@@")) {
                break;
            } else if (line.startsWith("+++ ")) {
                newPath = side(line.substring(4), "b/");
            } else if (line.startsWith("--- ")) {
                oldPath = side(line.substring(4), "a/");
            } else if (line.startsWith("rename to ")) {
                renameTo = line.substring("rename to ".length());
            } else if (line.startsWith("rename from ")) {
                renameFrom = line.substring("rename from ".length());
            }
        }
        newPath = newPath != null ? newPath : renameTo;
        oldPath = oldPath != null ? oldPath : renameFrom;
        if (newPath == null && oldPath == null) {
            // no ---/+++ lines (a mode change, a binary file): read "diff --git a/X b/Y"
            String header = text.substring(SECTION.length(), text.indexOf('\n') < 0 ? text.length() : text.indexOf('\n'));
            int b = header.lastIndexOf(" b/");
            newPath = b < 0 ? header : header.substring(b + 3);
            oldPath = b < 0 ? header : side(header.substring(0, b), "a/");
        }
        String path = newPath != null ? newPath : oldPath;
        return new FileDiff(path, oldPath, text, utf8Length(text));
    }

    /** {@code b/src/x.py} to {@code src/x.py}; {@code /dev/null} to null. */
    private static String side(String raw, String prefix) {
        String p = raw.strip();
        int tab = p.indexOf('\t');
        p = tab < 0 ? p : p.substring(0, tab);
        if (p.length() > 1 && p.startsWith("\"") && p.endsWith("\"")) {
            p = p.substring(1, p.length() - 1);
        }
        if (p.equals("/dev/null")) {
            return null;
        }
        return p.startsWith(prefix) ? p.substring(prefix.length()) : p;
    }

    private static boolean matchesNone(List<Glob> globs, FileDiff f) {
        return firstMatch(globs, f).isEmpty();
    }

    private static Optional<Glob> firstMatch(List<Glob> globs, FileDiff f) {
        return globs.stream().filter(g -> g.matches(f.path()) || g.matches(f.oldPath())).findFirst();
    }

    /** The longest prefix of whole lines within {@code maxBytes} (or of characters, when the first line is longer). */
    private static String cutAtLine(String text, int maxBytes) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        if (bytes.length <= maxBytes) {
            return text;
        }
        String prefix = new String(bytes, 0, maxBytes, StandardCharsets.UTF_8);
        if (!prefix.isEmpty() && prefix.charAt(prefix.length() - 1) == '\uFFFD') {
            prefix = prefix.substring(0, prefix.length() - 1); // half a character at the cut
        }
        int newline = prefix.lastIndexOf('\n');
        return newline > 0 ? prefix.substring(0, newline + 1) : prefix;
    }

    static int utf8Length(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }
}
