package dev.cinnabar.storage.commands;

import java.util.List;

import dev.cinnabar.protocol.command.CommandFamily;

/** Every data-command family of the storage module, in the order the server registers them. */
public final class StorageFamilies {
    private StorageFamilies() {
    }

    public static List<CommandFamily> all() {
        return List.of(
            new StringCommands(),
            new KeyCommands(),
            new ZSetCommands(),
            new BitmapCommands(),
            new HyperLogLogCommands(),
            new GeoCommands(),
            new ListCommands(),
            new HashCommands(),
            new SetCommands(),
            new DumpCommands(),
            new SortCommands(),
            new MemoryCommands()
        );
    }
}
