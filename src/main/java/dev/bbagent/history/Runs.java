package dev.bbagent.history;

import dev.bbagent.history.HistoryRecords.RunDetail;
import dev.bbagent.history.HistoryRecords.RunSummary;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Reading runs across repositories. A run is named {@code workspace/slug/id}: its repository's history
 * file and its number in that file.
 */
public final class Runs {

    private final HistoryStore store;

    public Runs(HistoryStore store) {
        this.store = store;
    }

    /** Newest first; {@code repo} null for every repository. */
    public List<RunSummary> list(String repo, String rule, String status, int limit) {
        List<String> repos = repo == null || repo.isEmpty() ? store.repos() : List.of(repo);
        List<RunSummary> all = new ArrayList<>();
        for (String r : repos) {
            if (!store.fileOf(r).toFile().exists()) {
                continue;
            }
            try (HistoryStore.Handle h = store.open(r)) {
                all.addAll(h.history().runs(rule, status, limit));
            }
        }
        all.sort(Comparator.comparing(RunSummary::startedAt).reversed());
        return all.size() > limit ? all.subList(0, limit) : all;
    }

    /** A run by its name {@code workspace/slug/id}. */
    public Optional<RunDetail> get(String ref) {
        int last = ref.lastIndexOf('/');
        if (last <= 0 || ref.indexOf('/') == last) {
            throw new IllegalArgumentException("a run is named workspace/slug/number, not '" + ref + "'");
        }
        String repo = ref.substring(0, last);
        long id;
        try {
            id = Long.parseLong(ref.substring(last + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("a run is named workspace/slug/number, not '" + ref + "'");
        }
        if (!store.fileOf(repo).toFile().exists()) {
            return Optional.empty();
        }
        try (HistoryStore.Handle h = store.open(repo)) {
            return h.history().run(id);
        }
    }
}
