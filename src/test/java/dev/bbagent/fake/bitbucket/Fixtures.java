package dev.bbagent.fake.bitbucket;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The shared real Bitbucket Cloud payloads, at {@code ../shared/fixtures/bitbucket/cloud} from the project root. */
final class Fixtures {

    private static final Path CLOUD = Path.of(System.getProperty("user.dir"), "..", "shared", "fixtures", "bitbucket",
            "cloud");

    private Fixtures() {}

    static byte[] bytes(String name) {
        try {
            return Files.readAllBytes(CLOUD.resolve(name));
        } catch (IOException e) {
            throw new UncheckedIOException("fixture " + name + " is not readable under " + CLOUD.normalize(), e);
        }
    }

    static JsonNode json(String name) {
        try {
            return new ObjectMapper().readTree(bytes(name));
        } catch (IOException e) {
            throw new UncheckedIOException("fixture " + name + " is not JSON", e);
        }
    }
}
