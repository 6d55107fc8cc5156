package dev.bbagent.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A rules file that cannot be read or parsed says what is wrong and where, in the user's terms. */
class RulesReaderTest {

    @TempDir
    Path dir;

    private List<String> problems(byte[] content) throws IOException {
        Path file = dir.resolve("rules.yaml");
        Files.write(file, content);
        RulesReader.Read r = RulesReader.read(file, Map.of());
        assertThat(r.ok()).as("expected problems").isFalse();
        return r.problems().stream().map(p -> p.format().replace(file.toString(), "rules.yaml")).toList();
    }

    private List<String> problems(String text) throws IOException {
        return problems(text.getBytes(StandardCharsets.UTF_8));
    }

    private static final String HEAD = """
            version: 1
            rules:
              - name: hello
            """;

    @Test
    void invalidUtf8NamesTheByteAndWhereItIs() throws IOException {
        assertThat(problems(new byte[] {(byte) 0xff, (byte) 0xfe, ' ', 'g', 'a', 'r', 'b', 'a', 'g', 'e', '\n'}))
                .containsExactly("rules.yaml:1: the file is not valid UTF-8 (byte 0xff at line 1, column 1); save it as UTF-8");
    }

    @Test
    void invalidUtf8AfterValidTextCountsLinesAndCharacters() throws IOException {
        // "✓ caf" in UTF-8, then "é" in Latin-1: the ✓ is three bytes but one column
        byte[] head = (HEAD + "    prompt: \"✓ caf").getBytes(StandardCharsets.UTF_8);
        byte[] mixed = java.util.Arrays.copyOf(head, head.length + 3);
        mixed[head.length] = (byte) 0xe9;
        mixed[head.length + 1] = '"';
        mixed[head.length + 2] = '\n';

        assertThat(problems(mixed))
                .containsExactly("rules.yaml:4: the file is not valid UTF-8 (byte 0xe9 at line 4, column 19); save it as UTF-8");
    }

    @Test
    void aTruncatedMultiByteCharacterIsNamed() throws IOException {
        byte[] euro = "x: €".getBytes(StandardCharsets.UTF_8);
        byte[] cut = java.util.Arrays.copyOf(euro, euro.length - 1);

        assertThat(problems(cut)).singleElement().asString()
                .startsWith("rules.yaml:1: the file is not valid UTF-8 (bytes 0xe2 0x82 at line 1, column 4)");
    }

    @Test
    void validUtf8IsReadAsBefore() throws IOException {
        Path file = dir.resolve("rules.yaml");
        String text = HEAD + "    on: [pull_request.opened]\n    prompt: \"café ✓ 𝄞\"\n";
        Files.writeString(file, text);

        RulesReader.Read r = RulesReader.read(file, Map.of());

        assertThat(r.problems()).isEmpty();
        assertThat(r.text()).isEqualTo(text);
        assertThat(r.version()).isEqualTo(RulesReader.versionOf(text))
                .isEqualTo(RulesReader.versionOf(text.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void anUnclosedBracketIsReportedWhereTheParserStoppedWithWhereItOpened() throws IOException {
        assertThat(problems(HEAD + "    on: [pull_request.opened, pull_request.updated\n    prompt: hi\n"))
                .containsExactly("rules.yaml:5: not valid YAML: expected ',' or ']', but got ':' "
                        + "(in the flow sequence '[' opened on line 4, column 9)");
    }

    @Test
    void anUnclosedBraceAtTheEndOfTheFile() throws IOException {
        assertThat(problems("version: 1\nrules: {a: 1\n"))
                .containsExactly("rules.yaml:3: not valid YAML: expected ',' or '}', but got <stream end> "
                        + "(in the flow mapping '{' opened on line 2, column 8)");
    }

    @Test
    void aTabIsReportedOnItsOwnLine() throws IOException {
        assertThat(problems(HEAD + "    on: [pull_request.opened]\n\tprompt: hi\n"))
                .containsExactly("rules.yaml:5: not valid YAML: a tab at column 1; tabs cannot indent YAML, use spaces");
    }

    @Test
    void anUnclosedQuoteNamesWhereItOpened() throws IOException {
        assertThat(problems(HEAD + "    on: [pull_request.opened]\n    prompt: \"hi\n"))
                .containsExactly("rules.yaml:6: not valid YAML: found unexpected end of stream "
                        + "(in the quoted string opened on line 5, column 13)");
    }

    @Test
    void aMisplacedColonKeepsTheParsersExplanation() throws IOException {
        assertThat(problems("version: 1\n  rules: []\n"))
                .containsExactly("rules.yaml:2: not valid YAML: mapping values are not allowed here");
    }

    @Test
    void aControlCharacterIsNamedWithItsLine() throws IOException {
        assertThat(problems("version: 1\nrules: \u0001\n")).singleElement().asString()
                .startsWith("rules.yaml:2: not valid YAML: special characters are not allowed (character U+0001)");
    }
}
