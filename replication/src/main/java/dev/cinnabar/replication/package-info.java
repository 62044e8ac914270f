/** Placeholder until its issue lands. */
package dev.cinnabar.replication;
