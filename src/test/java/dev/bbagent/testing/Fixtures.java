package dev.bbagent.testing;

import dev.bbagent.event.Edition;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** The real Bitbucket payloads in ../shared/fixtures/bitbucket, read byte for byte. */
public final class Fixtures {

    public static final Path ROOT = Path.of("..", "shared", "fixtures", "bitbucket");

    /** The signed Cloud delivery and its secret and header, from ../shared/fixtures/bitbucket/SOURCES.md. */
    public static final String SIGNED_FILE = "cloud/repo-push__bbs-plugin-signed.json";
    public static final String SIGNED_SECRET = "Gkvl$k$wyNpQAF42";
    public static final String SIGNED_HEADER =
            "sha256=f205c729821c6954aff2afe72b965c34015b4baf96ea8ddc2cc44999c014a035";

    /** One fixture file: the edition folder it is in and the X-Event-Key its name encodes. */
    public record Fixture(Edition edition, String eventKey, String name, Path path) {

        public byte[] bytes() {
            try {
                return Files.readAllBytes(path);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public String toString() {
            return edition.wire() + "/" + name;
        }
    }

    private Fixtures() {}

    /** Every fixture, Cloud then Data Center. */
    public static List<Fixture> all() {
        return Stream.concat(in("cloud", Edition.CLOUD), in("datacenter", Edition.DATACENTER)).toList();
    }

    public static Fixture named(String relative) {
        return all().stream().filter(f -> (folder(f.edition()) + "/" + f.name()).equals(relative)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no fixture " + relative + " under " + ROOT));
    }

    private static String folder(Edition e) {
        return e == Edition.CLOUD ? "cloud" : "datacenter";
    }

    private static Stream<Fixture> in(String folder, Edition edition) {
        try (Stream<Path> files = Files.list(ROOT.resolve(folder))) {
            return files.filter(p -> p.toString().endsWith(".json")).sorted()
                    .map(p -> {
                        String name = p.getFileName().toString();
                        String key = name.substring(0, name.indexOf("__")).replace('-', ':');
                        return new Fixture(edition, key, name, p);
                    }).toList().stream();
        } catch (IOException e) {
            throw new UncheckedIOException("fixtures not found at " + ROOT.toAbsolutePath().normalize() + ": the tests "
                    + "read the real Bitbucket payloads from the shared folder beside the checkout "
                    + "(../shared/fixtures/bitbucket); clone bbagent next to it", e);
        }
    }
}
