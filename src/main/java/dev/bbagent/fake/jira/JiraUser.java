package dev.bbagent.fake.jira;

/**
 * An Atlassian account as the fake Jira knows it.
 *
 * @param accountType {@code atlassian} for people, {@code app} for apps and bots
 */
public record JiraUser(String accountId, String displayName, String email, String accountType) {

    public boolean isApp() {
        return "app".equals(accountType);
    }
}
