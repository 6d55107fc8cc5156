package dev.bbagent.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.bbagent.cli.CliRunner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The deployment files parse and say what they should: the compose file, the Kubernetes manifests, the
 * Grafana provisioning, the Dockerfile and its health probe. {@code docker build} and {@code kubectl kustomize}
 * run where those tools work; otherwise their tests are skipped with a message.
 */
class DeployFilesTest {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path DEPLOY = Tools.ROOT.resolve("deploy");

    @TempDir
    Path tmp;

    /** Every document of a YAML file (Kubernetes files may hold several). */
    private static List<JsonNode> documents(Path file) throws IOException {
        try (MappingIterator<JsonNode> it = YAML.readerFor(JsonNode.class).readValues(file.toFile())) {
            return it.readAll().stream().filter(d -> d != null && !d.isMissingNode() && !d.isNull()).toList();
        }
    }

    private static JsonNode yaml(String path) throws IOException {
        return documents(DEPLOY.resolve(path)).getFirst();
    }

    /** Kubernetes objects of deploy/k8s by kind. */
    private static Map<String, JsonNode> k8s() throws IOException {
        Map<String, JsonNode> byKind = new LinkedHashMap<>();
        try (Stream<Path> files = Files.list(DEPLOY.resolve("k8s"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList()) {
                for (JsonNode d : documents(f)) {
                    byKind.put(d.path("kind").asText(), d);
                }
            }
        }
        return byKind;
    }

    @Test
    void everyYamlFileUnderDeployParses() throws IOException {
        List<Path> files;
        try (Stream<Path> walk = Files.walk(DEPLOY)) {
            files = walk.filter(p -> p.toString().endsWith(".yml") || p.toString().endsWith(".yaml")).sorted().toList();
        }
        for (Path f : files) {
            assertThat(documents(f)).as(Tools.ROOT.relativize(f).toString()).isNotEmpty();
        }
        assertThat(files).hasSizeGreaterThanOrEqualTo(13);
        assertThat(JSON.readTree(Queries.DASHBOARD.toFile()).path("panels")).isNotEmpty();
    }

    @Test
    void everyLinkIntoOperationsMdHasItsSection() throws IOException {
        Path operations = Tools.ROOT.resolve("docs/operations.md");
        Set<String> anchors = AlertRulesTest.anchors(Files.readString(operations));
        List<Path> files = new ArrayList<>(List.of(operations, Tools.ROOT.resolve("README.md")));
        try (Stream<Path> walk = Files.walk(DEPLOY)) {
            walk.filter(Files::isRegularFile).forEach(files::add);
        }
        List<String> broken = new ArrayList<>();
        for (Path f : files) {
            String text = Files.readString(f);
            Matcher m = Pattern.compile(f.equals(operations) ? "\\]\\(#([a-z0-9-]+)\\)" : "operations\\.md#([a-z0-9-]+)").matcher(text);
            while (m.find()) {
                if (!anchors.contains(m.group(1))) {
                    broken.add(Tools.ROOT.relativize(f) + ": #" + m.group(1));
                }
            }
        }
        assertThat(broken).isEmpty();
    }

    @Test
    void theComposeFileRunsBbagentPrometheusAndGrafanaFromFilesThatExist() throws IOException {
        JsonNode services = yaml("compose.yaml").path("services");
        assertThat(services.properties()).extracting(Map.Entry::getKey).contains("bbagent", "prometheus", "grafana");

        JsonNode bbagent = services.path("bbagent");
        assertThat(DEPLOY.resolve(bbagent.at("/build/context").asText()).normalize()).isEqualTo(Tools.ROOT);
        assertThat(Tools.ROOT.resolve(bbagent.at("/build/dockerfile").asText())).isRegularFile();
        assertThat(bbagent.path("env_file").asText()).isEqualTo(".env");
        assertThat(bbagent.path("volumes").toString()).contains("../config:/config:ro").contains(":/data");
        assertThat(bbagent.at("/environment/BBAGENT_RULES").asText()).isEqualTo("/config/rules.yaml");
        for (String service : List.of("bbagent", "prometheus", "grafana")) {
            for (JsonNode v : services.path(service).path("volumes")) {
                String source = v.asText().split(":")[0];
                if (source.startsWith(".")) {
                    assertThat(DEPLOY.resolve(source)).as(service + " mounts " + source).exists();
                }
            }
        }
        assertThat(services.path("prometheus").path("command").toString())
                .contains("--config.file=/etc/prometheus/prometheus.yml");
        String providerPath = yaml("grafana/provisioning/dashboards/bbagent.yaml").at("/providers/0/options/path").asText();
        assertThat(services.path("grafana").path("volumes").toString()).contains("./grafana/dashboards:" + providerPath);
    }

    @Test
    void envExampleNamesEveryVariableWithoutRealValues() throws IOException {
        String compose = Files.readString(DEPLOY.resolve("compose.yaml")).replaceAll("(?m)\\s*#.*$", "");
        String example = Files.readString(DEPLOY.resolve(".env.example"));
        Set<String> documented = new TreeSet<>();
        Matcher m = Pattern.compile("(?m)^#?\\s*([A-Z][A-Z0-9_]+)=(.*)$").matcher(example);
        List<String> filled = new ArrayList<>();
        while (m.find()) {
            documented.add(m.group(1));
            if (!example.substring(m.start(), m.start() + 1).equals("#") && !m.group(2).isBlank()) {
                filled.add(m.group(1));
            }
        }
        Set<String> used = new TreeSet<>();
        Matcher v = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*)").matcher(compose);
        while (v.find()) {
            used.add(v.group(1));
        }

        assertThat(documented).containsAll(used).contains("BITBUCKET_WEBHOOK_SECRET", "OPENAI_API_KEY",
                "BBAGENT_ADMIN_TOKEN", "BITBUCKET_TOKEN", "OPENAI_BASE_URL", "GRAFANA_ADMIN_PASSWORD");
        assertThat(filled).as("variables with a value in .env.example").isEmpty();
        assertThat(Files.readString(Tools.ROOT.resolve(".gitignore"))).containsPattern("(?m)^\\.env$");
    }

