package dev.cinnabar.server.net;

import java.net.InetSocketAddress;
import java.net.SocketAddress;

import dev.cinnabar.protocol.Errors;
import dev.cinnabar.server.Server;

/**
 * Whether a new connection may stay, Redis's acceptCommonHandler + clientAcceptHandler:
 * maxclients first, then protected mode (no password for the default user and the peer is not
 * on the loopback interface). The password is the default user's, which requirepass sets.
 */
final class AdmissionRules {
    private AdmissionRules() {
    }

    /** Null to admit the client, or the error it gets before the connection is closed. */
    static String refusal(final Server server, final SocketAddress peer) {
        if (server.clients().size() >= server.config().maxclients) {
            return Errors.MAX_CLIENTS;
        }
        if (server.config().protectedMode && server.acl().defaultUser().nopass() && !isLoopback(peer)) {
            return Errors.PROTECTED_MODE;
        }
        return null;
    }

    private static boolean isLoopback(final SocketAddress peer) {
        return !(peer instanceof InetSocketAddress inet) || inet.getAddress() == null
            || inet.getAddress().isLoopbackAddress();
    }
}
