# Sourced (not run) by the integration-test set-up: makes sure a Kafka broker answers on
# 127.0.0.1:19092 and exports SENTINEL_TEST_KAFKA_BOOTSTRAP for the *IT tests of sentinel-kafka.
#   . scripts/kafka.sh            # or: . scripts/kafka.sh && sentinel_start_kafka
# A second call while the broker answers does nothing but export the variable again.
# The broker is Apache Kafka 4.1.1 from Maven Central (org.apache.kafka:kafka_2.13), one KRaft node
# that is broker and controller at once (controller on 127.0.0.1:19094), loopback only, with a fresh
# log directory under /tmp. Its class path is resolved once by Maven into ~/.cache/sentinel-kafka.
# Stop it with: kill "$(cat "$SENTINEL_TEST_KAFKA_DIR/kafka.pid")"

SENTINEL_KAFKA_VERSION=4.1.1
SENTINEL_KAFKA_PORT=19092
SENTINEL_KAFKA_CONTROLLER_PORT=19094

sentinel_kafka_answers() {
  (exec 3<>"/dev/tcp/127.0.0.1/$SENTINEL_KAFKA_PORT") 2>/dev/null
}

# Writes a tiny pom naming the broker and a log4j2 binding, and lets Maven resolve its class path.
sentinel_kafka_classpath() {
  local cache=${SENTINEL_KAFKA_CACHE:-$HOME/.cache/sentinel-kafka}
  mkdir -p "$cache"
  # A cached class path whose jars have gone (a cleaned Maven repository) is resolved again.
  local jar
  if [ -s "$cache/cp-$SENTINEL_KAFKA_VERSION.txt" ]; then
    for jar in $(tr ':' ' ' <"$cache/cp-$SENTINEL_KAFKA_VERSION.txt"); do
      [ -f "$jar" ] || { rm -f "$cache/cp-$SENTINEL_KAFKA_VERSION.txt"; break; }
    done
  fi
  if [ ! -s "$cache/cp-$SENTINEL_KAFKA_VERSION.txt" ]; then
    cat >"$cache/pom.xml" <<EOF
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>dev.sentinel.local</groupId>
  <artifactId>kafka-broker-classpath</artifactId>
  <version>1</version>
  <packaging>pom</packaging>
  <dependencies>
    <dependency>
      <groupId>org.apache.kafka</groupId>
      <artifactId>kafka_2.13</artifactId>
      <version>$SENTINEL_KAFKA_VERSION</version>
    </dependency>
    <dependency>
      <groupId>org.apache.logging.log4j</groupId>
      <artifactId>log4j-slf4j-impl</artifactId>
      <version>2.24.3</version>
    </dependency>
  </dependencies>
</project>
EOF
    echo "services: resolving the Kafka $SENTINEL_KAFKA_VERSION broker class path (Maven Central)" >&2
    (cd "$cache" && mvn -B -q dependency:build-classpath \
      -Dmdep.outputFile="cp-$SENTINEL_KAFKA_VERSION.txt.tmp" >"$cache/resolve.log" 2>&1) || {
      tail -20 "$cache/resolve.log" >&2
      return 1
    }
    mv "$cache/cp-$SENTINEL_KAFKA_VERSION.txt.tmp" "$cache/cp-$SENTINEL_KAFKA_VERSION.txt"
  fi
  cat >"$cache/log4j2.properties" <<'EOF'
status = warn
appender.file.type = File
appender.file.name = file
appender.file.fileName = ${sys:kafka.logs.dir}/server.log
appender.file.layout.type = PatternLayout
appender.file.layout.pattern = %d [%t] %-5p %c - %m%n
rootLogger.level = info
rootLogger.appenderRef.file.ref = file
logger.kafka.name = kafka
logger.kafka.level = info
logger.state.name = state.change.logger
logger.state.level = warn
EOF
  SENTINEL_KAFKA_CLASSPATH=$(cat "$cache/cp-$SENTINEL_KAFKA_VERSION.txt")
  SENTINEL_KAFKA_LOG4J="$cache/log4j2.properties"
  # Tests that stop and restart a broker of their own (KafkaResilienceIT) start it from these.
  export SENTINEL_TEST_KAFKA_CLASSPATH_FILE="$cache/cp-$SENTINEL_KAFKA_VERSION.txt"
  export SENTINEL_TEST_KAFKA_LOG4J="$SENTINEL_KAFKA_LOG4J"
}

