package dev.bbagent.mcp;

import io.modelcontextprotocol.spec.McpTransportException;

/** A transport failure whose message already is the reason to report (bbagent's own transports). */
final class TransportFailure extends McpTransportException {

    TransportFailure(String reason) {
        super(reason);
    }

    TransportFailure(String reason, Throwable cause) {
        super(reason, cause);
    }
}
