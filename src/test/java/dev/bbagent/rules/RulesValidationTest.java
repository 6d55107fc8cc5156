package dev.bbagent.rules;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bbagent.config.Problem;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Each class of mistake in a rules file is reported with its file, line and field, and a way out. */
class RulesValidationTest {

    private static final String HEAD = """
            version: 1
            mcp_servers:
              bitbucket: {builtin: bitbucket}
            rules:
            """;

    private static List<Problem> problems(String text) {
        return problems(text, Map.of());
    }

    private static List<Problem> problems(String text, Map<String, String> env) {
        RulesLoader.Loaded l = RulesLoader.load("rules.yaml", text, env);
        assertThat(l.ok()).as("expected problems").isFalse();
        return l.problems();
    }

    private static String only(String text) {
        List<Problem> p = problems(text);
        assertThat(p).hasSize(1);
        return p.getFirst().format();
    }

    @Test
    void aValidFileCompiles() {
        RulesLoader.Loaded l = RulesLoader.load("rules.yaml", HEAD + """
                  - name: hello
                    on: [pull_request.opened]
                    prompt: "Hi {{actor.name}}"
                """, Map.of());

        assertThat(l.problems()).isEmpty();
        assertThat(l.rules().rules()).hasSize(1);
        assertThat(l.rules().version()).hasSize(12);
    }

    @Test
    void anUnknownKeyNamesTheLineAndSuggestsTheNearest() {
        String msg = only(HEAD + """
                  - name: hello
                    on: [pull_request.opened]
                    promt: "Hi"
                    prompt: "Hi"
                """);

        assertThat(msg).isEqualTo("rules.yaml:7: rules[0]: unknown key 'promt'; did you mean 'prompt'?");
    }

    @Test
    void aMissingRequiredKeyIsNamed() {
        assertThat(only(HEAD + """
                  - name: hello
                    on: [pull_request.opened]
                """)).contains("rules.yaml:5: rules[0]: missing required key 'prompt'");
    }

    @Test
    void duplicateRuleNamesAreRejected() {
        String msg = only(HEAD + """
                  - name: twice
                    on: [pull_request.opened]
                    prompt: a
                  - name: twice
                    on: [pull_request.opened]
                    prompt: b
                """);

        assertThat(msg).isEqualTo("rules.yaml:8: rules[1] \"twice\".name: duplicate rule name 'twice'; names must be unique");
    }

    @Test
    void anUnknownEventKeySuggestsTheNearestOne() {
        String msg = only(HEAD + """
                  - name: hello
                    on: [pullrequest:opened]
                    prompt: a
                """);

        assertThat(msg).startsWith("rules.yaml:6: rules[0] \"hello\".on: unknown event 'pullrequest:opened'")
                .contains("did you mean");
    }

    @Test
    void celThatDoesNotCompileIsRejected() {
        assertThat(only(HEAD + """
                  - name: hello
                    on: [pull_request.opened]
                    if: 'pull_request.draft &&'
                    prompt: a
                """)).startsWith("rules.yaml:7: rules[0] \"hello\".if: ");
    }

    @Test
    void celThatIsNotBooleanIsRejected() {
        assertThat(only(HEAD + """
                  - name: hello
                    on: [pull_request.opened]
                    if: 'pull_request.title'
                    prompt: a
                """)).contains(".if: must be a boolean condition");
        assertThat(only(HEAD + """
                  - name: hello
                    on: [pull_request.opened]
                    if: '1 + 2'
                    prompt: a
                """)).contains(".if: must be a boolean condition, but it is a int");
    }

    @Test
    void celThatReadsAFieldTheEventDoesNotHaveIsRejected() {
        assertThat(only(HEAD + """
                  - name: hello
                    on: [pull_request.opened]
                    if: 'pull_request.titel == "x"'
                    prompt: a
                """)).contains("the event has no field 'pull_request.titel'; did you mean 'pull_request.title'?");
    }

