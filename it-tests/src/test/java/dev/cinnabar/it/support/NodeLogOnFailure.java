package dev.cinnabar.it.support;

import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestWatcher;

/**
 * When a test fails, prints the log tail of every node started for its class (class-level nodes)
 * or by the test itself, so a CI failure carries the servers' side of the story.
 */
public final class NodeLogOnFailure implements BeforeAllCallback, BeforeEachCallback, TestWatcher {
    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(NodeLogOnFailure.class);
    private static final int TAIL_LINES = 200;

    @Override
    public void beforeAll(final ExtensionContext context) {
        context.getStore(NS).put("classMark", NodeProcess.started().size());
    }

    @Override
    public void beforeEach(final ExtensionContext context) {
        context.getStore(NS).put("testMark", NodeProcess.started().size());
    }

    @Override
    public void testFailed(final ExtensionContext context, final Throwable cause) {
        final Integer classMark = context.getParent().map(p -> p.getStore(NS).get("classMark", Integer.class))
            .orElse(null);
        final Integer testMark = context.getStore(NS).get("testMark", Integer.class);
        final int from = Optional.ofNullable(classMark).orElse(Optional.ofNullable(testMark).orElse(0));
        final List<NodeProcess> nodes = NodeProcess.started();
        final StringBuilder sb = new StringBuilder();
        for (int i = from; i < nodes.size(); i++) {
            final NodeProcess n = nodes.get(i);
            sb.append("\n===== ").append(n).append(", last ").append(TAIL_LINES).append(" log lines =====\n")
                .append(n.logTail(TAIL_LINES)).append('\n');
        }
        if (sb.length() > 0) {
            System.err.println("Test " + context.getDisplayName() + " failed; node logs:" + sb);
        }
    }
}
