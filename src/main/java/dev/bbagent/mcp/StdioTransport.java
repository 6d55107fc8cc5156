package dev.bbagent.mcp;

import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.json.TypeRef;
import io.modelcontextprotocol.spec.McpClientTransport;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpSchema.JSONRPCMessage;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

/**
 * The stdio transport: starts the server program with a minimal environment in its working folder,
 * exchanges newline-delimited JSON-RPC on its stdin and stdout, and keeps the last stderr lines.
 *
 * <p>Unlike the SDK's {@code StdioClientTransport} it notices when the process dies: pending requests
 * fail at once with the exit code and the last stderr lines instead of waiting for a timeout. Its
 * threads are named {@code mcp-<server>-stdout}, {@code -stderr} and {@code -stdin}.
 *
 * <p>They are platform daemon threads, not virtual ones: reading or writing a pipe to a child process
 * blocks in native code for as long as the program stays silent (a server that never answers, or
 * never reads), and a virtual thread doing that holds its carrier the whole time. A few silent servers
 * would take every carrier and stop every other virtual thread of the process (HTTP, jobs, shutdown).
 */
final class StdioTransport implements McpClientTransport {

    private static final Logger log = LoggerFactory.getLogger(StdioTransport.class);
    private static final long GRACE_MS = 1000;
    private static final Pattern ERRNO = Pattern.compile("error[=:] ?(\\d+)");
    private static final long TERM_MS = 2000;

    private final String server;
    private final Endpoint.Stdio endpoint;
    private final McpJsonMapper json;
    private final Consumer<String> onLost;
    private final StderrTail stderr = new StderrTail(StderrTail.LINES);
    private final ExecutorService writer;
    private final AtomicBoolean reading = new AtomicBoolean();
    private final AtomicBoolean lost = new AtomicBoolean();
    private volatile Process process;
    private volatile Thread stderrReader;
    private volatile String deadReason;
    private volatile boolean closing;

    /**
     * @param onLost told once, with the reason, when the process dies or closes its stdout without
     *     bbagent asking it to
     */
    StdioTransport(String server, Endpoint.Stdio endpoint, McpJsonMapper json, Consumer<String> onLost) {
        this.server = server;
        this.endpoint = endpoint;
        this.json = json;
        this.onLost = onLost;
        this.writer = Executors.newSingleThreadExecutor(pipeThreads("stdin"));
    }

