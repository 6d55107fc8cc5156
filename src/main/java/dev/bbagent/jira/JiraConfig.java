package dev.bbagent.jira;

import dev.bbagent.config.ConfigException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * How to reach Jira Cloud: the site, an Atlassian account's email and API token (HTTP Basic), and the client's
 * limits. Immutable; {@link #toString} never shows the token.
 *
 * @param baseUrl the site without a trailing slash, e.g. {@code https://acme.atlassian.net}
 * @param requestsPerMinute the client's own budget, shared by every run and tool call of this process
 * @param backoffInitial the first retry-after suggested after a 429 or 5xx without {@code Retry-After}
 */
public record JiraConfig(URI baseUrl, String email, String apiToken, int requestsPerMinute, Duration connectTimeout,
        Duration requestTimeout, Duration backoffInitial, Duration backoffMax) {

    public static final String ENV_BASE_URL = "JIRA_BASE_URL";
    public static final String ENV_EMAIL = "JIRA_EMAIL";
    public static final String ENV_API_TOKEN = "JIRA_API_TOKEN";
    public static final String ENV_REQUESTS_PER_MINUTE = "JIRA_REQUESTS_PER_MINUTE";
    public static final int DEFAULT_REQUESTS_PER_MINUTE = 100;

    /** What to tell a user whose Jira tools are not configured. */
    public static final String WHAT_TO_SET = "set " + ENV_BASE_URL + " (e.g. https://acme.atlassian.net), " + ENV_EMAIL
            + " and " + ENV_API_TOKEN + " (an Atlassian API token: id.atlassian.com > Security > API tokens)";

    public JiraConfig {
        Objects.requireNonNull(baseUrl, "baseUrl");
        baseUrl = normalize(baseUrl);
        if (email == null || email.isBlank() || !email.contains("@")) {
            throw new IllegalArgumentException("the Jira email must be the Atlassian account's email address, not '"
                    + email + "'");
        }
        if (apiToken == null || apiToken.isBlank()) {
            throw new IllegalArgumentException("the Jira API token is blank");
        }
        if (requestsPerMinute < 1) {
            throw new IllegalArgumentException("requestsPerMinute must be at least 1, not " + requestsPerMinute);
        }
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        Objects.requireNonNull(requestTimeout, "requestTimeout");
        Objects.requireNonNull(backoffInitial, "backoffInitial");
        Objects.requireNonNull(backoffMax, "backoffMax");
    }

    /** Defaults: 100 requests a minute, 10 s to connect, 30 s per request, backoff from 30 s up to 15 min. */
    public static JiraConfig of(String baseUrl, String email, String apiToken) {
        return new JiraConfig(URI.create(baseUrl), email, apiToken, DEFAULT_REQUESTS_PER_MINUTE, Duration.ofSeconds(10),
                Duration.ofSeconds(30), Duration.ofSeconds(30), Duration.ofMinutes(15));
    }

    /** Whether any Jira tool setting is present (then all of them must be). */
    public static boolean configured(Map<String, String> env) {
        return List.of(ENV_BASE_URL, ENV_EMAIL, ENV_API_TOKEN).stream().anyMatch(k -> value(env, k) != null);
    }

    /**
     * Reads {@code JIRA_BASE_URL}, {@code JIRA_EMAIL}, {@code JIRA_API_TOKEN} and {@code JIRA_REQUESTS_PER_MINUTE}.
     *
     * @throws ConfigException when one is missing or malformed; the message never contains the token
     */
    public static JiraConfig fromEnv(Map<String, String> env) {
        String url = value(env, ENV_BASE_URL);
        String email = value(env, ENV_EMAIL);
        String token = value(env, ENV_API_TOKEN);
        for (String[] pair : new String[][] {{ENV_BASE_URL, url}, {ENV_EMAIL, email}, {ENV_API_TOKEN, token}}) {
            if (pair[1] == null) {
                throw new ConfigException(pair[0] + " is not set: the built-in Jira tools need all three; "
                        + WHAT_TO_SET);
            }
        }
        if (!email.contains("@")) {
            throw new ConfigException(ENV_EMAIL + " must be the Atlassian account's email address, not '" + email + "'");
        }
        JiraConfig config;
        try {
            config = of(url, email, token);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(ENV_BASE_URL + ": " + e.getMessage());
        }
        String perMinute = value(env, ENV_REQUESTS_PER_MINUTE);
        if (perMinute != null) {
            try {
                config = config.withRequestsPerMinute(Integer.parseInt(perMinute));
            } catch (IllegalArgumentException e) {
                throw new ConfigException(ENV_REQUESTS_PER_MINUTE + " must be a whole number of at least 1, not '"
                        + perMinute + "'");
            }
        }
        return config;
    }

    public JiraConfig withRequestsPerMinute(int perMinute) {
        return new JiraConfig(baseUrl, email, apiToken, perMinute, connectTimeout, requestTimeout, backoffInitial,
                backoffMax);
    }

    /** The same configuration with another backoff (tests use short ones). */
    public JiraConfig withBackoff(Duration initial, Duration max) {
        return new JiraConfig(baseUrl, email, apiToken, requestsPerMinute, connectTimeout, requestTimeout, initial, max);
    }

    /** The {@code Authorization} header value. */
    String authorization() {
        return "Basic " + Base64.getEncoder().encodeToString((email + ":" + apiToken).getBytes(StandardCharsets.UTF_8));
    }

    /** The web page of an issue: {@code <site>/browse/KEY}. */
    public String browseUrl(String key) {
        return baseUrl + "/browse/" + key;
    }

    /** One line for the startup log, without the token. */
    public String describe() {
        return "Jira Cloud " + baseUrl + " as " + email + " (API token), at most " + requestsPerMinute + " requests/minute";
    }

    @Override
    public String toString() {
        return "JiraConfig[" + baseUrl + ", " + email + ", " + requestsPerMinute + "/min]";
    }

    private static URI normalize(URI uri) {
        String scheme = uri.getScheme();
        if (scheme == null || !(scheme.equals("https") || scheme.equals("http")) || uri.getHost() == null) {
            throw new IllegalArgumentException("the Jira site must be an absolute http(s) URL such as "
                    + "https://acme.atlassian.net, not '" + uri + "'");
        }
        if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw new IllegalArgumentException("the Jira site URL must not have a query or fragment: '" + uri + "'");
        }
        String s = uri.toString();
        return s.endsWith("/") ? URI.create(s.substring(0, s.length() - 1)) : uri;
    }

    private static String value(Map<String, String> env, String name) {
        String v = env.get(name);
        return v == null || v.isBlank() ? null : v.trim();
    }
}
