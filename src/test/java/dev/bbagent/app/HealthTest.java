package dev.bbagent.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bbagent.testing.Http;
import io.javalin.Javalin;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The health routes on a real port, with checks whose answers the test sets. */
class HealthTest {

    private final AtomicReference<String> fatal = new AtomicReference<>();
    private final AtomicReference<String> database = new AtomicReference<>();
    private final AtomicReference<String> mcp = new AtomicReference<>();
    private final AtomicBoolean rulesCrash = new AtomicBoolean();
    private Javalin http;
    private Http client;

    @BeforeEach
    void start() {
        Health health = new Health(
                List.of(new Health.Check("database", fatal::get)),
                List.of(new Health.Check("database", database::get),
                        new Health.Check("mcp_servers", mcp::get, false),
                        new Health.Check("rules", () -> {
                            if (rulesCrash.get()) {
                                throw new IllegalStateException("rules file vanished");
                            }
                            return null;
                        })));
        http = Javalin.create(cfg -> {
            cfg.startup.showJavalinBanner = false;
            health.install(cfg);
        }).start("127.0.0.1", 0);
        client = new Http("http://127.0.0.1:" + http.port());
    }

    @AfterEach
    void stop() {
        http.stop();
    }

    @Test
    void liveAnswers503OnlyForAStateThatARestartMends() {
        // A database that is not writable for now (a full disk) makes bbagent unready, not dead: a restart
        // would not free space, and the pod must keep answering Bitbucket's retries with 503.
        database.set("data/bbagent.db is not writable: disk full");
        assertThat(client.get("/health/live").status()).isEqualTo(200);
        assertThat(client.get("/health/ready").status()).isEqualTo(503);

        // A failed fsync: only a restart (SQLite recovering from what is on disk) lets bbagent write again.
        fatal.set("fsync of data/bbagent.db-wal failed (Input/output error): ... restart bbagent");
        Http.Response live = client.get("/health/live");
        assertThat(live.status()).isEqualTo(503);
        assertThat(live.json().at("/status").asText()).isEqualTo("failing");
        assertThat(live.json().at("/checks/database/status").asText()).isEqualTo("failing");
        assertThat(live.json().at("/checks/database/reason").asText()).contains("fsync of data/bbagent.db-wal failed");
    }

    @Test
    void readyListsEveryCheckAndOnlyCriticalOnesMakeIt503() {
        mcp.set("bitbucket: connection refused");
        Http.Response ready = client.get("/health/ready");
        assertThat(ready.status()).isEqualTo(200);
        assertThat(ready.json().at("/status").asText()).isEqualTo("ready");
        assertThat(ready.json().at("/checks/mcp_servers/status").asText()).isEqualTo("degraded");
        assertThat(ready.json().at("/checks/mcp_servers/reason").asText()).isEqualTo("bitbucket: connection refused");
        assertThat(ready.json().at("/checks/database/status").asText()).isEqualTo("ok");

        database.set("data/bbagent.db did not commit a write within 2 s");
        ready = client.get("/health/ready");
        assertThat(ready.status()).isEqualTo(503);
        assertThat(ready.json().at("/status").asText()).isEqualTo("not_ready");
        assertThat(ready.json().at("/checks/database/reason").asText()).contains("did not commit");

        // A check that throws is a failing check with its message, not a 500.
        database.set(null);
        rulesCrash.set(true);
        ready = client.get("/health/ready");
        assertThat(ready.status()).isEqualTo(503);
        assertThat(ready.json().at("/checks/rules/reason").asText()).isEqualTo("rules file vanished");
    }
}
