package dev.bbagent.fake.bitbucket;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Reads a unified diff back into per-file sections, for {@code /diffstat} and for {@code /diff?path=}:
 * paths, a Bitbucket status ({@code added}, {@code removed}, {@code modified}, {@code renamed}) and line counts.
 */
final class DiffStat {

    /** One file's part of a diff. Paths are null on the side where the file does not exist. */
    record FileDiff(String oldPath, String newPath, String status, int linesAdded, int linesRemoved, String text) {}

    private DiffStat() {}

    static List<FileDiff> parse(String diff) {
        List<FileDiff> files = new ArrayList<>();
        StringBuilder section = null;
        String[] lines = diff.split("\n", -1);
        int count = diff.endsWith("\n") ? lines.length - 1 : lines.length;
        for (int i = 0; i < count; i++) {
            String line = lines[i];
            if (line.startsWith("diff --git ")) {
                if (section != null) {
                    files.add(file(section.toString()));
                }
                section = new StringBuilder();
            }
            if (section != null) {
                section.append(line).append('\n');
            }
        }
        if (section != null) {
            files.add(file(section.toString()));
        }
        return files;
    }

    /** Only the sections touching one of the paths; all of them when no path is given. */
    static String only(String diff, Collection<String> paths) {
        if (paths == null || paths.isEmpty()) {
            return diff;
        }
        Set<String> wanted = new HashSet<>(paths);
        StringBuilder out = new StringBuilder();
        parse(diff).stream().filter(f -> wanted.contains(f.newPath()) || wanted.contains(f.oldPath()))
                .forEach(f -> out.append(f.text()));
        return out.toString();
    }

    private static FileDiff file(String text) {
        String[] lines = text.split("\n");
        String[] gitPaths = lines[0].substring("diff --git ".length()).split(" ", 2);
        String oldPath = strip(gitPaths[0], "a/");
        String newPath = gitPaths.length > 1 ? strip(gitPaths[1], "b/") : oldPath;
        String status = "modified";
        int added = 0;
        int removed = 0;
        boolean inHunks = false;
        for (String line : lines) {
            if (inHunks) {
                added += line.startsWith("+") ? 1 : 0;
                removed += line.startsWith("-") ? 1 : 0;
            } else if (line.startsWith("@@")) {
                inHunks = true;
            } else if (line.startsWith("new file mode") || line.equals("--- /dev/null")) {
                status = "added";
            } else if (line.startsWith("deleted file mode") || line.equals("+++ /dev/null")) {
                status = "removed";
            } else if (line.startsWith("rename from")) {
                status = "renamed";
            }
        }
        return new FileDiff(status.equals("added") ? null : oldPath, status.equals("removed") ? null : newPath, status,
                added, removed, text);
    }

    private static String strip(String path, String prefix) {
        return path.startsWith(prefix) ? path.substring(prefix.length()) : path;
    }
}
