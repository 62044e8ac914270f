package dev.cinnabar.it.diff;

import java.util.function.Function;

/**
 * A kind of request the generator can emit: a family (for -Ddiff.families filtering), a relative
 * weight, and a function building one random instance from the generator's context.
 */
public record Op(String family, String name, int weight, Function<GenContext, Cmd> build) {
}
