/**
 * Replication, wire-compatible with Redis 7.0: the backlog, replication ids and offsets (PSYNC2),
 * the master's view of its replicas, the replica's link to its master, and WAIT's acknowledgements.
 * It knows neither sockets nor the keyspace: the server wires both in through small interfaces.
 */
package dev.cinnabar.replication;