    @Test
    void aTemplateThatReadsAFieldTheEventDoesNotHaveIsRejected() {
        assertThat(only(HEAD + """
                  - name: hello
                    on: [pull_request.opened]
                    prompt: "Review {{pull_request.tittle}}"
                """)).isEqualTo("rules.yaml:7: rules[0] \"hello\".prompt: the event has no field "
                + "'pull_request.tittle'; did you mean 'pull_request.title'?");
    }

    @Test
    void namesInsideSectionsResolveAgainstTheSection() {
        RulesLoader.Loaded l = RulesLoader.load("rules.yaml", HEAD + """
                  - name: hello
                    on: [pull_request.opened]
                    prompt: "{{#pull_request}}{{title}} by {{author.name}} in {{repository.full_name}}{{/pull_request}}"
                """, Map.of());

        assertThat(l.problems()).isEmpty();
    }

    @Test
    void aTemplateThatDoesNotCompileIsRejected() {
        assertThat(only(HEAD + """
                  - name: hello
                    on: [pull_request.opened]
                    prompt: "{{#pull_request}} unclosed"
                """)).contains(".prompt: template does not compile");
    }

    @Test
    void toolsMustNameADefinedServer() {
        assertThat(only(HEAD + """
                  - name: hello
                    on: [pull_request.opened]
                    tools: [bitbuket.get_pull_request]
                    prompt: a
                """)).isEqualTo("rules.yaml:7: rules[0] \"hello\".tools: unknown server 'bitbuket' in "
                + "'bitbuket.get_pull_request'; did you mean 'bitbucket'?");
        assertThat(only(HEAD + """
                  - name: hello
                    on: [pull_request.opened]
                    tools: [get_pull_request]
                    prompt: a
                """)).contains("must be server.tool");
    }

    @Test
    void aRuleMayNotUseADisabledServer() {
        assertThat(only("""
                version: 1
                mcp_servers:
                  off: {command: x, enabled: false}
                rules:
                  - name: hello
                    on: [pull_request.opened]
                    tools: [off.tool]
                    prompt: a
                """)).contains("server 'off' is disabled");
    }

    @Test
    void durationsThatDoNotParseAreRejected() {
        assertThat(only(HEAD + """
                  - name: hello
                    on: [pull_request.opened]
                    timeout: 3 minutes
                    prompt: a
                """)).startsWith("rules.yaml:7: ").contains("'3 minutes' is not a duration");
    }

    @Test
    void maxConcurrencyOfAServerIsReadAndMustBePositive() {
        RulesLoader.Loaded ok = RulesLoader.load("rules.yaml", """
                version: 1
                mcp_servers:
                  remote: {url: "http://127.0.0.1:9/mcp", max_concurrency: 4}
                rules: []
                """, Map.of());
        assertThat(ok.problems()).isEmpty();
        assertThat(ok.rules().servers().get("remote").maxConcurrency()).isEqualTo(4);

        assertThat(only("""
                version: 1
                mcp_servers:
                  remote: {url: "http://127.0.0.1:9/mcp", max_concurrency: 0}
                rules: []
                """)).startsWith("rules.yaml:3: ").contains("max_concurrency");
    }

    @Test
    void aMissingEnvironmentVariableIsNamed() {
        String msg = only("""
                version: 1
                mcp_servers:
                  remote:
                    url: ${REMOTE_URL}
                rules: []
                """);

        assertThat(msg).isEqualTo("rules.yaml:4: mcp_servers.remote.url: environment variable REMOTE_URL is not set; "
                + "set it, give a default with ${REMOTE_URL:-value}, or mark this section 'enabled: false'");
    }

