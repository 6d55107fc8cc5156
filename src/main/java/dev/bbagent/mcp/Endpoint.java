package dev.bbagent.mcp;

import dev.bbagent.config.RulesFile;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Where an MCP server bbagent connects to lives: a program to start (stdio) or a URL. */
sealed interface Endpoint {

    /** How the endpoint appears in reasons and logs; never includes header or environment values. */
    String describe();

    /** A program speaking MCP on its stdin and stdout. */
    record Stdio(String command, List<String> args, Map<String, String> env, Path cwd) implements Endpoint {
        @Override
        public String describe() {
            return "command '" + command + "'";
        }
    }

    /** A remote server: Streamable HTTP, or the legacy HTTP+SSE transport when {@code sse}. */
    record Http(URI url, Map<String, String> headers, boolean sse) implements Endpoint {
        @Override
        public String describe() {
            return url.toString();
        }
    }

    /**
     * Reads a server definition from rules.yaml.
     *
     * @throws IllegalArgumentException when it is not a stdio or URL server bbagent connects to itself
     */
    static Endpoint of(RulesFile.McpServer def) {
        if (def.command() != null && !def.command().isBlank()) {
            Path cwd = def.cwd() == null || def.cwd().isBlank() ? null : Path.of(def.cwd());
            return new Stdio(def.command(), def.args(), def.env(), cwd);
        }
        if (def.url() != null && !def.url().isBlank()) {
            String transport = def.transport() == null ? "streamable_http" : def.transport().trim().toLowerCase();
            if (!transport.equals("streamable_http") && !transport.equals("sse")) {
                throw new IllegalArgumentException("transport must be streamable_http or sse, not '" + def.transport() + "'");
            }
            URI url;
            try {
                url = URI.create(def.url().trim());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("url '" + def.url() + "' is not a URL: " + e.getMessage(), e);
            }
            if (url.getScheme() == null || !url.getScheme().matches("(?i)https?") || url.getHost() == null) {
                throw new IllegalArgumentException("url must start with http:// or https://, not '" + def.url() + "'");
            }
            return new Http(url, def.headers(), transport.equals("sse"));
        }
        throw new IllegalArgumentException("an MCP server needs 'command' (stdio) or 'url' (HTTP)");
    }
}
