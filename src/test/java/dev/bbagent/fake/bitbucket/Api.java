package dev.bbagent.fake.bitbucket;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Base64;

/** A real HTTP client for the fake's API in tests: sends a fixed Authorization header, never follows redirects. */
final class Api {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
    private final String base;
    private final String authorization;

    private Api(String base, String authorization) {
        this.base = base;
        this.authorization = authorization;
    }

    static Api bearer(FakeBitbucket fake, String token) {
        return new Api(fake.baseUrl(), "Bearer " + token);
    }

    static Api basic(FakeBitbucket fake, String user, String password) {
        String pair = Base64.getEncoder().encodeToString((user + ":" + password).getBytes());
        return new Api(fake.baseUrl(), "Basic " + pair);
    }

    static Api anonymous(FakeBitbucket fake) {
        return new Api(fake.baseUrl(), null);
    }

    HttpResponse<String> get(String path) {
        return send(request(path).GET());
    }

    HttpResponse<String> post(String path, String json) {
        return send(request(path).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    HttpResponse<String> put(String path, String json) {
        return send(request(path).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(json)));
    }

    HttpResponse<String> delete(String path) {
        return send(request(path).DELETE());
    }

    /** GET an absolute URL, e.g. a {@code next} link or a redirect's Location. */
    HttpResponse<String> getUrl(String url) {
        return send(withAuth(HttpRequest.newBuilder(URI.create(url))).GET());
    }

    static JsonNode json(HttpResponse<String> response) {
        try {
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException("not JSON (" + response.statusCode() + "): " + response.body(), e);
        }
    }

    private HttpRequest.Builder request(String path) {
        return withAuth(HttpRequest.newBuilder(URI.create(base + path)));
    }

    private HttpRequest.Builder withAuth(HttpRequest.Builder b) {
        return authorization == null ? b : b.header("Authorization", authorization);
    }

    private HttpResponse<String> send(HttpRequest.Builder b) {
        try {
            return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
