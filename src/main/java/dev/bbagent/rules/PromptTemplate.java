package dev.bbagent.rules;

import com.github.mustachejava.Code;
import com.github.mustachejava.DefaultMustacheFactory;
import com.github.mustachejava.Mustache;
import com.github.mustachejava.MustacheException;
import com.github.mustachejava.codes.IterableCode;
import com.github.mustachejava.codes.NotIterableCode;
import com.github.mustachejava.codes.ValueCode;
import dev.bbagent.event.EventFields;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A rule's {@code prompt} or {@code instructions}: a Mustache template over the event, rendered without
 * HTML escaping (prompts are plain text). Compiling checks that every name it reads exists in the event
 * model, resolving names inside sections ({@code {{#pull_request}}{{title}}{{/pull_request}}}).
 */
final class PromptTemplate {

    /**
     * Mustache with escaping turned off. A new factory per compile: the factory caches templates by name,
     * and a reloaded rule must not get its previous version's template.
     */
    private static final class RawFactory extends DefaultMustacheFactory {
        @Override
        public void encode(String value, Writer writer) {
            try {
                writer.write(value);
            } catch (IOException e) {
                throw new MustacheException("cannot write the rendered prompt", e);
            }
        }
    }

    private final Mustache mustache;
    private final String source;

    private PromptTemplate(String source, Mustache mustache) {
        this.source = source;
        this.mustache = mustache;
    }

    record Compiled(PromptTemplate template, List<String> errors) {}

    static Compiled compile(String name, String source) {
        Mustache m;
        try {
            m = new RawFactory().compile(new StringReader(source), name);
        } catch (MustacheException e) {
            return new Compiled(null, List.of("template does not compile: " + e.getMessage()));
        }
        List<String> errors = new ArrayList<>();
        check(m.getCodes(), List.of(), errors);
        return errors.isEmpty() ? new Compiled(new PromptTemplate(source, m), List.of()) : new Compiled(null, errors);
    }

    /** Names are looked up in the innermost section first, then outwards, as Mustache does. */
    private static void check(Code[] codes, List<String> sections, List<String> errors) {
        if (codes == null) {
            return;
        }
        for (Code c : codes) {
            if (c instanceof ValueCode || c instanceof IterableCode || c instanceof NotIterableCode) {
                String name = c.getName();
                if (name != null && !name.equals(".") && resolve(name, sections) == null) {
                    errors.add("the event has no field '" + name + "'" + Suggestions.field(name));
                }
                if (c instanceof IterableCode || c instanceof NotIterableCode) {
                    String resolved = resolve(name, sections);
                    List<String> inner = new ArrayList<>(sections);
                    inner.add(resolved == null ? name : resolved);
                    check(c.getCodes(), inner, errors);
                }
            } else {
                check(c.getCodes(), sections, errors);
            }
        }
    }

    private static String resolve(String name, List<String> sections) {
        for (int i = sections.size() - 1; i >= 0; i--) {
            String section = sections.get(i);
            if (EventFields.typeOf(section) == EventFields.Type.MAP || EventFields.typeOf(section) == EventFields.Type.LIST) {
                return section + "." + name;
            }
            String candidate = section + "." + name;
            if (EventFields.typeOf(candidate) != null) {
                return candidate;
            }
        }
        return EventFields.typeOf(name) != null ? name : null;
    }

    String render(Map<String, Object> view) {
        StringWriter out = new StringWriter();
        try {
            mustache.execute(out, view).flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    String source() {
        return source;
    }
}
