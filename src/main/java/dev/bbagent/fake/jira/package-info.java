/**
 * A fake Jira Cloud site for tests and demos: REST v3 shapes, Jira's errors, API-token authentication and signed
 * admin webhooks, over real HTTP. Start one with {@link dev.bbagent.fake.jira.FakeJira#start()}.
 */
package dev.bbagent.fake.jira;
