package dev.bbagent.mcp;

import io.modelcontextprotocol.client.transport.HttpClientSseClientTransport;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.client.transport.customizer.McpSyncHttpClientRequestCustomizer;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.spec.McpClientTransport;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.concurrent.ExecutorService;

/** Builds the SDK's HTTP client transports for a URL server, with its headers on every request. */
final class HttpTransports {

    private HttpTransports() {}

    /**
     * @param executor runs the HTTP client's work (named threads); the caller shuts it down
     */
    static McpClientTransport create(Endpoint.Http endpoint, McpJsonMapper json, Duration connectTimeout,
            ExecutorService executor) {
        HttpClient.Builder client = HttpClient.newBuilder()
                .executor(executor)
                .connectTimeout(connectTimeout)
                .followRedirects(HttpClient.Redirect.NORMAL);
        McpSyncHttpClientRequestCustomizer headers = (request, method, uri, body, context) ->
                endpoint.headers().forEach(request::setHeader);
        URI url = endpoint.url();
        String base = url.getScheme() + "://" + url.getRawAuthority();
        String path = (url.getRawPath() == null || url.getRawPath().isEmpty() ? "/" : url.getRawPath())
                + (url.getRawQuery() == null ? "" : "?" + url.getRawQuery());
        if (endpoint.sse()) {
            return HttpClientSseClientTransport.builder(base)
                    .sseEndpoint(path)
                    .clientBuilder(client)
                    .jsonMapper(json)
                    .httpRequestCustomizer(headers)
                    .connectTimeout(connectTimeout)
                    .build();
        }
        return HttpClientStreamableHttpTransport.builder(base)
                .endpoint(path)
                .clientBuilder(client)
                .jsonMapper(json)
                .httpRequestCustomizer(headers)
                .connectTimeout(connectTimeout)
                // The SDK's Streamable HTTP default leaves out 2024-11-05; servers that still answer it
                // (many do) would be refused with "Unsupported protocol version". The last is requested.
                .supportedProtocolVersions(McpConnection.PROTOCOL_VERSIONS)
                .build();
    }
}
