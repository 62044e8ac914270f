package dev.cinnabar.server.tracking;

import java.util.TreeSet;

import dev.cinnabar.server.pubsub.ByteKey;

/** One client's CLIENT TRACKING settings (Redis's CLIENT_TRACKING_* flags and redirection). */
public final class TrackingState {
    boolean enabled;
    boolean bcast;
    boolean optin;
    boolean optout;
    boolean noloop;
    /** CLIENT CACHING yes (OPTIN) or no (OPTOUT) for the next command. */
    boolean caching;
    boolean brokenRedirect;
    /** Client id invalidations go to, 0 for this client itself. */
    long redirect;
    /** BCAST prefixes, in Redis's (sorted) order. */
    final TreeSet<ByteKey> prefixes = new TreeSet<>();

    public boolean enabled() {
        return enabled;
    }

    public boolean bcast() {
        return bcast;
    }

    public boolean brokenRedirect() {
        return brokenRedirect;
    }

    public boolean optin() {
        return optin;
    }

    public boolean optout() {
        return optout;
    }

    public boolean noloop() {
        return noloop;
    }

    public boolean caching() {
        return caching;
    }

    public void caching(final boolean c) {
        this.caching = c;
    }

    public long redirect() {
        return redirect;
    }

    public java.util.SortedSet<ByteKey> prefixes() {
        return java.util.Collections.unmodifiableSortedSet(prefixes);
    }

    /** Redis clears the caching flag after every command but CLIENT ones, outside MULTI. */
    public void commandDone() {
        caching = false;
    }
}
