/**
 * Redis Sentinel 7.0 as a library: monitoring, quorum, leader election, failover and config rewrite, hosted on the
 * server's keyspace loop. {@link dev.cinnabar.sentinel.Sentinel} is the entry point.
 */
package dev.cinnabar.sentinel;