    @Test
    void variablesAreReadWithDefaultsAndDisabledSectionsNeedNone() {
        RulesLoader.Loaded l = RulesLoader.load("rules.yaml", """
                version: 1
                defaults: {model: "${MODEL:-gpt-x}", max_turns: "${TURNS:-7}"}
                mcp_servers:
                  remote: {url: "${REMOTE_URL}", enabled: false}
                  local: {command: "${CMD}"}
                rules:
                  - name: hello
                    on: [pull_request.opened]
                    prompt: a
                  - name: later
                    enabled: false
                    on: [pull_request.opened]
                    prompt: "${NOT_SET}"
                """, Map.of("CMD", "my-server"));

        assertThat(l.problems()).isEmpty();
        assertThat(l.rules().rules().getFirst().settings().model()).isEqualTo("gpt-x");
        assertThat(l.rules().rules().getFirst().settings().maxTurns()).isEqualTo(7);
        assertThat(l.rules().servers().get("local").command()).isEqualTo("my-server");
    }

    @Test
    void aYamlSyntaxErrorNamesTheLine() {
        List<Problem> p = problems("version: 1\nrules:\n  - name: a\n    on: [x\n");

        assertThat(p.getFirst().format()).startsWith("rules.yaml:").contains("not valid YAML");
        assertThat(p.getFirst().line()).isPositive();
    }

    @Test
    void aDuplicateYamlKeyIsAProblem() {
        assertThat(problems(HEAD + """
                  - name: hello
                    on: [pull_request.opened]
                    prompt: a
                    prompt: b
                """).getFirst().format()).isEqualTo("rules.yaml:8: rules[0]: duplicate key 'prompt'");
    }

    @Test
    void wrongTypesAndEnumsSayWhatIsExpected() {
        assertThat(only(HEAD + """
                  - name: hello
                    on: [pull_request.opened]
                    max_turns: many
                    prompt: a
                """)).contains("max_turns: must be a whole number, not \"many\"");
        assertThat(only(HEAD + """
                  - name: hello
                    on: [pull_request.opened]
                    concurrency: workspace
                    prompt: a
                """)).contains("concurrency: must be one of [thread,repo,none]");
    }

    @Test
    void anMcpServerNeedsExactlyOneTransport() {
        assertThat(only("""
                version: 1
                mcp_servers:
                  both: {command: x, url: "http://y"}
                rules: []
                """)).contains("exactly one of 'builtin', 'command' (stdio) or 'url' (HTTP)");
    }

    @Test
    void hostedServersNeedTheResponsesApi() {
        assertThat(only("""
                version: 1
                mcp_servers:
                  composio: {url: "https://mcp.example/x", hosted: true}
                rules:
                  - name: hello
                    on: [pull_request.opened]
                    tools: [composio.BITBUCKET_GET_PULL_REQUEST]
                    prompt: a
                """)).contains("need 'api: responses'");
    }

    @Test
    void everyProblemIsReportedNotJustTheFirst() {
        List<Problem> p = problems(HEAD + """
                  - name: one
                    on: [nope]
                    prompt: "{{nothing}}"
                    tools: [zzz.tool]
                """);

        assertThat(p).hasSize(3);
    }

    @Test
    void theSeedsComposioToolRouterIsExpressible() {
        RulesLoader.Loaded l = RulesLoader.load("rules.yaml", """
                version: 1
                mcp_servers:
                  composio:
                    url: ${COMPOSIO_MCP_URL}
                    headers: {x-api-key: "${COMPOSIO_API_KEY}"}
                    hosted: true
                rules:
                  - name: hello
                    on: [pull_request.opened]
                    api: responses
                    tools: [composio.BITBUCKET_*]
                    prompt: a
                """, Map.of("COMPOSIO_MCP_URL", "https://backend.composio.dev/tool_router/abc/mcp", "COMPOSIO_API_KEY", "k1"));

        assertThat(l.problems()).isEmpty();
        var server = l.rules().servers().get("composio");
        assertThat(server.url()).isEqualTo("https://backend.composio.dev/tool_router/abc/mcp");
        assertThat(server.headers()).containsEntry("x-api-key", "k1");
        assertThat(server.isHosted()).isTrue();
    }
}
