package dev.bbagent.bitbucket;

import dev.bbagent.tools.ToolError;
import java.util.regex.Pattern;

/**
 * A path glob as in {@code .gitignore}: {@code *} and {@code ?} stay within one path segment, {@code **} crosses
 * segments, {@code {a,b}} is either, {@code [abc]} one of. A pattern without a {@code /} matches the file name in
 * any directory ({@code *.md}); one with a {@code /} matches the whole path from the repository root
 * ({@code src/**}/{@code *.java}, {@code docs/*}).
 */
final class Glob {

    private final String pattern;
    private final Pattern regex;
    private final boolean nameOnly;

    private Glob(String pattern, Pattern regex, boolean nameOnly) {
        this.pattern = pattern;
        this.regex = regex;
        this.nameOnly = nameOnly;
    }

    static Glob of(String pattern) {
        String p = pattern.strip();
        if (p.startsWith("/")) {
            p = p.substring(1);
        }
        if (p.isEmpty()) {
            throw new ToolError("an empty path pattern matches nothing");
        }
        return new Glob(pattern, Pattern.compile(toRegex(p)), !p.contains("/"));
    }

    boolean matches(String path) {
        if (path == null) {
            return false;
        }
        String subject = nameOnly ? path.substring(path.lastIndexOf('/') + 1) : path;
        return regex.matcher(subject).matches();
    }

    @Override
    public String toString() {
        return pattern;
    }

    private static String toRegex(String glob) {
        StringBuilder out = new StringBuilder();
        int braces = 0;
        for (int i = 0; i < glob.length(); i++) {
            char c = glob.charAt(i);
            switch (c) {
                case '*' -> {
                    if (i + 1 < glob.length() && glob.charAt(i + 1) == '*') {
                        boolean slash = i + 2 < glob.length() && glob.charAt(i + 2) == '/';
                        out.append(slash ? "(?:.*/)?" : ".*");
                        i += slash ? 2 : 1;
                    } else {
                        out.append("[^/]*");
                    }
                }
                case '?' -> out.append("[^/]");
                case '{' -> {
                    braces++;
                    out.append("(?:");
                }
                case '}' -> {
                    if (braces == 0) {
                        out.append("\\}");
                    } else {
                        braces--;
                        out.append(')');
                    }
                }
                case ',' -> out.append(braces > 0 ? "|" : ",");
                case '[' -> {
                    int end = glob.indexOf(']', i + 2);
                    if (end < 0) {
                        out.append("\\[");
                    } else {
                        String set = glob.substring(i + 1, end);
                        out.append('[').append(set.startsWith("!") ? "^" + set.substring(1) : set).append(']');
                        i = end;
                    }
                }
                default -> out.append(Pattern.quote(String.valueOf(c)));
            }
        }
        if (braces > 0) {
            throw new ToolError("unbalanced '{' in path pattern '" + glob + "'");
        }
        return out.toString();
    }
}
