package dev.bbagent.bitbucket;

import dev.bbagent.config.ConfigException;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * How to reach Bitbucket Cloud: the API root, the credential, and the client's limits. Immutable; build it with
 * {@link #fromEnv} or {@link #of} and adjust it with the {@code with*} methods.
 *
 * @param apiUrl the API root without a trailing slash, e.g. {@code https://api.bitbucket.org/2.0}
 * @param auth the credential
 * @param requestsPerHour the client's own budget per credential and hour; Bitbucket documents 1,000 an hour
 *     for authenticated API calls (scaled up to 10,000 for access tokens of large workspaces)
 * @param connectTimeout how long to wait for a connection
 * @param requestTimeout how long to wait for a response once connected
 * @param backoffInitial the first retry-after suggested after a 429 or 5xx that carries no {@code Retry-After};
 *     it doubles (with jitter) for each further consecutive failure
 * @param backoffMax the longest retry-after suggested that way
 */
public record BitbucketConfig(URI apiUrl, BitbucketAuth auth, int requestsPerHour, Duration connectTimeout,
        Duration requestTimeout, Duration backoffInitial, Duration backoffMax) {

    /** Bitbucket Cloud's API root. */
    public static final String DEFAULT_API_URL = "https://api.bitbucket.org/2.0";
    /** Bitbucket's documented budget for authenticated API requests per hour. */
    public static final int DEFAULT_REQUESTS_PER_HOUR = 1_000;

    /** The API root ({@code BITBUCKET_API_URL}); defaults to {@link #DEFAULT_API_URL}. */
    public static final String ENV_API_URL = "BITBUCKET_API_URL";
    /** A repository, project or workspace access token, sent as {@code Bearer}. */
    public static final String ENV_TOKEN = "BITBUCKET_TOKEN";
    /** The Atlassian account email that goes with {@link #ENV_API_TOKEN}. */
    public static final String ENV_EMAIL = "BITBUCKET_EMAIL";
    /** An Atlassian API token (with Bitbucket scopes), sent as Basic {@code email:token}. */
    public static final String ENV_API_TOKEN = "BITBUCKET_API_TOKEN";
    /** The client's request budget per hour; defaults to {@link #DEFAULT_REQUESTS_PER_HOUR}. */
    public static final String ENV_REQUESTS_PER_HOUR = "BITBUCKET_REQUESTS_PER_HOUR";
    /** The user name of the removed app passwords; refused. */
    public static final String ENV_OLD_USERNAME = "BITBUCKET_USERNAME";
    /** The removed app passwords; refused. */
    public static final String ENV_OLD_APP_PASSWORD = "BITBUCKET_APP_PASSWORD";

    private static final String WHAT_TO_SET = "Set " + ENV_TOKEN + " to a repository, project or workspace access "
            + "token (sent as Bearer), or " + ENV_EMAIL + " and " + ENV_API_TOKEN + " to your Atlassian account email "
            + "and an API token with Bitbucket scopes (id.atlassian.com > Security > Create API token with scopes).";

    public BitbucketConfig {
        Objects.requireNonNull(apiUrl, "apiUrl");
        Objects.requireNonNull(auth, "auth");
        apiUrl = normalize(apiUrl);
        if (requestsPerHour < 1) {
            throw new IllegalArgumentException("requestsPerHour must be at least 1, not " + requestsPerHour);
        }
        requirePositive(connectTimeout, "connectTimeout");
        requirePositive(requestTimeout, "requestTimeout");
        requirePositive(backoffInitial, "backoffInitial");
        requirePositive(backoffMax, "backoffMax");
        if (backoffMax.compareTo(backoffInitial) < 0) {
            throw new IllegalArgumentException("backoffMax " + backoffMax + " is shorter than backoffInitial " + backoffInitial);
        }
    }

    /** A configuration with Bitbucket's defaults: 1,000 requests an hour, 10 s to connect, 30 s per request. */
    public static BitbucketConfig of(String apiUrl, BitbucketAuth auth) {
        return new BitbucketConfig(URI.create(apiUrl), auth, DEFAULT_REQUESTS_PER_HOUR, Duration.ofSeconds(10),
                Duration.ofSeconds(30), Duration.ofSeconds(30), Duration.ofMinutes(15));
    }

    /**
     * Reads {@code BITBUCKET_API_URL}, {@code BITBUCKET_TOKEN} or {@code BITBUCKET_EMAIL} + {@code BITBUCKET_API_TOKEN},
     * and {@code BITBUCKET_REQUESTS_PER_HOUR}.
     *
     * @throws ConfigException when no credential, an incomplete or ambiguous one, or a removed app password is
     *     configured; the message says what to set instead and never contains a secret
     */
    public static BitbucketConfig fromEnv(Map<String, String> env) {
        String token = value(env, ENV_TOKEN);
        String email = value(env, ENV_EMAIL);
        String apiToken = value(env, ENV_API_TOKEN);
        if (value(env, ENV_OLD_APP_PASSWORD) != null
                || (value(env, ENV_OLD_USERNAME) != null && token == null && apiToken == null)) {
            throw new ConfigException("Bitbucket Cloud removed app passwords on 2026-07-28, so " + ENV_OLD_USERNAME
                    + " and " + ENV_OLD_APP_PASSWORD + " no longer work; unset them. " + WHAT_TO_SET);
        }
        BitbucketAuth auth;
        if (token != null && (email != null || apiToken != null)) {
            throw new ConfigException("both " + ENV_TOKEN + " and " + ENV_EMAIL + "/" + ENV_API_TOKEN
                    + " are set; set only one kind of Bitbucket credential");
        } else if (token != null) {
            auth = BitbucketAuth.accessToken(token);
        } else if (email != null && apiToken != null) {
            if (!email.contains("@")) {
                throw new ConfigException(ENV_EMAIL + " must be the Atlassian account's email address, not '" + email
                        + "' (API tokens are used with the email, not the Bitbucket user name)");
            }
            auth = BitbucketAuth.apiToken(email, apiToken);
        } else if (email != null || apiToken != null) {
            throw new ConfigException((email == null ? ENV_EMAIL : ENV_API_TOKEN) + " is missing: an API token is "
                    + "used together with the Atlassian account email (" + ENV_EMAIL + " and " + ENV_API_TOKEN + ")");
        } else {
            throw new ConfigException("no Bitbucket credential is configured. " + WHAT_TO_SET);
        }
        String url = value(env, ENV_API_URL);
        BitbucketConfig config;
        try {
            config = of(url == null ? DEFAULT_API_URL : url, auth);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(ENV_API_URL + " is not a usable URL: " + e.getMessage(), e);
        }
        String perHour = value(env, ENV_REQUESTS_PER_HOUR);
        if (perHour != null) {
            try {
                config = config.withRequestsPerHour(Integer.parseInt(perHour.trim()));
            } catch (IllegalArgumentException e) {
                throw new ConfigException(ENV_REQUESTS_PER_HOUR + " must be a whole number of requests, at least 1, not '"
                        + perHour + "'", e);
            }
        }
        return config;
    }

    /** The same configuration with another request budget per hour (tests use a generous one). */
    public BitbucketConfig withRequestsPerHour(int value) {
        return new BitbucketConfig(apiUrl, auth, value, connectTimeout, requestTimeout, backoffInitial, backoffMax);
    }

    /** The same configuration with other timeouts. */
    public BitbucketConfig withTimeouts(Duration connect, Duration request) {
        return new BitbucketConfig(apiUrl, auth, requestsPerHour, connect, request, backoffInitial, backoffMax);
    }

    /** The same configuration with another backoff for the retry-after of transient failures. */
    public BitbucketConfig withBackoff(Duration initial, Duration max) {
        return new BitbucketConfig(apiUrl, auth, requestsPerHour, connectTimeout, requestTimeout, initial, max);
    }

    /** One line for the startup log, without secrets. */
    public String describe() {
        return "Bitbucket Cloud API " + apiUrl + " as " + auth.describe() + ", at most " + requestsPerHour
                + " requests/hour";
    }

    private static URI normalize(URI uri) {
        String scheme = uri.getScheme();
        if (scheme == null || !(scheme.equals("https") || scheme.equals("http")) || uri.getHost() == null) {
            throw new IllegalArgumentException("the API URL must be an absolute http(s) URL such as " + DEFAULT_API_URL
                    + ", not '" + uri + "'");
        }
        if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw new IllegalArgumentException("the API URL must not have a query or fragment: '" + uri + "'");
        }
        String s = uri.toString();
        return s.endsWith("/") ? URI.create(s.substring(0, s.length() - 1)) : uri;
    }

    private static void requirePositive(Duration d, String name) {
        Objects.requireNonNull(d, name);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, not " + d);
        }
    }

    private static String value(Map<String, String> env, String name) {
        String v = env.get(name);
        return v == null || v.isBlank() ? null : v.trim();
    }
}
