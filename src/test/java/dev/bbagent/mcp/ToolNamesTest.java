package dev.bbagent.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ToolNamesTest {

    private final ToolNames names = new ToolNames();

    @Test
    void aNameThatFitsIsServerTwoUnderscoresTool() {
        assertThat(names.name("bitbucket", "get_pull_request")).isEqualTo("bitbucket__get_pull_request");
        assertThat(names.resolve("bitbucket__get_pull_request")).contains(new ToolNames.Ref("bitbucket", "get_pull_request"));
    }

    @Test
    void invalidCharactersAreReplacedAndAHashKeepsTheNameUnique() {
        String name = names.name("jira", "search.issues");

        assertThat(name).matches("jira__search_issues_[0-9a-f]{8}").matches(ToolNames.FUNCTION_NAME);
        assertThat(names.resolve(name)).contains(new ToolNames.Ref("jira", "search.issues"));
    }

    @Test
    void namesThatCleanToTheSameTextStayDistinct() {
        String plain = names.name("jira", "search_issues");
        String dotted = names.name("jira", "search.issues");
        String spaced = names.name("jira", "search issues");

        assertThat(plain).isEqualTo("jira__search_issues");
        assertThat(dotted).isNotEqualTo(plain).isNotEqualTo(spaced);
        assertThat(names.resolve(dotted)).contains(new ToolNames.Ref("jira", "search.issues"));
        assertThat(names.resolve(spaced)).contains(new ToolNames.Ref("jira", "search issues"));
    }

    @Test
    void longNamesAreCutTo64CharactersWithAHashSuffix() {
        String tool = "a_very_long_tool_name_that_goes_on_and_on_and_on_beyond_the_limit";
        String first = names.name("composio", tool);
        String second = names.name("composio", tool + "_too");

        assertThat(first).hasSize(64).startsWith("composio__a_very_long").matches(ToolNames.FUNCTION_NAME);
        assertThat(second).hasSize(64).isNotEqualTo(first);
        assertThat(names.resolve(first)).contains(new ToolNames.Ref("composio", tool));
        assertThat(names.resolve(second)).contains(new ToolNames.Ref("composio", tool + "_too"));
    }

    @Test
    void aServerNameWithDoubleUnderscoresStillResolvesUnambiguously() {
        String a = names.name("my__server", "x");
        String b = names.name("my", "server__x");

        assertThat(a).isEqualTo("my__server__x");
        assertThat(b).isNotEqualTo(a).matches(ToolNames.FUNCTION_NAME);
        assertThat(names.resolve(a)).contains(new ToolNames.Ref("my__server", "x"));
        assertThat(names.resolve(b)).contains(new ToolNames.Ref("my", "server__x"));
    }

    @Test
    void theSameToolGetsTheSameNameInEveryRunWhateverTheOrder() {
        ToolNames other = new ToolNames();
        other.name("jira", "search_issues");

        assertThat(new ToolNames().name("jira", "search.issues")).isEqualTo(names.name("jira", "search.issues"))
                .isEqualTo(ToolNames.functionName("jira", "search.issues"));
        assertThat(names.name("jira", "search.issues")).isEqualTo(other.name("jira", "search.issues"));
    }

    @Test
    void aNameNeverGivenOutResolvesToNothing() {
        assertThat(names.resolve("bitbucket__nope")).isEmpty();
    }

    @Test
    void nonAsciiLettersAreReplaced() {
        String name = names.name("wiki", "página_créer");

        assertThat(name).matches(ToolNames.FUNCTION_NAME).startsWith("wiki__p_gina_cr_er_");
    }
}
