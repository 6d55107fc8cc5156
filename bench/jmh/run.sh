#!/usr/bin/env bash
# Runs the JMH benchmarks in bench/jmh (compiled with the tests). Usage: bench/jmh/run.sh [JMH args]
# e.g. bench/jmh/run.sh RuleMatchBenchmark   or   bench/jmh/run.sh -h
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
. "$root/bin/lib/jdk.sh"
bbagent_find_jdk
cd "$root"
mvn -B -q -Dstyle.color=never -DskipTests test-compile dependency:build-classpath -Dmdep.outputFile=target/bench.classpath \
  -Dmdep.includeScope=test >&2
exec "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow \
  -cp "target/test-classes:target/classes:$(cat target/bench.classpath)" org.openjdk.jmh.Main "$@"
