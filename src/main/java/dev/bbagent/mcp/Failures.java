package dev.bbagent.mcp;

import io.modelcontextprotocol.client.transport.McpHttpClientTransportAuthorizationException;
import io.modelcontextprotocol.spec.McpError;
import io.modelcontextprotocol.spec.McpTransportException;
import io.modelcontextprotocol.spec.McpTransportSessionNotFoundException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLException;

/** Turns what the SDK or the JDK threw into a reason a person can act on. */
final class Failures {

    private static final Pattern STATUS = Pattern.compile("(?i)status code:? ?(\\d{3})");

    private Failures() {}

    /** The reason a connection to {@code endpoint} failed or broke. */
    static String describe(Throwable failure, Endpoint endpoint) {
        String where = endpoint.describe();
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof TransportFailure) {
                return t.getMessage();
            }
            if (t instanceof ConnectException) {
                return "connection refused to " + where;
            }
            if (t instanceof HttpConnectTimeoutException) {
                return "connecting to " + where + " timed out";
            }
            if (t instanceof HttpTimeoutException) {
                return where + " did not answer in time";
            }
            if (t instanceof UnknownHostException || t instanceof UnresolvedAddressException) {
                return "unknown host in " + where;
            }
            if (t instanceof SSLException) {
                return "TLS handshake with " + where + " failed: " + t.getMessage();
            }
            if (t instanceof McpHttpClientTransportAuthorizationException auth) {
                int status = auth.getResponseInfo() == null ? 0 : auth.getResponseInfo().statusCode();
                return where + " refused the credentials (HTTP " + status + "); check the server's headers";
            }
            if (t instanceof McpError e && e.getJsonRpcError() != null) {
                Object data = e.getJsonRpcError().data();
                if (data instanceof String text && text.startsWith("Unsupported protocol version from the server: ")) {
                    return where + " speaks MCP protocol version " + text.substring(text.lastIndexOf(' ') + 1)
                            + ", which bbagent does not support";
                }
                return "the server answered an error: " + mcpErrorText(e);
            }
            if (t instanceof McpTransportException && t.getMessage() != null && t.getCause() == null) {
                return httpStatus(t.getMessage(), where);
            }
        }
        Throwable root = root(failure);
        String message = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        if (root instanceof TimeoutException) {
            message = where + " did not answer in time";
        }
        return httpStatus(message, where);
    }

    /**
     * Whether a failed HTTP request means the session cannot go on, so a new connection is needed: the
     * server cannot be reached (refused, connect timeout, unknown host, TLS), refuses the credentials, or
     * no longer knows the session. Anything else (a reset connection, an HTTP 5xx, a broken answer) is a
     * failure of that one request.
     */
    static boolean sessionBroken(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof TransportFailure || t instanceof ConnectException || t instanceof HttpConnectTimeoutException
                    || t instanceof UnknownHostException || t instanceof UnresolvedAddressException
                    || t instanceof SSLException || t instanceof McpHttpClientTransportAuthorizationException
                    || t instanceof McpTransportSessionNotFoundException) {
                return true;
            }
        }
        return false;
    }

    /** The text of a JSON-RPC error: its message, and its data when that is short text. */
    static String mcpErrorText(McpError e) {
        var error = e.getJsonRpcError();
        String message = error.message() == null ? "error " + error.code() : error.message();
        Object data = error.data();
        if (data != null && !String.valueOf(data).isBlank() && String.valueOf(data).length() <= 500
                && !message.contains(String.valueOf(data))) {
            message = message + ": " + data;
        }
        return message;
    }

    /** "Received unexpected status code: 405, response body: ..." becomes "<url> answered HTTP 405 (...)". */
    private static String httpStatus(String message, String where) {
        Matcher m = STATUS.matcher(message);
        if (!m.find()) {
            return message;
        }
        int status = Integer.parseInt(m.group(1));
        String hint = status == 404 || status == 405 ? " (wrong path?)" : "";
        int body = message.indexOf("response body:");
        String text = body < 0 ? "" : message.substring(body + "response body:".length()).replaceAll("\\s+", " ").strip();
        if (text.length() > 200) {
            text = text.substring(0, 200) + "...";
        }
        return where + " answered HTTP " + status + hint + (text.isEmpty() ? "" : ": " + text);
    }

    private static Throwable root(Throwable t) {
        Throwable r = t;
        while (r.getCause() != null && r.getCause() != r) {
            r = r.getCause();
        }
        return r;
    }
}
