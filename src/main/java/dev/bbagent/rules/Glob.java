package dev.bbagent.rules;

import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.Locale;

/**
 * A case-insensitive glob over repository names and branches ({@code acme/*}, {@code release/**},
 * {@code main}), with the common shapes answered without a regular expression; other patterns use the
 * JDK's glob syntax. Matching runs for every rule on every delivery, so it has to be cheap.
 */
final class Glob {

    private enum Kind { EXACT, ONE_LEVEL, ANY_DEPTH, MATCHER }

    private final String pattern;
    private final Kind kind;
    private final String prefix;
    private final PathMatcher matcher;

    private Glob(String pattern, Kind kind, String prefix, PathMatcher matcher) {
        this.pattern = pattern;
        this.kind = kind;
        this.prefix = prefix;
        this.matcher = matcher;
    }

    /** @throws IllegalArgumentException when the pattern is not a valid glob */
    static Glob of(String raw) {
        String p = raw.toLowerCase(Locale.ROOT);
        PathMatcher m = FileSystems.getDefault().getPathMatcher("glob:" + p); // validates every pattern
        if (!hasWildcard(p)) {
            return new Glob(p, Kind.EXACT, p, null);
        }
        if (p.endsWith("/**") && !hasWildcard(p.substring(0, p.length() - 3))) {
            return new Glob(p, Kind.ANY_DEPTH, p.substring(0, p.length() - 2), null);
        }
        if (p.endsWith("/*") && !hasWildcard(p.substring(0, p.length() - 2))) {
            return new Glob(p, Kind.ONE_LEVEL, p.substring(0, p.length() - 1), null);
        }
        return new Glob(p, Kind.MATCHER, null, m);
    }

    private static boolean hasWildcard(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '*' || c == '?' || c == '[' || c == '{' || c == '\\') {
                return true;
            }
        }
        return false;
    }

    /** @param lowerCased the value, already lower case */
    boolean matches(String lowerCased) {
        return switch (kind) {
            case EXACT -> prefix.equals(lowerCased);
            case ONE_LEVEL -> lowerCased.length() > prefix.length() && lowerCased.startsWith(prefix)
                    && lowerCased.indexOf('/', prefix.length()) < 0;
            case ANY_DEPTH -> lowerCased.length() > prefix.length() && lowerCased.startsWith(prefix);
            case MATCHER -> matcher.matches(Path.of(lowerCased));
        };
    }

    @Override
    public String toString() {
        return pattern;
    }
}
