#!/usr/bin/env bash
# Runs a single-node KRaft Kafka broker in the foreground (supervisord keeps it alive).
set -euo pipefail
. "$(dirname "$0")/env.sh"
dir="$MERIDIAN_RUN_DIR/kafka"
mkdir -p "$dir/data"
cp="$MERIDIAN_CACHE/kafka-$KAFKA_VERSION/libs/*"
cat > "$dir/server.properties" <<PROPS
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$MERIDIAN_KAFKA_CONTROLLER_PORT
listeners=PLAINTEXT://127.0.0.1:$MERIDIAN_KAFKA_PORT,CONTROLLER://127.0.0.1:$MERIDIAN_KAFKA_CONTROLLER_PORT
advertised.listeners=PLAINTEXT://127.0.0.1:$MERIDIAN_KAFKA_PORT
controller.listener.names=CONTROLLER
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
log.dirs=$dir/data
num.partitions=6
offsets.topic.replication.factor=1
offsets.topic.num.partitions=10
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
group.initial.rebalance.delay.ms=0
auto.create.topics.enable=false
PROPS
if [ ! -f "$dir/data/meta.properties" ]; then
  java -cp "$cp" kafka.tools.StorageTool format -t "$(java -cp "$cp" kafka.tools.StorageTool random-uuid)" \
    -c "$dir/server.properties" >/dev/null
fi
exec java -Xms256m -Xmx768m -XX:+UseG1GC \
  -Dlog4j.configuration="file:$MERIDIAN_ROOT/deploy/local/kafka-log4j.properties" \
  -cp "$cp" kafka.Kafka "$dir/server.properties"
