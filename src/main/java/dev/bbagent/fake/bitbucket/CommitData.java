package dev.bbagent.fake.bitbucket;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One commit: its parents and the whole file tree it records (path to content), so any commit's files and
 * any two commits' diff can be answered.
 */
record CommitData(String hash, List<String> parents, String message, Account author, Instant date,
        Map<String, String> tree) {

    CommitData {
        parents = List.copyOf(parents);
        tree = Map.copyOf(tree);
    }

    String shortHash() {
        return Ids.shortHash(hash);
    }
}
