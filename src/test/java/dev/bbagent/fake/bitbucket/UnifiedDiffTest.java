package dev.bbagent.fake.bitbucket;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class UnifiedDiffTest {

    @Test
    void aChangedLineIsShownWithThreeLinesOfContext() {
        String before = lines(1, 10);
        String after = before.replace("line 5\n", "line five\n");

        String diff = UnifiedDiff.between(Map.of("f.txt", before), Map.of("f.txt", after));

        assertThat(diff).endsWith("--- a/f.txt\n+++ b/f.txt\n@@ -2,7 +2,7 @@\n line 2\n line 3\n line 4\n-line 5\n"
                + "+line five\n line 6\n line 7\n line 8\n");
        assertThat(diff).contains("index " + Ids.blob(before).substring(0, 7) + ".." + Ids.blob(after).substring(0, 7));
    }

    @Test
    void distantChangesMakeSeparateHunks() {
        String before = lines(1, 30);
        String after = before.replace("line 2\n", "line two\n").replace("line 28\n", "line twenty-eight\n");

        String diff = UnifiedDiff.between(Map.of("f.txt", before), Map.of("f.txt", after));

        assertThat(diff.lines().filter(l -> l.startsWith("@@"))).containsExactly("@@ -1,5 +1,5 @@", "@@ -25,6 +25,6 @@");
    }

    @Test
    void addedAndDeletedFilesUseDevNull() {
        String diff = UnifiedDiff.between(Map.of("old.txt", "a\nb\n"), Map.of("new.txt", "c\n"));

        assertThat(diff).contains("diff --git a/new.txt b/new.txt\nnew file mode 100644\n")
                .contains("--- /dev/null\n+++ b/new.txt\n@@ -0,0 +1 @@\n+c\n")
                .contains("diff --git a/old.txt b/old.txt\ndeleted file mode 100644\n")
                .contains("--- a/old.txt\n+++ /dev/null\n@@ -1,2 +0,0 @@\n-a\n-b\n");
    }

    @Test
    void aMissingFinalNewlineIsMarkedAsGitDoes() {
        String diff = UnifiedDiff.between(Map.of("f", "a\nb"), Map.of("f", "a\nb\n"));

        assertThat(diff).endsWith("@@ -1,2 +1,2 @@\n a\n-b\n\\ No newline at end of file\n+b\n");
    }

    @Test
    void theDiffstatCountsLinesPerFileAndNamesTheStatus() {
        String diff = UnifiedDiff.between(Map.of("a.txt", "1\n2\n", "gone.txt", "x\n"),
                Map.of("a.txt", "1\n2\n3\n4\n", "new.txt", "n\n"));

        List<DiffStat.FileDiff> files = DiffStat.parse(diff);

        assertThat(files).extracting(f -> f.status() + " " + f.oldPath() + " " + f.newPath() + " +" + f.linesAdded()
                + " -" + f.linesRemoved())
                .containsExactly("modified a.txt a.txt +2 -0", "removed gone.txt null +0 -1", "added null new.txt +1 -0");
        assertThat(DiffStat.only(diff, List.of("new.txt"))).startsWith("diff --git a/new.txt b/new.txt\n")
                .doesNotContain("a.txt");
    }

    @Test
    void bbqlFiltersByNestedFieldsWithAndOrAndParentheses() {
        var values = List.of(Json.obj().put("state", "OPEN").put("id", 1),
                Json.obj().put("state", "MERGED").put("id", 2), Json.obj().put("state", "DECLINED").put("id", 3));

        assertThat(Bbql.filter(values, "(state = \"OPEN\" OR state = \"MERGED\") AND id > 1"))
                .extracting(v -> v.path("id").asInt()).containsExactly(2);
        assertThat(Bbql.filter(values, "state ~ \"ed\"")).hasSize(2);
        assertThat(Bbql.filter(values, "title = null")).hasSize(3);
    }

    private static String lines(int from, int to) {
        return IntStream.rangeClosed(from, to).mapToObj(i -> "line " + i + "\n").collect(Collectors.joining());
    }
}
