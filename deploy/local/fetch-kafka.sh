#!/usr/bin/env bash
# Fetches the Apache Kafka broker jars from Maven Central into the cache (first run only).
set -euo pipefail
. "$(dirname "$0")/env.sh"
libs="$MERIDIAN_CACHE/kafka-$KAFKA_VERSION/libs"
if [ -f "$libs/.complete" ]; then
  exit 0
fi
echo "fetching Apache Kafka $KAFKA_VERSION jars from Maven Central (first run only)..."
rm -rf "$libs"
mvn -q -B -f "$MERIDIAN_ROOT/deploy/local/kafka-pom.xml" -Dkafka.version="$KAFKA_VERSION" \
  dependency:copy-dependencies -DincludeScope=runtime -DoutputDirectory="$libs"
touch "$libs/.complete"
