package dev.cinnabar.it.diff;

import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every data type against a real redis-server: lists, hashes, sets, sorted sets, bitmaps,
 * HyperLogLog and geo, mixed with strings and the generic key commands (COPY, RENAME, MOVE,
 * OBJECT ENCODING...) over all of their keys, in RESP2 and RESP3. Half of the runs shrink the
 * encoding thresholds so listpack/intset conversions happen often; the others keep Redis's defaults.
 * Ends with every key's type, encoding, contents and TTL compared. Knobs: see {@link DifferentialRunner}.
 */
class DifferentialDataTypesIT extends DifferentialServers {
    @ParameterizedTest(name = "RESP{0}")
    @ValueSource(ints = {2, 3})
    void sameRepliesAsRedis(final int protocol) {
        DifferentialRunner.run("DifferentialDataTypesIT", ours, redis, protocol, 4000,
            List.of(CollectionOps.lists(), CollectionOps.hashes(), CollectionOps.sets(), ZSetOps.zsets(),
                BitHllGeoOps.bitmaps(), BitHllGeoOps.hyperloglogs(), BitHllGeoOps.geo(), StringKeyOps.strings(),
                StringKeyOps.keys()),
            List.of(GenContext.KEYS, GenContext.LISTS, GenContext.HASHES, GenContext.SETS, GenContext.ZSETS,
                GenContext.ZLEX, GenContext.BITMAPS, GenContext.HLLS, GenContext.GEOS), true);
    }
}
