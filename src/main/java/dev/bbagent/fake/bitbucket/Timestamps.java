package dev.bbagent.fake.bitbucket;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** Bitbucket Cloud's timestamp form: microseconds and an explicit offset, {@code 2024-11-09T13:02:56.285477+00:00}. */
final class Timestamps {

    private static final DateTimeFormatter FORMAT =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSxxx").withZone(ZoneOffset.UTC);
    /** The {@code X-Event-Time} header form, e.g. {@code Tue, 19 Feb 2019 22:31:30 GMT}. */
    private static final DateTimeFormatter HTTP = DateTimeFormatter.RFC_1123_DATE_TIME.withZone(ZoneOffset.UTC);

    private Timestamps() {}

    static String format(Instant instant) {
        return instant == null ? null : FORMAT.format(instant);
    }

    static String http(Instant instant) {
        return HTTP.format(instant);
    }
}
