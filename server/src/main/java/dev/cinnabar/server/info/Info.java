package dev.cinnabar.server.info;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * INFO assembly: the registered sections in Redis's order and the argument rules of Redis 7.0's
 * genInfoSectionDict. Other modules (replication, persistence, sentinel) register or replace a
 * section by name; the order of first registration is the order of the output.
 *
 * <ol>
 * <li>No argument or "default": the default sections.</li>
 * <li>"all": every section; "everything": every section too (we have no module sections).</li>
 * <li>Several arguments: the union, case-insensitive, unknown names ignored; the output keeps
 * the registration order, not the argument order.</li>
 * </ol>
 */
public final class Info {
    private record Section(String name, String title, boolean inDefault, InfoSection writer) {
    }

    private final List<Section> sections = new ArrayList<>();

    /** Adds a section, or replaces the one of the same name in place. */
    public void register(final String title, final boolean inDefault, final InfoSection writer) {
        final Section s = new Section(title.toLowerCase(Locale.ROOT), title, inDefault, writer);
        for (int i = 0; i < sections.size(); i++) {
            if (sections.get(i).name.equals(s.name)) {
                sections.set(i, s);
                return;
            }
        }
        sections.add(s);
    }

    public String generate(final List<String> args) {
        final Set<String> wanted = new LinkedHashSet<>();
        boolean all = false;
        boolean defaults = args.isEmpty();
        for (final String a : args) {
            final String l = a.toLowerCase(Locale.ROOT);
            switch (l) {
                case "all", "everything" -> all = true;
                case "default" -> defaults = true;
                default -> wanted.add(l);
            }
        }
        final InfoWriter w = new InfoWriter();
        boolean first = true;
        for (final Section s : sections) {
            if (all || (defaults && s.inDefault) || wanted.contains(s.name)) {
                w.header(s.title, first);
                s.writer.write(w);
                first = false;
            }
        }
        return w.toString();
    }
}
