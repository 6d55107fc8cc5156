package dev.bbagent.mcp;

import io.modelcontextprotocol.json.TypeRef;
import io.modelcontextprotocol.spec.McpClientTransport;
import io.modelcontextprotocol.spec.McpSchema.JSONRPCMessage;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;
import reactor.core.publisher.Mono;

/**
 * Passes everything to an SDK transport, and reports a failed {@code connect} (the legacy SSE
 * transport opens its event stream there) instead of letting the SDK log it and leave the
 * handshake waiting for its timeout.
 */
final class WatchedTransport implements McpClientTransport {

    private final McpClientTransport delegate;
    private final Consumer<Throwable> onConnectFailure;

    WatchedTransport(McpClientTransport delegate, Consumer<Throwable> onConnectFailure) {
        this.delegate = delegate;
        this.onConnectFailure = onConnectFailure;
    }

    @Override
    public Mono<Void> connect(Function<Mono<JSONRPCMessage>, Mono<JSONRPCMessage>> handler) {
        return delegate.connect(handler).onErrorResume(e -> {
            onConnectFailure.accept(e);
            return Mono.empty();
        });
    }

    @Override
    public void setExceptionHandler(Consumer<Throwable> handler) {
        delegate.setExceptionHandler(handler);
    }

    @Override
    public Mono<Void> sendMessage(JSONRPCMessage message) {
        return delegate.sendMessage(message);
    }

    @Override
    public Mono<Void> closeGracefully() {
        return delegate.closeGracefully();
    }

    @Override
    public void close() {
        delegate.close();
    }

    @Override
    public List<String> protocolVersions() {
        return delegate.protocolVersions();
    }

    @Override
    public <T> T unmarshalFrom(Object data, TypeRef<T> typeRef) {
        return delegate.unmarshalFrom(data, typeRef);
    }
}
