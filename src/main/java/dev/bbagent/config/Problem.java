package dev.bbagent.config;

/**
 * One thing wrong with a rules file.
 *
 * @param line 1-based line in the file, 0 when unknown
 * @param where the field, in the file's own terms ({@code rules[2].if}, {@code mcp_servers.nexus.env})
 */
public record Problem(String file, int line, String where, String message) {

    /** {@code config/rules.yaml:14: rules[0] "pr-review".tools: unknown server "bitbuket"}. */
    public String format() {
        return file + (line > 0 ? ":" + line : "") + ": " + (where.isEmpty() ? "" : where + ": ") + message;
    }

    @Override
    public String toString() {
        return format();
    }
}
