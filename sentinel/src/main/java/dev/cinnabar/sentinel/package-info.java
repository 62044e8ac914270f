/** Placeholder until its issue lands. */
package dev.cinnabar.sentinel;
