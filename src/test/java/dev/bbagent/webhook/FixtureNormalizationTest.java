package dev.bbagent.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bbagent.event.Edition;
import dev.bbagent.event.Event;
import dev.bbagent.event.EventKinds;
import dev.bbagent.testing.Fixtures;
import dev.bbagent.testing.Fixtures.Fixture;
import java.io.IOException;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class FixtureNormalizationTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    static java.util.List<Fixture> fixtures() {
        return Fixtures.all().stream().filter(f -> !f.eventKey().equals(EventKinds.PING)).toList();
    }

    private static Event parse(String fixture) {
        Fixture f = Fixtures.named(fixture);
        return BitbucketEvents.parse(f.edition(), f.eventKey(), "d-1", read(f));
    }

    private static JsonNode read(Fixture f) {
        try {
            return JSON.readTree(f.bytes());
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void everyFixtureParsesIntoTheEventModel(Fixture f) {
        Event e = BitbucketEvents.parse(f.edition(), f.eventKey(), "d-1", read(f));

        assertThat(e.key()).isEqualTo(f.eventKey());
        assertThat(e.edition()).isEqualTo(f.edition());
        assertThat(e.kind()).isNotEqualTo("other");
        assertThat(e.repository().fullName()).contains("/").doesNotStartWith("/").doesNotEndWith("/");
        assertThat(e.actor().id()).isNotEmpty();
        if (e.kind().startsWith("pull_request.")) {
            assertThat(e.pullRequest().id()).isPositive();
            assertThat(e.thread()).isEqualTo(e.repository().fullName() + "#pr-" + e.pullRequest().id());
            assertThat(e.pullRequest().destination().branch()).isNotEmpty();
        }
        if (e.kind().startsWith("issue.")) {
            assertThat(e.thread()).isEqualTo(e.repository().fullName() + "#issue-" + e.issue().id());
        }
        Map<String, Object> view = e.toMap(true);
        assertThat(view).containsKeys("event", "repository", "actor", "thread", "payload");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void editionIsDetectedFromTheHeadersEachEditionSends(Fixture f) {
        Map<String, String> headers = f.edition() == Edition.CLOUD
                ? Map.of("X-Request-UUID", "u-1", "X-Hook-UUID", "{h}", "X-Attempt-Number", "1")
                : Map.of("X-Request-Id", "r-1");

        Event e = BitbucketEvents.parse(f.eventKey(), headers, read(f));

        assertThat(e.edition()).isEqualTo(f.edition());
        assertThat(e.delivery()).isEqualTo(f.edition() == Edition.CLOUD ? "u-1" : "r-1");
    }

    @Test
    void cloudPullRequestCreatedCarriesEveryPullRequestField() {
        Event e = parse("cloud/pullrequest-created__bbs-plugin.json");

        assertThat(e.kind()).isEqualTo("pull_request.opened");
        assertThat(e.delivery()).isEqualTo("d-1");
        assertThat(e.repository().workspace()).isEqualTo("amuniz");
        assertThat(e.repository().slug()).isEqualTo("test-repos");
        assertThat(e.repository().fullName()).isEqualTo("amuniz/test-repos");
        assertThat(e.repository().uuid()).isEqualTo("{f991126e-6825-40ea-a1c2-e72c336ae41e}");
        assertThat(e.actor().id()).isEqualTo("557058:ca1cd232-2017-4216-94be-99637899e18d");
        assertThat(e.actor().name()).isEqualTo("Nikolas Falco");
        assertThat(e.actor().bot()).isFalse();
        var pr = e.pullRequest();
        assertThat(pr.id()).isEqualTo(735);
        assertThat(pr.title()).isEqualTo("BUILD test");
        assertThat(pr.state()).isEqualTo("open");
        assertThat(pr.draft()).isFalse();
        assertThat(pr.source().branch()).isEqualTo("feature/test");
        assertThat(pr.source().commit()).isEqualTo("d31df3425c5b");
        assertThat(pr.destination().branch()).isEqualTo("master");
        assertThat(pr.author().name()).isEqualTo("Nikolas Falco");
        assertThat(pr.url()).isEqualTo("https://bitbucket.org/amuniz/test-repos/pull-requests/735");
        assertThat(e.thread()).isEqualTo("amuniz/test-repos#pr-735");
        assertThat(e.comment()).isNull();
    }

    @Test
    void cloudMergedAndDeclinedMapToTheirKinds() {
        assertThat(parse("cloud/pullrequest-fulfilled__go-scm.json").kind()).isEqualTo("pull_request.merged");
        assertThat(parse("cloud/pullrequest-fulfilled__go-scm.json").pullRequest().state()).isEqualTo("merged");
        assertThat(parse("cloud/pullrequest-rejected__bbs-plugin.json").kind()).isEqualTo("pull_request.declined");
        assertThat(parse("cloud/pullrequest-updated__bbs-plugin.json").kind()).isEqualTo("pull_request.updated");
    }

    @Test
    void cloudGeneralCommentHasTextAuthorAndNoInlineAnchor() {
        Event e = parse("cloud/pullrequest-comment_created__go-scm.json");

        assertThat(e.kind()).isEqualTo("pull_request.comment_created");
        assertThat(e.comment().id()).isEqualTo(311512047L);
        assertThat(e.comment().text()).isEqualTo("test comment");
        assertThat(e.comment().author().name()).isEqualTo("Rutvij Mehta");
        assertThat(e.comment().path()).isEmpty();
        assertThat(e.comment().line()).isZero();
        assertThat(e.thread()).isEqualTo("rutvijmehta-harness/spring-cloud-alibaba#pr-1");
    }

    @Test
    void cloudInlineReplyCommentHasPathLineAndParent() {
        Event e = parse("cloud/pullrequest-comment_created__go-playground-docsample.json");

        assertThat(e.comment().path()).isEqualTo("path/to/file");
        assertThat(e.comment().line()).isEqualTo(10);
        assertThat(e.comment().parentId()).isEqualTo(16);
        assertThat(e.comment().text()).isEqualTo("Comment text");
        assertThat(e.repository().workspace()).isEqualTo("team_name");
    }

    @Test
    void cloudIssueCommentCarriesTheIssueAndTheComment() {
        Event e = parse("cloud/issue-comment_created__zulip.json");

        assertThat(e.kind()).isEqualTo("issue.comment_created");
        assertThat(e.issue().id()).isEqualTo("1");
        assertThat(e.issue().title()).isEqualTo("Bug");
        assertThat(e.issue().description()).isEqualTo("Such a bug more description");
        assertThat(e.issue().state()).isEqualTo("new");
        assertThat(e.issue().kind()).isEqualTo("bug");
        assertThat(e.issue().priority()).isEqualTo("major");
        assertThat(e.issue().author().name()).isEqualTo("Tomasz");
        assertThat(e.comment().text()).isEqualTo("Add comment");
        assertThat(e.repository().workspace()).isEqualTo("kolaszek");
        assertThat(e.thread()).isEqualTo("kolaszek/repository-name#issue-1");
    }

    @Test
    void dataCenterPullRequestOpenedUsesProjectKeyAndRefs() {
        Event e = parse("datacenter/pr-opened__bbs-plugin.json");

        assertThat(e.edition()).isEqualTo(Edition.DATACENTER);
        assertThat(e.kind()).isEqualTo("pull_request.opened");
        assertThat(e.repository().workspace()).isEqualTo("AMUNIZ");
        assertThat(e.repository().slug()).isEqualTo("test-repos");
        assertThat(e.repository().fullName()).isEqualTo("AMUNIZ/test-repos");
        assertThat(e.repository().uuid()).isEqualTo("2");
        assertThat(e.actor().id()).isEqualTo("admin");
        assertThat(e.actor().name()).isEqualTo("Administrator");
        var pr = e.pullRequest();
        assertThat(pr.id()).isEqualTo(1);
        assertThat(pr.title()).isEqualTo("Feature/diffstat");
        assertThat(pr.state()).isEqualTo("open");
        assertThat(pr.source().branch()).isEqualTo("feature/diffstat");
        assertThat(pr.source().commit()).isEqualTo("251fce291f086cdde68ae2a896148abb5b58033e");
        assertThat(pr.destination().branch()).isEqualTo("master");
        assertThat(pr.url()).isEqualTo("http://localhost:7990/bitbucket/projects/AMUNIZ/repos/test-repos/pull-requests/1");
        assertThat(e.thread()).isEqualTo("AMUNIZ/test-repos#pr-1");
    }

    @Test
    void dataCenterPullRequestFromATagNamesTheTag() {
        Event e = parse("datacenter/pr-opened__bbs-plugin-fromtag.json");

        assertThat(e.pullRequest().source().branch()).isEqualTo("v1.0");
        assertThat(e.pullRequest().draft()).isFalse();
    }

    @Test
    void dataCenterCommentCarriesTextAndParent() {
        Event e = parse("datacenter/pr-comment-added__go-playground.json");

        assertThat(e.kind()).isEqualTo("pull_request.comment_created");
        assertThat(e.comment().id()).isEqualTo(167);
        assertThat(e.comment().text()).isEqualTo("test");
        assertThat(e.comment().parentId()).isEqualTo(164);
        assertThat(e.comment().author().id()).isEqualTo("gopher");
        assertThat(e.repository().fullName()).isEqualTo("~gopher/webhook-test");
    }

    @Test
    void dataCenterOldAndNewReviewerKeysMeanTheSameKind() {
        assertThat(parse("datacenter/pr-reviewer-needs_work__go-playground.json").kind())
                .isEqualTo("pull_request.changes_requested");
        assertThat(EventKinds.kindOf(Edition.DATACENTER, "pr:reviewer:changes_requested"))
                .isEqualTo("pull_request.changes_requested");
        assertThat(parse("datacenter/pr-from_ref_updated__go-scm.json").kind()).isEqualTo("pull_request.updated");
        assertThat(parse("datacenter/pr-modified__go-scm.json").kind()).isEqualTo("pull_request.updated");
        assertThat(parse("datacenter/pr-merged__go-scm.json").kind()).isEqualTo("pull_request.merged");
    }

    @Test
    void appUsersAndServiceAccountsAreBots() throws IOException {
        JsonNode cloud = JSON.readTree("""
                {"actor": {"type": "app_user", "account_id": "bot-1", "display_name": "bbagent"},
                 "repository": {"full_name": "acme/widgets"},
                 "pullrequest": {"id": 3, "title": "t"}}""");
        JsonNode dc = JSON.readTree("""
                {"eventKey": "pr:opened", "actor": {"slug": "svc", "type": "SERVICE"},
                 "pullRequest": {"id": 3, "toRef": {"displayId": "main", "repository": {"slug": "w", "project": {"key": "P"}}}}}""");

        assertThat(BitbucketEvents.parse(Edition.CLOUD, "pullrequest:created", "x", cloud).actor().bot()).isTrue();
        assertThat(BitbucketEvents.parse(Edition.DATACENTER, "pr:opened", "x", dc).actor().bot()).isTrue();
    }

    @Test
    void aPullRequestEventWithoutAPullRequestIsMalformed() throws IOException {
        JsonNode body = JSON.readTree("{\"actor\": {}, \"repository\": {\"full_name\": \"a/b\"}}");

        assertThatThrownBy(() -> BitbucketEvents.parse(Edition.CLOUD, "pullrequest:created", "x", body))
                .isInstanceOf(MalformedPayloadException.class)
                .hasMessageContaining("no 'pullrequest' object");
    }

    @Test
    void templateViewUsesTheDocumentedSnakeCaseNames() {
        Map<String, Object> view = parse("cloud/pullrequest-comment_created__go-playground-docsample.json").toMap(false);

        assertThat(view).containsOnlyKeys("event", "repository", "actor", "pull_request", "comment", "thread");
        @SuppressWarnings("unchecked")
        Map<String, Object> pr = (Map<String, Object>) view.get("pull_request");
        assertThat(pr).containsKeys("id", "title", "description", "state", "draft", "source", "destination", "author", "url");
        @SuppressWarnings("unchecked")
        Map<String, Object> actor = (Map<String, Object>) view.get("actor");
        assertThat(actor).containsOnlyKeys("id", "name", "is_bot");
    }
}
