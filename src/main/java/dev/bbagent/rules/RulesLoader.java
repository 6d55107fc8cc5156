package dev.bbagent.rules;

import dev.bbagent.config.Problem;
import dev.bbagent.config.RulesReader;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Reads, checks and compiles a rules file in one call. */
public final class RulesLoader {

    /**
     * Either compiled rules, or every problem found (each with file and line).
     *
     * @param version the content hash of what was read, valid or not
     */
    public record Loaded(CompiledRules rules, List<Problem> problems, String version) {

        public boolean ok() {
            return rules != null;
        }

        /** The problems, one per line, as {@code file:line: where: message}. */
        public String report() {
            StringBuilder b = new StringBuilder();
            problems.forEach(p -> b.append(p.format()).append('\n'));
            return b.toString();
        }
    }

    private RulesLoader() {}

    public static Loaded load(Path file, Map<String, String> env) {
        return compile(RulesReader.read(file, env));
    }

    public static Loaded load(String name, String text, Map<String, String> env) {
        return compile(RulesReader.read(name, text, env));
    }

    private static Loaded compile(RulesReader.Read read) {
        RuleCompiler.Result r = RuleCompiler.compile(read);
        return new Loaded(r.rules(), r.problems(), read.version());
    }
}
