package dev.bbagent.mcp;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Built-in tools served in-process: no extra process, no serialization, the same timeouts. */
public final class BuiltinToolSource implements ToolSource {

    /** A call's limit when the caller gives none (as BBAGENT_TOOL_TIMEOUT's default). */
    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);

    private final String name;
    private final Map<String, BuiltinTool> tools = new LinkedHashMap<>();
    private final ExecutorService calls = Executors.newVirtualThreadPerTaskExecutor();

    public BuiltinToolSource(String name, List<BuiltinTool> tools) {
        this.name = name;
        tools.forEach(t -> this.tools.put(t.name(), t));
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public List<ToolSpec> tools() {
        return tools.values().stream().map(BuiltinTool::spec).toList();
    }

    @Override
    public ToolResult call(String tool, Map<String, Object> arguments, Duration timeout) {
        Duration limit = timeout == null ? DEFAULT_TIMEOUT : timeout;
        BuiltinTool t = tools.get(tool);
        if (t == null) {
            return ToolResult.error("unknown tool '" + tool + "' on server '" + name + "'; available: " + tools.keySet());
        }
        Future<ToolResult> f = calls.submit(() -> t.handler().apply(arguments == null ? Map.of() : arguments));
        try {
            return f.get(limit.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            f.cancel(true);
            throw new ToolCallTimeoutException(name, tool, limit);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof ToolTransientException te) {
                throw te;
            }
            Throwable c = e.getCause();
            return ToolResult.error(tool + " failed: " + (c.getMessage() == null ? c.getClass().getSimpleName() : c.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ToolCallTimeoutException(name, tool, limit);
        }
    }

    @Override
    public boolean up() {
        return true;
    }

    @Override
    public String problem() {
        return null;
    }

    @Override
    public void close() {
        calls.shutdownNow();
    }
}