    @Test
    void grafanaGetsTheDatasourceTheDashboardUses() throws IOException {
        JsonNode datasource = yaml("grafana/provisioning/datasources/prometheus.yaml").at("/datasources/0");
        JsonNode dashboard = JSON.readTree(Queries.DASHBOARD.toFile());
        JsonNode dsVariable = dashboard.at("/templating/list/0");

        assertThat(datasource.path("type").asText()).isEqualTo("prometheus");
        assertThat(datasource.path("url").asText()).isEqualTo("http://prometheus:9090");
        assertThat(dsVariable.path("name").asText()).isEqualTo("DS_PROMETHEUS");
        assertThat(dsVariable.path("type").asText()).isEqualTo("datasource");
        assertThat(dsVariable.at("/current/value").asText()).isEqualTo(datasource.path("uid").asText());
        Set<Integer> ids = new TreeSet<>();
        for (JsonNode p : dashboard.path("panels")) {
            assertThat(ids.add(p.path("id").asInt())).as("panel id " + p.path("id") + " is unique").isTrue();
            if (!p.path("type").asText().equals("row")) {
                assertThat(p.at("/datasource/uid").asText()).as(p.path("title").asText()).isEqualTo("${DS_PROMETHEUS}");
                assertThat(p.path("targets")).as(p.path("title").asText()).isNotEmpty();
            }
        }
    }

