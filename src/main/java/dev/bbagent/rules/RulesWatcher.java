package dev.bbagent.rules;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reloads the rules when the file changes. Watches the file's folder (editors and Kubernetes ConfigMaps
 * replace files rather than write them) and also checks the content every few seconds, because file
 * events are not delivered on every file system. A reload happens only when the content changed.
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
        String last = contentVersion();
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
                String now = contentVersion();
                if (now != null && !now.equals(last)) {
                    last = now;
                    rules.reload();
                }
            } catch (InterruptedException | ClosedWatchServiceException e) {
                return;
            } catch (RuntimeException e) {
                LOG.error("rules watcher: {}; still watching", e.getMessage(), e);
            }
        }
    }

    private String contentVersion() {
        try {
            return dev.bbagent.config.RulesReader.versionOf(Files.readString(rules.path(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            return null;
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
