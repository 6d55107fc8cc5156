package dev.bbagent.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bbagent.event.Edition;
import dev.bbagent.event.Event;
import dev.bbagent.event.EventKinds;
import dev.bbagent.rules.Explain;
import dev.bbagent.rules.RulesLoader;
import dev.bbagent.webhook.BitbucketEvents;
import dev.bbagent.webhook.JiraParser;
import dev.bbagent.webhook.MalformedPayloadException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code bbagent explain}: what the rules would do with one payload, before a rule goes live. */
@Command(name = "explain", mixinStandardHelpOptions = true,
        description = {"Show the normalized event of a payload, which rules match it and why (or why not),",
                "and for matching rules the rendered prompt and the settings the run would use."})
final class ExplainCommand implements Callable<Integer> {

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--event-key", required = true, paramLabel = "KEY",
            description = "The X-Event-Key, e.g. pullrequest:created (Cloud) or pr:opened (Data Center); for Jira the "
                    + "body's webhookEvent, e.g. jira:issue_created.")
    String eventKey;

    @Option(names = "--payload", required = true, paramLabel = "FILE", description = "The JSON body of a delivery.")
    Path payload;

    @Option(names = "--rules", paramLabel = "FILE", description = "Rules file. Env BBAGENT_RULES; default config/rules.yaml.")
    String rules;

    @Option(names = "--edition", paramLabel = "cloud|datacenter|jira",
            description = "Which Bitbucket (or Jira) sent it; by default told from the event key and body.")
    String edition;

    @Option(names = "--json", description = "Print the explanation as JSON.")
    boolean json;

    @Override
    public Integer call() throws IOException {
        var err = spec.commandLine().getErr();
        var out = spec.commandLine().getOut();
        JsonNode body;
        try {
            body = new ObjectMapper().readTree(Files.readAllBytes(payload));
        } catch (IOException e) {
            err.println("bbagent: cannot read " + payload + " as JSON: " + e.getMessage());
            return 1;
        }
        Path file = Path.of(Cli.rulesFile(rules));
        RulesLoader.Loaded loaded = RulesLoader.load(file, System.getenv());
        if (!loaded.ok()) {
            loaded.problems().forEach(p -> err.println(p.format()));
            return 1;
        }
        boolean jira = edition != null ? edition.equals(Edition.JIRA.wire())
                : EventKinds.editionOfKey(eventKey) == Edition.JIRA || body.hasNonNull("webhookEvent");
        Edition ed = jira ? Edition.JIRA : edition != null ? Edition.fromWire(edition)
                : BitbucketEvents.detectEdition(h -> null, eventKey, body);
        if (!EventKinds.isKnown(ed, eventKey)) {
            err.println("note: " + eventKey + " is not an event key bbagent knows for " + ed.wire());
        }
        Event event;
        try {
            event = jira ? JiraParser.parse(eventKey, "explain", body, loaded.rules().jiraProjects())
                    : BitbucketEvents.parse(ed, eventKey, "explain", body);
        } catch (MalformedPayloadException e) {
            err.println("bbagent: the payload does not fit " + eventKey + ": " + e.getMessage());
            return 1;
        }
        if (json) {
            out.println(new ObjectMapper().writerWithDefaultPrettyPrinter()
                    .writeValueAsString(Explain.report(loaded.rules(), event)));
        } else {
            out.print(Explain.text(loaded.rules(), event));
        }
        return 0;
    }
}