sentinel_start_kafka() {
  if sentinel_kafka_answers; then
    sentinel_kafka_classpath >/dev/null 2>&1 || true
    export SENTINEL_TEST_KAFKA_BOOTSTRAP="127.0.0.1:$SENTINEL_KAFKA_PORT"
    echo "services: Kafka already answers at $SENTINEL_TEST_KAFKA_BOOTSTRAP"
    return 0
  fi
  local java=${JAVA_HOME:+$JAVA_HOME/bin/}java
  sentinel_kafka_classpath || {
    echo "services: could not resolve the Kafka broker from Maven Central; Kafka tests will be skipped" >&2
    return 1
  }
  SENTINEL_TEST_KAFKA_DIR=$(mktemp -d /tmp/sentinel-kafka.XXXXXX)
  export SENTINEL_TEST_KAFKA_DIR
  local d=$SENTINEL_TEST_KAFKA_DIR
  cat >"$d/server.properties" <<EOF
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$SENTINEL_KAFKA_CONTROLLER_PORT
listeners=PLAINTEXT://127.0.0.1:$SENTINEL_KAFKA_PORT,CONTROLLER://127.0.0.1:$SENTINEL_KAFKA_CONTROLLER_PORT
advertised.listeners=PLAINTEXT://127.0.0.1:$SENTINEL_KAFKA_PORT
controller.listener.names=CONTROLLER
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
inter.broker.listener.name=PLAINTEXT
log.dirs=$d/logs
num.partitions=1
offsets.topic.replication.factor=1
offsets.topic.num.partitions=4
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
group.initial.rebalance.delay.ms=0
auto.create.topics.enable=false
EOF
  # A cluster id is 16 random bytes in URL-safe base64 without padding: 22 characters. One id in
  # 64 would start with '-', which the storage tool's argument parser takes for an option; the
  # first character is therefore always a letter (the id is still 22 valid base64 characters).
  local cluster
  cluster=$(head -c 16 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=')
  cluster="K${cluster:1}"
  "$java" -Dlog4j2.configurationFile="$SENTINEL_KAFKA_LOG4J" -Dkafka.logs.dir="$d" \
    -cp "$SENTINEL_KAFKA_CLASSPATH" kafka.tools.StorageTool format --cluster-id="$cluster" \
    -c "$d/server.properties" >"$d/format.out" 2>&1 || {
    echo "services: formatting the Kafka log directory failed; its output:" >&2
    tail -20 "$d/format.out" >&2
    return 1
  }
  # setsid: the broker outlives the shell that sourced this script.
  setsid "$java" -Xms256m -Xmx1g -Dlog4j2.configurationFile="$SENTINEL_KAFKA_LOG4J" \
    -Dkafka.logs.dir="$d" -cp "$SENTINEL_KAFKA_CLASSPATH" kafka.Kafka "$d/server.properties" \
    >"$d/stdout.log" 2>&1 </dev/null &
  echo $! >"$d/kafka.pid"
  for _ in $(seq 1 300); do
    if sentinel_kafka_answers && grep -q "Kafka Server started" "$d/server.log" 2>/dev/null; then
      break
    fi
    kill -0 "$(cat "$d/kafka.pid")" 2>/dev/null || break
    sleep 0.1
  done
  if sentinel_kafka_answers; then
    export SENTINEL_TEST_KAFKA_BOOTSTRAP="127.0.0.1:$SENTINEL_KAFKA_PORT"
    echo "services: Kafka $SENTINEL_KAFKA_VERSION started at $SENTINEL_TEST_KAFKA_BOOTSTRAP (logs in $d)"
  else
    echo "services: Kafka did not answer within 30 s (see $d/server.log and $d/stdout.log)" >&2
    return 1
  fi
}

# Never fails the sourcing shell (test.sh runs with set -e): without a broker the Kafka tests are
# skipped, and the message above says why.
sentinel_start_kafka || true
