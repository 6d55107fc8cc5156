package dev.bbagent.fake.bitbucket;

import java.util.Map;

/**
 * The usual test setup: a running fake with a bot (token {@link #TOKEN}) and Alice, both members of
 * workspace {@code acme}, whose repository {@code widgets} has {@code main} and {@code feature/search}.
 */
final class World implements AutoCloseable {

    static final String TOKEN = "bot-token";
    static final String REPO = "/repositories/acme/widgets";

    final FakeBitbucket fake;
    final Account bot;
    final Account alice;
    final Api api;

    private World(FakeBitbucket fake) {
        this.fake = fake;
        this.bot = fake.appUser("bbagent");
        this.alice = fake.user("alice", "Alice Liddell");
        fake.acceptBearerToken(TOKEN, bot);
        fake.workspace("acme").name("Acme Corp").admin(bot).member(alice).repo("widgets")
                .branch("main", Map.of("README.md", "# Widgets\n", "src/app.py", "print('hi')\n"))
                .branch("feature/search", Map.of("src/search.py", "def search():\n    return []\n"));
        this.api = Api.bearer(fake, TOKEN);
    }

    static World start() {
        return new World(FakeBitbucket.start());
    }

    static World start(FakeBitbucket fake) {
        return new World(fake);
    }

    /** Alice opens feature/search -> main. */
    PullRequestView openSearchPullRequest() {
        return fake.openPullRequest("acme", "widgets", "Add search", "feature/search", "main", alice);
    }

    @Override
    public void close() {
        fake.close();
    }
}