    /**
     * Starts the program. Called before the MCP client connects, so a missing program is reported
     * as such and not as an initialization failure.
     *
     * @throws TransportFailure with a reason such as "command 'npx' not found"
     */
    void start() {
        if (endpoint.cwd() != null && !Files.isDirectory(endpoint.cwd())) {
            throw new TransportFailure("working folder '" + endpoint.cwd() + "' does not exist");
        }
        List<String> command = new ArrayList<>();
        command.add(endpoint.command());
        command.addAll(endpoint.args());
        ProcessBuilder builder = new ProcessBuilder(command);
        if (endpoint.cwd() != null) {
            builder.directory(endpoint.cwd().toFile());
        }
        ProcessEnvironment.apply(builder.environment(), System.getenv(), endpoint.env());
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new TransportFailure(startFailure(e), e);
        }
        log.debug("MCP server '{}': started {} (pid {})", server, endpoint.describe(), process.pid());
        stderrReader = pipeThreads("stderr").newThread(this::readStderr);
        stderrReader.start();
    }

    /**
     * Platform daemon threads for the blocking pipe I/O of one stream of the process (see the class
     * comment), named {@code mcp-<server>-<stream>}.
     */
    private ThreadFactory pipeThreads(String stream) {
        return Thread.ofPlatform().daemon().name("mcp-" + server + "-" + stream).factory();
    }

    private String startFailure(IOException e) {
        String message = String.valueOf(e.getMessage());
        // "error=2, No such file..." up to JDK 21; "Exec failed, error: 2 (No such file...)" since
        Matcher errno = ERRNO.matcher(message);
        String code = errno.find() ? errno.group(1) : "";
        return switch (code) {
            case "2" -> endpoint.describe() + " not found (is it installed and on PATH?)";
            case "13" -> endpoint.describe() + " is not executable (permission denied)";
            default -> "cannot start " + endpoint.describe() + ": " + message;
        };
    }

    /** The process, once started. */
    Process process() {
        return process;
    }

    @Override
    public Mono<Void> connect(Function<Mono<JSONRPCMessage>, Mono<JSONRPCMessage>> handler) {
        return Mono.fromRunnable(() -> {
            if (process != null && reading.compareAndSet(false, true)) {
                pipeThreads("stdout").newThread(() -> readStdout(handler)).start();
            }
        });
    }

    private void readStdout(Function<Mono<JSONRPCMessage>, Mono<JSONRPCMessage>> handler) {
        try (BufferedReader in = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                if (line.isBlank()) {
                    continue;
                }
                JSONRPCMessage message;
                try {
                    message = McpSchema.deserializeJsonRpcMessage(json, line);
                } catch (IOException | IllegalArgumentException e) {
                    log.debug("MCP server '{}': ignoring a stdout line that is not JSON-RPC: {}", server, line);
                    stderr.add("[stdout] " + line);
                    continue;
                }
                handler.apply(Mono.just(message)).subscribe(
                        ignored -> {}, error -> log.debug("MCP server '{}': handling a message failed", server, error));
            }
        } catch (IOException e) {
            log.debug("MCP server '{}': reading stdout failed", server, e);
        }
        died();
    }

    private void readStderr() {
        try (BufferedReader in = new BufferedReader(
                new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                stderr.add(line);
                log.debug("MCP server '{}' stderr: {}", server, line);
            }
        } catch (IOException e) {
            log.debug("MCP server '{}': reading stderr failed", server, e);
        }
    }

    /** stdout ended: the process exited (or closed stdout, which is as good as dead). */
    private void died() {
        if (closing || !lost.compareAndSet(false, true)) {
            return;
        }
        String reason = exitReason(TERM_MS);
        if (process.isAlive()) {
            reason = "the process closed its stdout";
            kill();
        }
        deadReason = reason;
        onLost.accept(reason);
    }

    /** "process exited with code 1: <last stderr lines>", waiting up to {@code waitMs} for the exit. */
    private String exitReason(long waitMs) {
        Process p = process;
        try {
            if (!p.waitFor(waitMs, TimeUnit.MILLISECONDS)) {
                return "the process stopped answering";
            }
            Thread reader = stderrReader;
            if (reader != null) {
                reader.join(500);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        int code = p.isAlive() ? -1 : p.exitValue();
        String how = code > 128 && code < 160
                ? "process was killed by signal " + (code - 128) + " (exit code " + code + ")"
                : "process exited with code " + code;
        String tail = stderr.text();
        return tail.isEmpty() ? how : how + ": " + tail;
    }

    @Override
    public Mono<Void> sendMessage(JSONRPCMessage message) {
        String dead = deadReason;
        if (dead != null) {
            return Mono.error(new TransportFailure(dead));
        }
        if (closing || process == null) {
            return Mono.error(new TransportFailure("the connection is closed"));
        }
        return Mono.fromFuture(() -> CompletableFuture.runAsync(() -> write(message), writer));
    }

    private void write(JSONRPCMessage message) {
        try {
            byte[] line = (json.writeValueAsString(message) + "\n").getBytes(StandardCharsets.UTF_8);
            OutputStream out = process.getOutputStream();
            out.write(line);
            out.flush();
        } catch (IOException e) {
            String reason = closing ? "the connection is closed" : exitReason(GRACE_MS);
            throw new TransportFailure(reason, e);
        }
    }

    @Override
    public Mono<Void> closeGracefully() {
        return Mono.fromRunnable(this::terminate);
    }

    /** Closes stdin, then asks the process (and its children) to stop, then kills what is left. */
    void terminate() {
        closing = true;
        writer.shutdownNow();
        Process p = process;
        if (p == null || !p.isAlive()) {
            return;
        }
        List<ProcessHandle> children = p.descendants().toList();
        try {
            p.getOutputStream().close();
        } catch (IOException ignored) {
            // the process is going away anyway
        }
        try {
            if (!p.waitFor(GRACE_MS, TimeUnit.MILLISECONDS)) {
                children.forEach(ProcessHandle::destroy);
                p.destroy();
                if (!p.waitFor(TERM_MS, TimeUnit.MILLISECONDS)) {
                    kill();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            kill();
        }
        children.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
        log.debug("MCP server '{}': process {} stopped", server, p.pid());
    }

    private void kill() {
        Process p = process;
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
    }

    @Override
    public List<String> protocolVersions() {
        return McpConnection.PROTOCOL_VERSIONS;
    }

    @Override
    public <T> T unmarshalFrom(Object data, TypeRef<T> typeRef) {
        return json.convertValue(data, typeRef);
    }
}