    @Test
    void theDeploymentRunsOneLockedDownReplicaWithProbesAndItsDataOnAVolume() throws IOException {
        Map<String, JsonNode> k = k8s();
        assertThat(k.keySet()).contains("Deployment", "Service", "PersistentVolumeClaim", "ConfigMap", "Secret",
                "ServiceMonitor", "Kustomization");
        JsonNode d = k.get("Deployment").path("spec");
        JsonNode pod = d.at("/template/spec");
        JsonNode c = pod.at("/containers/0");

        assertThat(d.path("replicas").asInt()).isEqualTo(1);
        assertThat(d.at("/strategy/type").asText()).isEqualTo("Recreate");
        assertThat(c.at("/readinessProbe/httpGet/path").asText()).isEqualTo("/health/ready");
        assertThat(c.at("/livenessProbe/httpGet/path").asText()).isEqualTo("/health/live");
        assertThat(c.at("/resources/requests/memory").asText()).isNotBlank();
        assertThat(c.at("/resources/limits/memory").asText()).isNotBlank();
        assertThat(pod.at("/securityContext/runAsNonRoot").asBoolean()).isTrue();
        assertThat(c.at("/securityContext/readOnlyRootFilesystem").asBoolean()).isTrue();
        assertThat(c.at("/securityContext/allowPrivilegeEscalation").asBoolean(true)).isFalse();
        assertThat(c.at("/securityContext/capabilities/drop").toString()).contains("ALL");

        Map<String, String> mounts = new LinkedHashMap<>();
        c.path("volumeMounts").forEach(m -> mounts.put(m.path("mountPath").asText(), m.path("name").asText()));
        Map<String, JsonNode> volumes = new LinkedHashMap<>();
        pod.path("volumes").forEach(v -> volumes.put(v.path("name").asText(), v));
        assertThat(mounts).containsKeys("/data", "/config", "/tmp");
        assertThat(volumes.get(mounts.get("/data")).at("/persistentVolumeClaim/claimName").asText())
                .isEqualTo(k.get("PersistentVolumeClaim").at("/metadata/name").asText());
        assertThat(volumes.get(mounts.get("/config")).at("/configMap/name").asText())
                .isEqualTo(k.get("ConfigMap").at("/metadata/name").asText());
        assertThat(volumes.get(mounts.get("/tmp")).has("emptyDir")).isTrue();
        assertThat(c.at("/envFrom/0/secretRef/name").asText()).isEqualTo(k.get("Secret").at("/metadata/name").asText());
        assertThat(c.path("env").toString()).contains("BBAGENT_DATA_DIR").contains("BBAGENT_RULES").contains("BBAGENT_INSTANCE_ID");

        JsonNode service = k.get("Service");
        JsonNode labels = d.at("/template/metadata/labels");
        service.at("/spec/selector").properties().forEach(e ->
                assertThat(labels.path(e.getKey()).asText()).as("pod label " + e.getKey()).isEqualTo(e.getValue().asText()));
        assertThat(k.get("ServiceMonitor").at("/spec/endpoints/0/port").asText())
                .isEqualTo(service.at("/spec/ports/0/name").asText());
        assertThat(k.get("ServiceMonitor").at("/spec/endpoints/0/path").asText()).isEqualTo("/metrics");
        for (JsonNode r : k.get("Kustomization").path("resources")) {
            assertThat(DEPLOY.resolve("k8s").resolve(r.asText())).isRegularFile();
        }
        assertThat(k.get("Kustomization").path("resources").toString()).doesNotContain("secret.example.yaml");
    }

    @Test
    void theConfigMapShipsTheRepositorysRules() throws IOException {
        String shipped = Files.readString(Tools.ROOT.resolve("config/rules.yaml"));

        String inConfigMap = k8s().get("ConfigMap").at("/data/rules.yaml").asText();

        assertThat(inConfigMap).as("deploy/k8s/configmap.yaml differs from config/rules.yaml: run "
                + "deploy/k8s/sync-rules.sh").isEqualTo(shipped);
    }

    @Test
    void theRulesInTheConfigMapAreValid() throws IOException {
        Path rules = tmp.resolve("rules.yaml");
        Files.writeString(rules, k8s().get("ConfigMap").at("/data/rules.yaml").asText());

        String[] out = CliRunner.run("validate", "--rules", rules.toString());

        assertThat(out[0]).as(out[1] + out[2]).isEqualTo("0");
    }

    @Test
    void kustomizeRendersTheManifests() {
        Path kubectl = Tools.require("kubectl", "kubectl renders deploy/k8s with its built-in kustomize");
        List<String> command = List.of(kubectl.toString(), "kustomize", "deploy/k8s");

        Tools.Result r = Tools.run(Tools.ROOT, Duration.ofSeconds(60), null, command);

        assertThat(r.exit()).as(r.describe(command)).isZero();
        assertThat(r.output()).contains("kind: Deployment", "kind: Service", "kind: PersistentVolumeClaim",
                "kind: ConfigMap", "kind: ServiceMonitor").doesNotContain("kind: Secret");
    }

