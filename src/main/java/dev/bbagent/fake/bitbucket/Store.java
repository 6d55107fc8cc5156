package dev.bbagent.fake.bitbucket;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The fake's whole state. Every read or write of it, and of the model objects reached from it, happens
 * inside {@link #locked}: one monitor keeps the model consistent under concurrent requests.
 */
final class Store {

    private final Clock clock;
    private final Map<String, WorkspaceData> workspaces = new LinkedHashMap<>();
    private final Map<String, Account> accounts = new LinkedHashMap<>();
    private final Map<String, Instant> accountsCreated = new LinkedHashMap<>();
    private long nextCommentId = 100_001;
    private long nextSnippetNumber = 1;

    Store(Clock clock) {
        this.clock = clock;
    }

    synchronized <T> T locked(Supplier<T> work) {
        return work.get();
    }

    synchronized void locked(Runnable work) {
        work.run();
    }

    Instant now() {
        return clock.instant();
    }

    synchronized WorkspaceData workspace(String slug) {
        WorkspaceData ws = workspaces.get(slug);
        if (ws == null) {
            throw ApiError.notFound("No workspace with identifier '" + slug + "'.");
        }
        return ws;
    }

    synchronized WorkspaceData workspaceOrCreate(String slug) {
        if (slug == null || !slug.matches("[a-z0-9][a-z0-9_-]*")) {
            throw new IllegalArgumentException("a workspace slug is lowercase letters, digits, - and _: " + slug);
        }
        return workspaces.computeIfAbsent(slug, s -> new WorkspaceData(s, now()));
    }

    synchronized List<WorkspaceData> workspaces() {
        return new ArrayList<>(workspaces.values());
    }

    synchronized RepoData repo(String workspace, String slug) {
        return workspace(workspace).repo(slug);
    }

    synchronized void addAccount(Account account) {
        accounts.put(account.uuid(), account);
        accountsCreated.putIfAbsent(account.uuid(), now());
    }

    synchronized Instant createdOn(Account account) {
        return accountsCreated.getOrDefault(account.uuid(), now());
    }

    /** An account by braced UUID, bare UUID or account id; null when unknown. */
    synchronized Account account(String id) {
        if (id == null) {
            return null;
        }
        Account byUuid = accounts.get(id.startsWith("{") ? id : "{" + id + "}");
        if (byUuid != null) {
            return byUuid;
        }
        return accounts.values().stream().filter(a -> a.accountId().equals(id)).findFirst().orElse(null);
    }

    synchronized long nextCommentId() {
        return nextCommentId++;
    }

    /** Snippet ids look like Bitbucket's short encoded ids. */
    synchronized String nextSnippetId() {
        return Long.toString(0x5A1B00 + nextSnippetNumber++ * 7919, 36);
    }
}
