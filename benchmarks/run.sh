#!/usr/bin/env bash
# Runs the benchmark suite and writes the record.
#
#   benchmarks/run.sh [quick|full] [BenchmarkSuite options...]
#
# quick (default): seconds per benchmark, for development. full: the figures for the record.
# Builds benchmarks/target/benchmarks.jar (tests skipped: run them with the normal build), then
# runs io.cbtengine.benchmarks.BenchmarkSuite, which writes
#   benchmarks/target/results/jmh.json                 JMH's JSON
#   benchmarks/target/results/probe-and-footprint.json the cut-pause and memory figures
#   docs/benchmarks.md                                 the report
# The suite JVM and every JMH fork get the Chronicle flags the root pom defines (cbt.jvm.opens,
# cbt.jvm.props), read back from the jar. Options: --include REGEX, --impl a,b, --traces DIR,
# --out DIR, --report FILE.
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
mode="${1:-quick}"
case "$mode" in
  quick|full) shift || true ;;
  *) mode=quick ;;
esac

mvn -q -B -pl benchmarks -am package -DskipTests
jar=benchmarks/target/benchmarks.jar
read -r -a flags <<< "$(java -cp "$jar" io.cbtengine.benchmarks.JvmFlags)"

# The traces live beside the checkout: ../shared/traces from the main checkout or a worktree.
traces="${CBT_TRACES:-}"
for candidate in "$root/../shared/traces" "$root/../../shared/traces"; do
  if [[ -z "$traces" && -d "$candidate" ]]; then traces="$candidate"; fi
done

# The suite JVM runs the pause probe in-process: start it with a 4 GiB heap like the JMH forks
# (-Xms4g), or the probe measures the heap's growth (young collections in the cut windows) rather
# than the trackers. 6 GiB at most for the trace replays of the memory figures. -XX:+AlwaysPreTouch
# (here and in the forks): the heap is faulted in at start-up, so that first-touch page faults of
# never-used heap do not land in the measured writes of a lazily allocating tracker.
exec java "${flags[@]}" -Xms4g -Xmx6g -XX:+AlwaysPreTouch -cp "$jar" io.cbtengine.benchmarks.BenchmarkSuite "$mode" \
  --traces "${traces:-$root/../shared/traces}" \
  --revision "$(git rev-parse --short HEAD 2>/dev/null || echo unknown)$(git diff --quiet HEAD 2>/dev/null || echo ' (uncommitted changes)')" \
  --command "benchmarks/run.sh $mode${*:+ $*}" "$@"
