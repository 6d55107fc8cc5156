package dev.bbagent.config;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses the durations users write: {@code 30s}, {@code 3m}, {@code 1h30m}, {@code 500ms}, {@code 2d}. */
public final class Durations {

    private static final Pattern PART = Pattern.compile("(\\d+)(ms|s|m|h|d)");

    private Durations() {}

    /**
     * @param what names the setting or field in the error message
     * @throws ConfigException when the text is not a duration
     */
    public static Duration parse(String text, String what) {
        String t = text == null ? "" : text.trim();
        if (t.isEmpty()) {
            throw new ConfigException(what + ": empty duration; write e.g. 30s, 3m, 1h30m or 500ms");
        }
        Matcher m = PART.matcher(t);
        Duration total = Duration.ZERO;
        int pos = 0;
        while (m.find() && m.start() == pos) {
            long n = Long.parseLong(m.group(1));
            total = total.plus(switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                default -> Duration.ofDays(n);
            });
            pos = m.end();
        }
        if (pos != t.length()) {
            throw new ConfigException(what + ": '" + text + "' is not a duration; write e.g. 30s, 3m, 1h30m or 500ms");
        }
        return total;
    }

    /** The shortest text {@link #parse} reads back as the same duration. */
    public static String format(Duration d) {
        long ms = d.toMillis();
        if (ms == 0) {
            return "0s";
        }
        if (ms % 1000 != 0) {
            return ms + "ms";
        }
        long s = ms / 1000;
        StringBuilder b = new StringBuilder();
        if (s >= 86400 && s % 86400 == 0) {
            return s / 86400 + "d";
        }
        if (s >= 3600) {
            b.append(s / 3600).append('h');
            s %= 3600;
        }
        if (s >= 60) {
            b.append(s / 60).append('m');
            s %= 60;
        }
        if (s > 0) {
            b.append(s).append('s');
        }
        return b.toString();
    }
}
