package dev.bbagent.bitbucket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bbagent.tools.ToolError;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The pieces under the review tools: globs, diff slicing, the hidden marker. */
class BitbucketDiffPartsTest {

    @Test
    void globsWithoutASlashMatchFileNamesAnywhere() {
        assertThat(Glob.of("*.md").matches("README.md")).isTrue();
        assertThat(Glob.of("*.md").matches("docs/deep/guide.md")).isTrue();
        assertThat(Glob.of("*.md").matches("docs/guide.mdx")).isFalse();
        assertThat(Glob.of("package-lock.json").matches("web/package-lock.json")).isTrue();
        assertThat(Glob.of("*.{yml,yaml}").matches("ci/x.yaml")).isTrue();
        assertThat(Glob.of("?.py").matches("a.py")).isTrue();
        assertThat(Glob.of("[!a]*.py").matches("b.py")).isTrue();
        assertThat(Glob.of("[!a]*.py").matches("a.py")).isFalse();
    }

    @Test
    void globsWithASlashMatchFromTheRoot() {
        assertThat(Glob.of("src/**").matches("src/a/b.py")).isTrue();
        assertThat(Glob.of("src/*").matches("src/a/b.py")).isFalse();
        assertThat(Glob.of("src/*").matches("src/b.py")).isTrue();
        assertThat(Glob.of("/src/b.py").matches("src/b.py")).isTrue();
        assertThat(Glob.of("**/generated/**").matches("a/generated/x.java")).isTrue();
        assertThat(Glob.of("**/generated/**").matches("generated/x.java")).isTrue();
        assertThat(Glob.of("src/**/*.java").matches("src/Main.java")).isTrue();
        assertThat(Glob.of("src/**/*.java").matches("lib/src/Main.java")).isFalse();
        assertThat(Glob.of("a+b/(x).py").matches("a+b/(x).py")).isTrue();
        assertThatThrownBy(() -> Glob.of(" ")).isInstanceOf(ToolError.class);
    }

    @Test
    void aDiffSplitsIntoFilesWithTheirPaths() {
        String diff = "diff --git a/a.txt b/a.txt\nnew file mode 100644\n--- /dev/null\n+++ b/a.txt\n@@ -0,0 +1 @@\n+x\n"
                + "diff --git a/gone.txt b/gone.txt\ndeleted file mode 100644\n--- a/gone.txt\n+++ /dev/null\n"
                + "@@ -1 +0,0 @@\n-y\n"
                + "diff --git a/logo.png b/logo.png\nBinary files a/logo.png and b/logo.png differ\n"
                + "diff --git a/old name.txt b/new name.txt\nrename from old name.txt\nrename to new name.txt\n";

        List<DiffSlicer.FileDiff> files = DiffSlicer.split(diff);

        assertThat(files).extracting(DiffSlicer.FileDiff::path)
                .containsExactly("a.txt", "gone.txt", "logo.png", "new name.txt");
        assertThat(files).extracting(DiffSlicer.FileDiff::oldPath).containsExactly(null, "gone.txt", "logo.png",
                "old name.txt");
        assertThat(String.join("", files.stream().map(DiffSlicer.FileDiff::text).toList())).isEqualTo(diff);
    }

    @Test
    void aRenamedFileMatchesByItsOldPathToo() {
        String diff = "diff --git a/old/x.py b/new/x.py\nrename from old/x.py\nrename to new/x.py\n";

        DiffSlicer.Slice slice = DiffSlicer.slice(diff, List.of(Glob.of("old/**")), List.of(), 1_000, false);

        assertThat(slice.shown()).containsExactly("new/x.py");
    }

    @Test
    void aDownloadCutShortMarksItsLastFile() {
        String diff = BitbucketDiffToolsTest.section("a.py", 2) + BitbucketDiffToolsTest.section("b.py", 2);

        DiffSlicer.Slice slice = DiffSlicer.slice(diff, List.of(), List.of(), 100_000, true);

        assertThat(slice.shown()).containsExactly("a.py");
        assertThat(slice.leftOut()).singleElement().satisfies(l -> {
            assertThat(l.path()).isEqualTo("b.py");
            assertThat(l.reason()).startsWith("cut off");
        });
    }

    @Test
    void aCutNeverSplitsACharacter() {
        String diff = "diff --git a/u.txt b/u.txt\n--- a/u.txt\n+++ b/u.txt\n@@ -1 +1 @@\n+" + "é".repeat(600) + "\n";

        DiffSlicer.Slice slice = DiffSlicer.slice(diff, List.of(), List.of(), 1_000, false);

        assertThat(slice.diff()).doesNotContain("\uFFFD").startsWith("diff --git");
        assertThat(slice.shownBytes()).isLessThanOrEqualTo(1_000);
    }

    @Test
    void theMarkerIsAnInvisibleReferenceDefinitionFirstThenABlankLine() {
        assertThat(BotMarker.mark("Hints:\n- one", "pr-review-hints"))
                .isEqualTo("[//]: # (bbagent:key=pr-review-hints)\n\nHints:\n- one");
        assertThat(BotMarker.marker("a b)c\nd")).isEqualTo("[//]: # (bbagent:key=a%20b%29c%0Ad)");
        assertThat(BotMarker.carries("[//]: # (bbagent:key=k)\n\ntext", "k")).isTrue();
        assertThat(BotMarker.carries("text\n\n  [//]: # (bbagent:key=k)  ", "k")).isTrue();
        assertThat(BotMarker.carries("[//]: # (bbagent:key=k2)\n\ntext", "k")).isFalse();
        assertThat(BotMarker.carries("see [//]: # (bbagent:key=k) inline", "k")).isFalse();
        assertThatThrownBy(() -> BotMarker.marker("x".repeat(101))).isInstanceOf(ToolError.class);
    }
}
