#!/usr/bin/env bash
# Prints the directory holding the Apache Kafka broker's jars (KRaft mode, no ZooKeeper), fetching
# them from Maven Central with Maven on first use into ~/.cache/todo-platform/kafka-<version>/libs.
# Progress goes to stderr; only the path goes to stdout.
set -euo pipefail

KAFKA_VERSION="${KAFKA_VERSION:-3.9.1}"
CACHE_ROOT="${TODO_CACHE_DIR:-$HOME/.cache/todo-platform}"
HOME_DIR="$CACHE_ROOT/kafka-$KAFKA_VERSION"
LIBS="$HOME_DIR/libs"
say() { printf '[kafka] %s\n' "$*" >&2; }

if [ -f "$LIBS/.complete" ]; then
  echo "$LIBS"
  exit 0
fi
command -v java >/dev/null || { say "Java is required to run Kafka (none found on PATH)"; exit 1; }
command -v mvn >/dev/null || { say "Maven is required to fetch Kafka's jars (none found on PATH)"; exit 1; }

say "fetching Kafka $KAFKA_VERSION jars from Maven Central (first run only)"
mkdir -p "$HOME_DIR"
# The broker's logging backend is not a transitive dependency of kafka_2.13, so name it here.
cat > "$HOME_DIR/pom.xml" <<POM
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>local.todo</groupId>
  <artifactId>kafka-runtime</artifactId>
  <version>1</version>
  <packaging>pom</packaging>
  <dependencies>
    <dependency><groupId>org.apache.kafka</groupId><artifactId>kafka_2.13</artifactId><version>$KAFKA_VERSION</version></dependency>
    <dependency><groupId>org.apache.kafka</groupId><artifactId>kafka-storage</artifactId><version>$KAFKA_VERSION</version></dependency>
    <dependency><groupId>org.slf4j</groupId><artifactId>slf4j-reload4j</artifactId><version>1.7.36</version></dependency>
  </dependencies>
</project>
POM
rm -rf "$LIBS"
mvn -B -q -f "$HOME_DIR/pom.xml" \
  -Dmaven.repo.local="${MAVEN_REPO_LOCAL:-$HOME/.cache/m2}" \
  dependency:copy-dependencies -DoutputDirectory="$LIBS" -DincludeScope=runtime >&2
touch "$LIBS/.complete"
say "Kafka jars ready in $LIBS ($(ls "$LIBS" | wc -l) files)"
echo "$LIBS"
