/**
 * bbagent's built-in Jira Cloud tools (REST v3): the client with its shared request budget and error mapping, the
 * Atlassian Document Format conversion, and the tools served in-process ({@code builtin: jira}) and over MCP
 * ({@code bbagent mcp --toolset jira}).
 */
package dev.bbagent.jira;
