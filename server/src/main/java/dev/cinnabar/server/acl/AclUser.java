package dev.cinnabar.server.acl;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

import dev.cinnabar.protocol.util.RawText;

/**
 * An ACL user: enabled or not, its passwords (only their SHA-256 is kept), nopass, and its
 * selectors, the first being the root one that ACL LIST writes unparenthesized.
 *
 * <p>Rules are applied to a copy by {@link Acl#setUser}, so a failing ACL SETUSER changes
 * nothing; {@link #replaceWith} then moves the result into the live object, which the clients
 * authenticated as this user keep pointing to.
 *
 * <p>Redis: acl.c ACLSetUser(), ACLDescribeUser(), ACLCheckUserCredentials().
 */
public final class AclUser {
    private static final HexFormat HEX = HexFormat.of();

    private final String name;
    private final AclCommandIndex index;
    private boolean enabled;
    private boolean nopass;
    /** 0: not set, 1: sanitize-payload, 2: skip-sanitize-payload (Redis shows only what was set). */
    private int sanitize;
    private final List<byte[]> passwords = new ArrayList<>();
    private final List<AclSelector> selectors = new ArrayList<>();
    /** Cached: the root selector allows everything (the default user's usual state). */
    private boolean unrestricted;

    AclUser(final String name, final AclCommandIndex index, final boolean allChannelsByDefault) {
        this.name = name;
        this.index = index;
        selectors.add(new AclSelector(index, allChannelsByDefault));
    }

    public String name() {
        return name;
    }

    public boolean enabled() {
        return enabled;
    }

    public boolean nopass() {
        return nopass;
    }

    /** Allowed every command, key and channel: the dispatcher skips the check. */
    public boolean unrestricted() {
        return unrestricted;
    }

    AclSelector root() {
        return selectors.get(0);
    }

    List<AclSelector> selectors() {
        return selectors;
    }

    AclUser copy() {
        final AclUser u = new AclUser(name, index, false);
        u.replaceWith(this);
        return u;
    }

    void replaceWith(final AclUser other) {
        enabled = other.enabled;
        nopass = other.nopass;
        sanitize = other.sanitize;
        passwords.clear();
        passwords.addAll(other.passwords);
        selectors.clear();
        for (final AclSelector s : other.selectors) {
            selectors.add(s.copy());
        }
        unrestricted = root().unrestricted();
    }

    /**
     * Applies one rule (a "(...)" selector included). Throws with Redis's reason; the user may then
     * be half-changed, which is why callers work on a copy.
     */
    void apply(final String op, final boolean allChannelsByDefault) throws AclException {
        applyRule(op, allChannelsByDefault);
        unrestricted = root().unrestricted();
    }

    private void applyRule(final String op, final boolean allChannelsByDefault) throws AclException {
        final String lower = op.toLowerCase(Locale.ROOT);
        switch (lower) {
            case "on" -> enabled = true;
            case "off" -> enabled = false;
            case "skip-sanitize-payload" -> sanitize = 2;
            case "sanitize-payload" -> sanitize = 1;
            case "nopass" -> {
                nopass = true;
                passwords.clear();
            }
            case "resetpass" -> {
                nopass = false;
                passwords.clear();
            }
            case "clearselectors" -> selectors.subList(1, selectors.size()).clear();
            case "reset" -> {
                applyRule("resetpass", allChannelsByDefault);
                applyRule("resetkeys", allChannelsByDefault);
                applyRule("resetchannels", allChannelsByDefault);
                if (allChannelsByDefault) {
                    applyRule("allchannels", allChannelsByDefault);
                }
                applyRule("off", allChannelsByDefault);
                applyRule("sanitize-payload", allChannelsByDefault);
                applyRule("clearselectors", allChannelsByDefault);
                applyRule("-@all", allChannelsByDefault);
            }
            default -> applyPasswordOrSelector(op, allChannelsByDefault);
        }
    }

    private void applyPasswordOrSelector(final String op, final boolean allChannelsByDefault) throws AclException {
        final char first = op.isEmpty() ? ' ' : op.charAt(0);
        if (first == '>' || first == '<') {
            final byte[] hash = sha256(RawText.encode(op.substring(1)));
            if (first == '>') {
                addPassword(hash);
            } else {
                removePassword(hash);
            }
        } else if (first == '#' || first == '!') {
            final byte[] hash = parseHash(op.substring(1));
            if (first == '#') {
                addPassword(hash);
            } else {
                removePassword(hash);
            }
        } else if (first == '(' && op.endsWith(")")) {
            final AclSelector s = new AclSelector(index, allChannelsByDefault);
            for (final String rule : op.substring(1, op.length() - 1).split(" ")) {
                if (!rule.isEmpty()) {
                    s.apply(rule);
                }
            }
            selectors.add(s);
        } else {
            root().apply(op);
        }
    }

    private void addPassword(final byte[] hash) {
        nopass = false;
        for (final byte[] p : passwords) {
            if (MessageDigest.isEqual(p, hash)) {
                return;
            }
        }
        passwords.add(hash);
    }

    private void removePassword(final byte[] hash) throws AclException {
        for (int i = 0; i < passwords.size(); i++) {
            if (MessageDigest.isEqual(passwords.get(i), hash)) {
                passwords.remove(i);
                return;
            }
        }
        throw new AclException(AclException.NO_SUCH_PASSWORD);
    }

    private static byte[] parseHash(final String hex) throws AclException {
        if (hex.length() != 64) {
            throw new AclException(AclException.BAD_HASH);
        }
        for (int i = 0; i < hex.length(); i++) {
            final char ch = hex.charAt(i);
            if (!((ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'f'))) {
                throw new AclException(AclException.BAD_HASH);
            }
        }
        return HEX.parseHex(hex);
    }

    static byte[] sha256(final byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Redis's ACLCheckUserCredentials once the user is found: enabled, and nopass or one of the
     * stored hashes equal to the password's, compared in constant time.
     */
    boolean passwordMatches(final byte[] password) {
        if (!enabled) {
            return false;
        }
        if (nopass) {
            return true;
        }
        final byte[] hash = sha256(password);
        boolean match = false;
        for (final byte[] p : passwords) {
            match |= MessageDigest.isEqual(p, hash);
        }
        return match;
    }

    /** GETUSER's flags: on/off, nopass, the sanitize flag when set. */
    List<String> flags() {
        final List<String> f = new ArrayList<>();
        f.add(enabled ? "on" : "off");
        if (nopass) {
            f.add("nopass");
        }
        if (sanitize == 2) {
            f.add("skip-sanitize-payload");
        } else if (sanitize == 1) {
            f.add("sanitize-payload");
        }
        return f;
    }

    List<String> passwordHashes() {
        final List<String> out = new ArrayList<>();
        for (final byte[] p : passwords) {
            out.add(HEX.formatHex(p));
        }
        return out;
    }

    /** The rules as ACL LIST and ACL SAVE write them, after "user name ". */
    String describe() {
        final StringBuilder sb = new StringBuilder();
        for (final String f : flags()) {
            sb.append(f).append(' ');
        }
        for (final String h : passwordHashes()) {
            sb.append('#').append(h).append(' ');
        }
        sb.append(root().describe());
        for (int i = 1; i < selectors.size(); i++) {
            sb.append(" (").append(selectors.get(i).describe()).append(')');
        }
        return sb.toString();
    }
}
