/**
 * Counting on a cluster: the counting pass of {@code activation.CountRun} as an Apache Spark
 * job ({@code ./workbench spark-count}, or {@code spark-submit --class io.anw.cli.Main ...
 * spark-count}), one model per executor JVM, partitions of consecutive clips, per-partition
 * counts combined by Spark's tree aggregation; the same counts file and provenance as
 * {@code count}.
 */
package io.anw.cluster;
