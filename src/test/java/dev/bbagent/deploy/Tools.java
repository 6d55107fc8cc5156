package dev.bbagent.deploy;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * External programs the deployment tests use (promtool, prometheus, docker, kubectl): finding them on the
 * PATH, skipping a test with a visible message when one is missing, and running one with its output kept.
 */
public final class Tools {

    /** The repository root: Maven runs the tests there. */
    public static final Path ROOT = Path.of("").toAbsolutePath();

    private Tools() {}

    /** A finished program: its exit code and its stdout and stderr together. */
    public record Result(int exit, String output) {

        /** For assertion messages: the command's exit code and everything it printed. */
        public String describe(List<String> command) {
            return String.join(" ", command) + " exited " + exit + ":\n" + output;
        }
    }

    /** The program's path when it is on the PATH. */
    public static Optional<Path> find(String program) {
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        for (String dir : path.split(File.pathSeparator)) {
            Path p = Path.of(dir, program);
            if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    /**
     * Skips the calling test, saying so on the console, when the program is not installed. CI installs it
     * (.ci/packages.sh), so nothing is skipped there.
     */
    public static Path require(String program, String howToInstall) {
        Optional<Path> p = find(program);
        if (p.isEmpty()) {
            String message = program + " is not installed, so this test is skipped (" + howToInstall + ")";
            System.err.println("[deploy tests] SKIPPED: " + message);
            assumeTrue(false, message);
        }
        return p.orElseThrow();
    }

    /** Skips the calling test with a visible message. */
    public static void skip(String message) {
        System.err.println("[deploy tests] SKIPPED: " + message);
        assumeTrue(false, message);
    }

    /** Runs a program in {@code dir} with stdin from {@code input} (or nothing), killing it after {@code timeout}. */
    public static Result run(Path dir, Duration timeout, String input, List<String> command) {
        return run(dir, timeout, input, Map.of(), command);
    }

    /** The same, with extra environment variables. */
    public static Result run(Path dir, Duration timeout, String input, Map<String, String> env, List<String> command) {
        try {
            Path out = Files.createTempFile("bbagent-tool", ".out");
            try {
                ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                        .redirectOutput(out.toFile());
                pb.environment().putAll(env);
                if (input == null) {
                    pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
                }
                Process p = pb.start();
                if (input != null) {
                    try (var stdin = p.getOutputStream()) {
                        stdin.write(input.getBytes(StandardCharsets.UTF_8));
                    }
                }
                if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                    p.destroyForcibly();
                    p.waitFor(5, TimeUnit.SECONDS);
                    return new Result(-1, Files.readString(out) + "\n(killed after " + timeout + ")");
                }
                return new Result(p.exitValue(), Files.readString(out));
            } finally {
                Files.deleteIfExists(out);
            }
        } catch (IOException e) {
            throw new AssertionError("could not run " + command + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    public static Result run(Duration timeout, String... command) {
        return run(ROOT, timeout, null, List.of(command));
    }
}
