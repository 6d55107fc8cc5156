/**
 * What the built-in toolsets (Bitbucket, Jira) share: reading a tool call's arguments ({@link
 * dev.bbagent.tools.ToolArgs}), building its input schema ({@link dev.bbagent.tools.ToolSchema}), the error a
 * model can fix ({@link dev.bbagent.tools.ToolError}) and the {@code Retry-After} header ({@link
 * dev.bbagent.tools.RetryAfter}).
 */
package dev.bbagent.tools;
