package dev.bbagent.agent;

import dev.bbagent.agent.llm.LlmRequest;
import dev.bbagent.config.RulesFile;
import dev.bbagent.mcp.McpServers;
import dev.bbagent.mcp.ToolNames;
import dev.bbagent.mcp.ToolSource;
import dev.bbagent.mcp.ToolSourceUnavailableException;
import dev.bbagent.mcp.ToolSpec;
import dev.bbagent.rules.CompiledRules;
import dev.bbagent.rules.RunSettings;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The tools one run may use: the rule's allowlist applied to what each server offers now, named
 * {@code server__tool} for the model, plus the hosted MCP servers handed to the Responses API.
 */
final class ToolBox {

    /** One offered function and where its calls go. */
    record Entry(String function, String server, ToolSpec spec, ToolSource source) {}

    private final Map<String, Entry> entries = new LinkedHashMap<>();
    private final List<LlmRequest.HostedMcp> hosted = new ArrayList<>();
    private final ToolNames names = new ToolNames();

    /**
     * @throws ToolSourceUnavailableException when a server the rule needs cannot list its tools
     */
    static ToolBox build(CompiledRules rules, RunSettings settings, ToolPolicy policy, McpServers servers) {
        return build(rules, settings, policy, servers, null);
    }

    /**
     * @param deadline on {@link System#nanoTime()}: starting or reaching the servers (and listing their
     *     tools) stops then; null for no deadline beyond the servers' own limits
     * @throws ToolSourceUnavailableException when a server the rule needs cannot list its tools in time
     */
    static ToolBox build(CompiledRules rules, RunSettings settings, ToolPolicy policy, McpServers servers,
            Long deadline) {
        ToolBox box = new ToolBox();
        Set<String> wanted = new LinkedHashSet<>();
        for (String t : settings.tools()) {
            wanted.add(t.substring(0, t.indexOf('.')));
        }
        for (String server : wanted) {
            RulesFile.McpServer def = rules.servers().get(server);
            if (def != null && def.isHosted()) {
                box.hosted.add(hostedOf(server, def, settings.tools()));
                continue;
            }
            ToolSource source = servers.source(server).orElseThrow(() -> new ToolSourceUnavailableException(server,
                    "it is not defined, or disabled, in the rules in force", null));
            List<ToolSpec> specs = deadline == null ? source.tools()
                    : source.tools(java.time.Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
            for (ToolSpec spec : specs) {
                if (policy.offered(server, spec.name())) {
                    String fn = box.names.name(server, spec.name());
                    box.entries.put(fn, new Entry(fn, server, spec, source));
                }
            }
        }
        return box;
    }

    /** Exact tool names become allowed_tools; {@code server.*} allows all of the server's tools. */
    private static LlmRequest.HostedMcp hostedOf(String server, RulesFile.McpServer def, List<String> tools) {
        List<String> exact = new ArrayList<>();
        boolean all = false;
        for (String t : tools) {
            if (t.startsWith(server + ".")) {
                String tool = t.substring(server.length() + 1);
                if (tool.equals("*")) {
                    all = true;
                } else if (!tool.contains("*") && !tool.contains("?")) {
                    exact.add(tool);
                }
            }
        }
        return new LlmRequest.HostedMcp(server, def.url(), def.headers(), all ? null : exact);
    }

    List<LlmRequest.Function> functions() {
        return entries.values().stream().map(e -> new LlmRequest.Function(e.function(),
                e.spec().description(), e.spec().inputSchema())).toList();
    }

    List<LlmRequest.HostedMcp> hosted() {
        return List.copyOf(hosted);
    }

    Optional<Entry> resolve(String function) {
        return Optional.ofNullable(entries.get(function));
    }

    boolean isEmpty() {
        return entries.isEmpty() && hosted.isEmpty();
    }
}