    @Test
    void theImageBuildsOnTemurin25AndRunsAsANonRootUserWithAHealthcheck() throws IOException {
        List<String> lines = dockerfile();
        Map<String, String> args = new LinkedHashMap<>();
        List<String> from = new ArrayList<>();
        for (String l : lines) {
            Matcher arg = Pattern.compile("^ARG (\\w+)=(\\S+)$").matcher(l);
            if (arg.matches()) {
                args.put(arg.group(1), arg.group(2));
            } else if (l.startsWith("FROM ")) {
                String image = l.split("\\s+")[1];
                Matcher var = Pattern.compile("^\\$\\{(\\w+)}$").matcher(image);
                from.add(var.matches() ? args.get(var.group(1)) : image);
            }
        }
        String user = lines.stream().filter(l -> l.startsWith("USER ")).reduce((a, b) -> b).orElse("USER root");

        assertThat(from).containsExactly("maven:3-eclipse-temurin-25", "eclipse-temurin:25-jre");
        assertThat(user).doesNotContain("root").isEqualTo("USER bbagent:bbagent");
        assertThat(lines).anyMatch(l -> l.startsWith("HEALTHCHECK ") && l.contains("/health/ready"))
                .anyMatch(l -> l.startsWith("VOLUME ") && l.contains("/data"))
                .anyMatch(l -> l.contains("BBAGENT_DATA_DIR=/data") && l.contains("BBAGENT_RULES=/config/rules.yaml")
                        && l.contains("-XX:MaxRAMPercentage=75") && l.contains("--enable-native-access=ALL-UNNAMED"))
                .anyMatch(l -> l.startsWith("ENTRYPOINT ") && l.contains("-XX:AOTCache=/app/bbagent.aot"))
                .anyMatch(l -> l.startsWith("RUN ") && l.contains("aot-train.sh"));
    }

    @Test
    void everyFileTheDockerfileCopiesIsInTheBuildContext() throws IOException {
        List<String> allowed = Files.readAllLines(Tools.ROOT.resolve(".dockerignore")).stream()
                .filter(l -> l.startsWith("!")).map(l -> l.substring(1)).toList();
        List<String> sources = new ArrayList<>();
        for (String l : dockerfile()) {
            if (l.startsWith("COPY ") && !l.contains("--from=")) {
                List<String> words = new ArrayList<>(List.of(l.substring(5).trim().split("\\s+")));
                words.removeIf(w -> w.startsWith("--"));
                sources.addAll(words.subList(0, words.size() - 1));
            }
        }

        assertThat(sources).isNotEmpty();
        for (String s : sources) {
            assertThat(Tools.ROOT.resolve(s)).as(s).exists();
            assertThat(allowed).as(s + " is let through .dockerignore").anyMatch(a -> (s + "/").startsWith(a + "/"));
        }
    }

    /** The Dockerfile's instructions, continuation lines joined, comments dropped. */
    private static List<String> dockerfile() throws IOException {
        String text = Files.readString(DEPLOY.resolve("docker/Dockerfile")).replaceAll("(?m)^\\s*#.*\\n", "")
                .replaceAll("\\\\\\n", " ");
        return text.lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
    }

    @Test
    void theHealthcheckProbeSucceedsOnlyWhenBbagentIsReady() throws IOException {
        Path bash = Tools.require("bash", "the image's health probe is a bash script");
        String probe = DEPLOY.resolve("docker/healthcheck.sh").toString();
        try (var server = dev.bbagent.testing.TestServer.start(tmp.resolve("data"))) {
            String port = Integer.toString(server.app().port());

            Tools.Result ready = Tools.run(Tools.ROOT, Duration.ofSeconds(20), null, Map.of("BBAGENT_PORT", port),
                    List.of(bash.toString(), probe));
            Tools.Result missing = Tools.run(Tools.ROOT, Duration.ofSeconds(20), null, Map.of("BBAGENT_PORT", port),
                    List.of(bash.toString(), probe, "/no/such/page"));

            assertThat(ready.exit()).as(ready.output()).isZero();
            assertThat(missing.exit()).isEqualTo(1);
            assertThat(missing.output()).contains("404");
        }
        try (var socket = new java.net.ServerSocket(0)) {
            String closed = Integer.toString(socket.getLocalPort());
            socket.close();
            Tools.Result down = Tools.run(Tools.ROOT, Duration.ofSeconds(20), null, Map.of("BBAGENT_PORT", closed),
                    List.of(bash.toString(), probe));
            assertThat(down.exit()).isEqualTo(1);
            assertThat(down.output()).contains("not listening");
        }
    }

    @Test
    void dockerBuildsTheImage() {
        Path docker = Tools.require("docker", "install Docker to build the image");
        Tools.Result info = Tools.run(Duration.ofSeconds(30), docker.toString(), "info");
        if (info.exit() != 0) {
            Tools.skip("docker info fails (no Docker daemon here), so the image is not built");
        }
        List<String> command = List.of(docker.toString(), "build", "-f", "deploy/docker/Dockerfile", "-t", "bbagent:test", ".");

        Tools.Result r = Tools.run(Tools.ROOT, Duration.ofMinutes(20), null, command);

        assertThat(r.exit()).as(r.describe(command)).isZero();
    }
}
