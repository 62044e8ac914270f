package dev.cinnabar.cli;

import dev.cinnabar.protocol.client.RespValue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Command help, hints and completion candidates, read from the connected server's {@code COMMAND DOCS}; the
 * argument synopsis ({@code key value [NX|XX] ...}) is rebuilt from the argument trees the server reports.
 */
final class CommandDocs {
    /** One command or subcommand ("CLIENT LIST"). */
    record Doc(String name, String params, String summary, String since, String group) {
    }

    private final Map<String, Doc> docs = new TreeMap<>();

    /** Empty docs: the server did not answer COMMAND DOCS (older server, or not connected). */
    CommandDocs() {
    }

    /** The connected server's docs; empty when not connected (loading never connects: it runs per keystroke). */
    static CommandDocs load(final Client client) {
        final CommandDocs d = new CommandDocs();
        if (!client.connected()) {
            return d;
        }
        try {
            final RespValue reply = client.connection().call("COMMAND", "DOCS");
            if (reply.isAggregate()) {
                d.addAll(reply);
            }
        } catch (IOException e) {
            client.close();
        }
        return d;
    }

    private void addAll(final RespValue list) {
        for (int i = 0; i + 1 < list.size(); i += 2) {
            final String name = list.get(i).string().toUpperCase(Locale.ROOT).replace('|', ' ');
            final Map<String, RespValue> fields = fields(list.get(i + 1));
            final RespValue args = fields.get("arguments");
            docs.put(name, new Doc(name, args == null ? "" : synopsis(args.elements()), text(fields.get("summary")),
                text(fields.get("since")), text(fields.get("group"))));
            final RespValue subs = fields.get("subcommands");
            if (subs != null) {
                addAll(subs);
            }
        }
    }

    private static Map<String, RespValue> fields(final RespValue mapOrArray) {
        final Map<String, RespValue> m = new TreeMap<>();
        for (int i = 0; i + 1 < mapOrArray.size(); i += 2) {
            m.put(mapOrArray.get(i).string(), mapOrArray.get(i + 1));
        }
        return m;
    }

    private static String text(final RespValue v) {
        return v == null || v.isAggregate() || v.isNull() ? "" : v.string();
    }

    private static String synopsis(final List<RespValue> args) {
        final List<String> parts = new ArrayList<>();
        for (final RespValue a : args) {
            parts.add(argument(fields(a)));
        }
        return String.join(" ", parts);
    }

    private static String argument(final Map<String, RespValue> a) {
        final String type = text(a.get("type"));
        final String token = text(a.get("token"));
        final List<String> flags = new ArrayList<>();
        final RespValue f = a.get("flags");
        if (f != null) {
            for (final RespValue x : f.elements()) {
                flags.add(x.string());
            }
        }
        String value;
        switch (type) {
            case "pure-token":
                value = token;
                break;
            case "oneof":
            case "block": {
                final List<String> kids = new ArrayList<>();
                for (final RespValue k : a.get("arguments").elements()) {
                    kids.add(argument(fields(k)));
                }
                value = String.join(type.equals("oneof") ? "|" : " ", kids);
                break;
            }
            default:
                value = a.containsKey("display_text") ? text(a.get("display_text")) : text(a.get("name"));
                break;
        }
        if (!type.equals("pure-token") && !token.isEmpty()) {
            if (flags.contains("multiple_token")) {
                value = token + " " + value + " [" + token + " " + value + " ...]";
            } else {
                value = token + " " + (flags.contains("multiple") ? value + " [" + value + " ...]" : value);
            }
        } else if (flags.contains("multiple")) {
            value = value + " [" + value + " ...]";
        }
        return flags.contains("optional") ? "[" + value + "]" : value;
    }

    Map<String, Doc> all() {
        return docs;
    }

    /** The doc of the longest command name the typed words start with ("client list ..." finds CLIENT LIST). */
    Doc find(final List<String> words) {
        if (words.size() >= 2) {
            final Doc sub = docs.get((words.get(0) + " " + words.get(1)).toUpperCase(Locale.ROOT));
            if (sub != null) {
                return sub;
            }
        }
        return words.isEmpty() ? null : docs.get(words.get(0).toUpperCase(Locale.ROOT));
    }

    /** redis-cli's {@code help} output for a command, a {@code @group}, or nothing when unknown. */
    String help(final List<String> words) {
        final StringBuilder out = new StringBuilder();
        if (words.size() == 1 && words.get(0).startsWith("@")) {
            final String group = words.get(0).substring(1).toLowerCase(Locale.ROOT);
            for (final Doc d : docs.values()) {
                if (d.group.equals(group)) {
                    out.append("\r\n");
                    entry(d, out, false);
                }
            }
            return out.append("\r\n").toString();
        }
        final Doc d = find(words);
        out.append("\r\n");
        if (d != null) {
            entry(d, out, true);
            out.append("\r\n");
        }
        return out.toString();
    }

    private static void entry(final Doc d, final StringBuilder out, final boolean withGroup) {
        out.append("  \033[1m").append(d.name).append("\033[0m \033[90m").append(d.params).append("\033[0m\r\n");
        out.append("  \033[33msummary:\033[0m ").append(d.summary).append("\r\n");
        out.append("  \033[33msince:\033[0m ").append(d.since).append("\r\n");
        if (withGroup) {
            out.append("  \033[33mgroup:\033[0m ").append(d.group).append("\r\n");
        }
    }

    static String generalHelp() {
        return Main.VERSION_LINE + "\n"
            + "To get help about Redis commands type:\n"
            + "      \"help @<group>\" to get a list of commands in <group>\n"
            + "      \"help <command>\" for help on <command>\n"
            + "      \"help <tab>\" to get a list of possible help topics\n"
            + "      \"quit\" to exit\n"
            + "\n"
            + "To set cinnabar-cli preferences:\n"
            + "      \":set hints\" enable online hints\n"
            + "      \":set nohints\" disable online hints\n"
            + "Set your preferences in ~/.cinnabarclirc\n";
    }
}
