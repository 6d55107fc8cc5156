package dev.bbagent.rules;

import java.io.IOException;
import dev.bbagent.config.RulesReader;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reloads the rules when the file changes. Watches the file's folder (editors and Kubernetes ConfigMaps
 * replace files rather than write them) and also checks the content every few seconds, because file
 * events are not delivered on every file system. A reload happens only when the content changed; a
 * version that cannot be read or parsed is rejected (logged and counted) once, and a deleted file is
 * reported once while the rules in force stay.
 */
public final class RulesWatcher implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RulesWatcher.class);
    private static final long POLL_MS = 2_000;

    private final RulesRuntime rules;
    private final Thread thread;
    private volatile boolean running = true;
    private WatchService watch;

    public RulesWatcher(RulesRuntime rules) {
        this.rules = rules;
        Path dir = rules.path().toAbsolutePath().getParent();
        try {
            watch = FileSystems.getDefault().newWatchService();
            dir.register(watch, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_MODIFY,
                    StandardWatchEventKinds.ENTRY_DELETE);
        } catch (IOException | RuntimeException e) {
            LOG.warn("cannot watch {} ({}); checking the rules file every {} ms instead", dir, e.getMessage(), POLL_MS);
            watch = null;
        }
        this.thread = Thread.ofPlatform().name("bbagent-rules-watcher").daemon(true).start(this::loop);
    }

    private void loop() {
        String last = state();
        while (running) {
            try {
                if (watch != null) {
                    var key = watch.poll(POLL_MS, TimeUnit.MILLISECONDS);
                    if (key != null) {
                        key.pollEvents();
                        key.reset();
                        Thread.sleep(100); // let the writer finish: editors write in several steps
                    }
                } else {
                    Thread.sleep(POLL_MS);
                }
                String now = state();
                if (!now.equals(last)) {
                    boolean wasMissing = last.equals(MISSING);
                    last = now;
                    if (now.equals(MISSING)) {
                        rules.fileMissing();
                    } else {
                        RulesRuntime.Reload r = rules.reload();
                        if (wasMissing && r.ok() && !r.changed()) {
                            LOG.info("rules file {} is back, unchanged: version {}", rules.path(), r.version());
                        }
                    }
                }
            } catch (InterruptedException | ClosedWatchServiceException e) {
                return;
            } catch (RuntimeException e) {
                LOG.error("rules watcher: {}; still watching", e.getMessage(), e);
            }
        }
    }

    private static final String MISSING = "missing";

    /**
     * What the file is now: the hash of its bytes (whether or not they are valid UTF-8 or YAML), missing,
     * or the reason it cannot be read. Any change is acted on once: a reload, which logs and counts a
     * rejected version, or a warning that the file is gone.
     */
    private String state() {
        try {
            return "bytes " + RulesReader.versionOf(Files.readAllBytes(rules.path()));
        } catch (NoSuchFileException e) {
            return MISSING;
        } catch (IOException e) {
            return "unreadable " + e.getClass().getName() + ": " + e.getMessage();
        }
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
        if (watch != null) {
            try {
                watch.close();
            } catch (IOException ignored) {
                // closing on shutdown
            }
        }
    }
}
