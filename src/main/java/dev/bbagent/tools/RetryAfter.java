package dev.bbagent.tools;

import java.net.http.HttpHeaders;
import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/** The {@code Retry-After} header of an HTTP answer (429, 503), as the built-in tools' API clients read it. */
public final class RetryAfter {

    private RetryAfter() {}

    /** {@code Retry-After: 120} or {@code Retry-After: Wed, 21 Oct 2026 07:28:00 GMT}; empty when absent or unusable. */
    public static Optional<Duration> parse(HttpHeaders headers, Clock clock) {
        Optional<String> value = headers.firstValue("Retry-After").map(String::trim).filter(v -> !v.isEmpty());
        if (value.isEmpty()) {
            return Optional.empty();
        }
        String v = value.get();
        if (v.chars().allMatch(Character::isDigit)) {
            try {
                return Optional.of(Duration.ofSeconds(Long.parseLong(v)));
            } catch (NumberFormatException e) {
                return Optional.empty();
            }
        }
        try {
            Duration until = Duration.between(clock.instant(), ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME));
            return Optional.of(until.isNegative() ? Duration.ZERO : until);
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }
}
