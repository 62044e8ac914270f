package dev.cinnabar.server.commands;

import dev.cinnabar.server.net.ClientSession;

/** The HELP subcommands: an array of status lines, as Redis's addReplyHelp sends them. */
public final class Help {
    private Help() {
    }

    public static void reply(final ClientSession c, final String[] lines) {
        c.reply().array(lines.length);
        for (final String l : lines) {
            c.reply().simple(l);
        }
    }
}
