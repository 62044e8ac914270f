package dev.cinnabar.server.info;

/** One INFO section: its fields written as "name:value" lines. */
@FunctionalInterface
public interface InfoSection {
    void write(InfoWriter w);
}
