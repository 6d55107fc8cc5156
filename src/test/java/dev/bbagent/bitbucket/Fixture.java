package dev.bbagent.bitbucket;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bbagent.fake.bitbucket.Account;
import dev.bbagent.fake.bitbucket.FakeBitbucket;
import dev.bbagent.fake.bitbucket.RecordedRequest;
import dev.bbagent.mcp.BuiltinTool;
import dev.bbagent.mcp.ToolResult;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * A running fake Bitbucket with the bot (access token {@link #TOKEN}, admin of workspace {@code acme}) and Alice,
 * repository {@code acme/widgets} with {@code main} and {@code feature/search}; a client with a generous budget
 * talking to it over HTTP, and the tools by name.
 */
final class Fixture implements AutoCloseable {

    static final String TOKEN = "bot-token";
    static final String REPO = "/2.0/repositories/acme/widgets";

    private static final ObjectMapper JSON = new ObjectMapper();

    final FakeBitbucket fake;
    final Account bot;
    final Account alice;
    final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    final BitbucketClient client;
    final Map<String, BuiltinTool> tools;

    private Fixture(FakeBitbucket fake, Function<BitbucketConfig, BitbucketConfig> adjust, Clock clock) {
        this.fake = fake;
        this.bot = fake.appUser("bbagent");
        this.alice = fake.user("alice", "Alice Liddell");
        fake.acceptBearerToken(TOKEN, bot);
        fake.workspace("acme").name("Acme Corp").admin(bot).member(alice).repo("widgets")
                .branch("main", Map.of("README.md", "# Widgets\n", "src/app.py", "print('hi')\n"))
                .branch("feature/search", Map.of("src/search.py", "def search():\n    return []\n"));
        BitbucketConfig config = BitbucketConfig.of(fake.baseUrl(), BitbucketAuth.accessToken(TOKEN))
                .withRequestsPerHour(100_000)
                .withBackoff(Duration.ofSeconds(1), Duration.ofMinutes(10));
        this.client = new BitbucketClient(adjust.apply(config), registry, clock);
        this.tools = BitbucketTools.create(client).stream()
                .collect(Collectors.toMap(BuiltinTool::name, t -> t, (a, b) -> a, LinkedHashMap::new));
    }

    static Fixture start() {
        return new Fixture(FakeBitbucket.start(), c -> c, Clock.systemUTC());
    }

    static Fixture start(Function<BitbucketConfig, BitbucketConfig> adjust, Clock clock) {
        return new Fixture(FakeBitbucket.start(), adjust, clock);
    }

    /** Alice opens feature/search -> main (pull request 1 in a fresh fixture). */
    int openSearchPullRequest() {
        return fake.openPullRequest("acme", "widgets", "Add search", "feature/search", "main", alice).id();
    }

    /** Call a tool by name, as the agent would. */
    ToolResult call(String tool, Map<String, Object> arguments) {
        BuiltinTool t = tools.get(tool);
        if (t == null) {
            throw new IllegalArgumentException("no tool " + tool + " in " + tools.keySet());
        }
        return t.handler().apply(arguments);
    }

    /** Call a tool that must succeed, and parse its JSON result. */
    JsonNode callJson(String tool, Map<String, Object> arguments) {
        ToolResult r = call(tool, arguments);
        if (r.isError()) {
            throw new AssertionError(tool + " failed: " + r.text());
        }
        return json(r.text());
    }

    static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException("not JSON: " + text, e);
        }
    }

    /** The requests the fake received since the last {@link FakeBitbucket#clearRequests()}. */
    List<RecordedRequest> requests() {
        return fake.requests();
    }

    /** {@code METHOD path} of each request received. */
    List<String> lines() {
        return requests().stream().map(RecordedRequest::line).toList();
    }

    RecordedRequest last() {
        return requests().getLast();
    }

    /** The workspace/repository/pull-request arguments of pull request {@code id} in acme/widgets. */
    static Map<String, Object> pr(int id, Object... more) {
        Map<String, Object> args = new LinkedHashMap<>();
        args.put("workspace", "acme");
        args.put("repo_slug", "widgets");
        args.put("pull_request_id", id);
        return with(args, more);
    }

    /** The workspace/repository arguments of acme/widgets. */
    static Map<String, Object> repo(Object... more) {
        Map<String, Object> args = new LinkedHashMap<>();
        args.put("workspace", "acme");
        args.put("repo_slug", "widgets");
        return with(args, more);
    }

    /** {@code args("a", 1, "b", "x")}. */
    static Map<String, Object> args(Object... namesAndValues) {
        return with(new LinkedHashMap<>(), namesAndValues);
    }

    private static Map<String, Object> with(Map<String, Object> args, Object... namesAndValues) {
        for (int i = 0; i + 1 < namesAndValues.length; i += 2) {
            args.put((String) namesAndValues[i], namesAndValues[i + 1]);
        }
        return args;
    }

    @Override
    public void close() {
        client.close();
        fake.close();
    }
}
