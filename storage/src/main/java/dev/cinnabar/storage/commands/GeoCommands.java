package dev.cinnabar.storage.commands;

import static dev.cinnabar.protocol.command.AclCategory.GEO;
import static dev.cinnabar.protocol.command.CommandFlag.DENYOOM;
import static dev.cinnabar.protocol.command.CommandFlag.READONLY;
import static dev.cinnabar.protocol.command.CommandFlag.WRITE;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

import dev.cinnabar.protocol.Errors;
import dev.cinnabar.protocol.command.CommandFamily;
import dev.cinnabar.protocol.command.CommandTable;
import dev.cinnabar.protocol.command.KeySpec;
import dev.cinnabar.protocol.resp.Args;
import dev.cinnabar.protocol.resp.RespWriter;
import dev.cinnabar.protocol.util.Bytes;
import dev.cinnabar.storage.keyspace.Database;
import dev.cinnabar.storage.keyspace.Notify;
import dev.cinnabar.storage.type.LongDoubles;
import dev.cinnabar.storage.type.geo.GeoHash;
import dev.cinnabar.storage.type.geo.PartialSort;
import dev.cinnabar.storage.type.zset.ScoreRange;
import dev.cinnabar.storage.type.zset.ZSet;

/**
 * The geo family: points stored as sorted-set members whose score is a 52-bit geohash.
 *
 * <p>GEOADD is a ZADD of computed scores and is propagated as that ZADD (lowercase "zadd", as
 * Redis 7.0 rewrites it). Searches scan the nine cells {@link GeoHash#searchCells} returns, in
 * Redis's order, filter by exact distance, then sort when asked (or when COUNT is given without
 * ANY). Redis: geo.c geoaddCommand(), georadiusGeneric(), membersOfAllNeighbors().
 */
public final class GeoCommands implements CommandFamily {
    private static final int RADIUS_COORDS = 1;
    private static final int RADIUS_MEMBER = 1 << 1;
    private static final int NOSTORE = 1 << 2;
    private static final int SEARCH = 1 << 3;
    private static final int SEARCHSTORE = 1 << 4;
    private static final int SORT_NONE = 0;
    private static final int SORT_ASC = 1;
    private static final int SORT_DESC = 2;
    private static final byte[] ZADD = Bytes.ascii("zadd");

    private final ZSetCommands zset = new ZSetCommands();

    @Override
    public void register(final CommandTable.Builder t) {
        final KeySpec ro = KeySpec.index(1, KeySpec.RO | KeySpec.ACCESS);
        final String searchCx = "O(N+log(M)) where N is the number of elements in the grid-aligned bounding box "
            + "area around the shape provided as the filter and M is the number of items inside the shape";
        final String radiusCx = "O(N+log(M)) where N is the number of elements inside the bounding box of the "
            + "circular area delimited by center and radius and M is the number of items inside the index.";
        t.command("GEOADD").arity(-5).flags(WRITE, DENYOOM).acl(GEO).group("geo")
            .keys(KeySpec.index(1, KeySpec.RW | KeySpec.UPDATE)).since("3.2.0")
            .summary("Add one or more geospatial items in the geospatial index represented using a sorted set")
            .complexity("O(log(N)) for each item added, where N is the number of elements in the sorted set.")
            .handler(this::geoadd);
        t.command("GEOPOS").arity(-2).flags(READONLY).acl(GEO).group("geo").keys(ro).since("3.2.0")
            .summary("Returns longitude and latitude of members of a geospatial index")
            .complexity("O(N) where N is the number of members requested.").handler(this::geopos);
        t.command("GEODIST").arity(-4).flags(READONLY).acl(GEO).group("geo").keys(ro).since("3.2.0")
            .summary("Returns the distance between two members of a geospatial index").complexity("O(log(N))")
            .handler(this::geodist);
        t.command("GEOHASH").arity(-2).flags(READONLY).acl(GEO).group("geo").keys(ro).since("3.2.0")
            .summary("Returns members of a geospatial index as standard geohash strings")
            .complexity("O(log(N)) for each member requested, where N is the number of elements in the sorted set.")
            .handler(this::geohash);
        t.command("GEOSEARCH").arity(-7).flags(READONLY).acl(GEO).group("geo").keys(ro).since("6.2.0")
            .summary("Query a sorted set representing a geospatial index to fetch members inside an area of a box "
                + "or a circle.")
            .complexity(searchCx).handler((StorageCall c, Args a) -> search(c, a, 1, SEARCH));
        t.command("GEOSEARCHSTORE").arity(-8).flags(WRITE, DENYOOM).acl(GEO).group("geo")
            .keys(KeySpec.index(1, KeySpec.OW | KeySpec.UPDATE), KeySpec.index(2, KeySpec.RO | KeySpec.ACCESS))
            .since("6.2.0")
            .summary("Query a sorted set representing a geospatial index to fetch members inside an area of a box "
                + "or a circle, and store the result in another key.")
            .complexity(searchCx).handler((StorageCall c, Args a) -> search(c, a, 2, SEARCH | SEARCHSTORE));
        final KeySpec store = KeySpec.keyword("STORE", 6, 0, 1, KeySpec.OW | KeySpec.UPDATE);
        final KeySpec storeDist = KeySpec.keyword("STOREDIST", 6, 0, 1, KeySpec.OW | KeySpec.UPDATE);
        t.command("GEORADIUS").arity(-6).flags(WRITE, DENYOOM).acl(GEO).group("geo")
            .keys(ro, store, storeDist).since("3.2.0")
            .summary("Query a sorted set representing a geospatial index to fetch members matching a given maximum "
                + "distance from a point")
            .complexity(radiusCx).handler((StorageCall c, Args a) -> search(c, a, 1, RADIUS_COORDS));
        t.command("GEORADIUS_RO").arity(-6).flags(READONLY).acl(GEO).group("geo").keys(ro).since("3.2.10")
            .summary("A read-only variant for GEORADIUS").complexity(radiusCx)
            .handler((StorageCall c, Args a) -> search(c, a, 1, RADIUS_COORDS | NOSTORE));
        t.command("GEORADIUSBYMEMBER").arity(-5).flags(WRITE, DENYOOM).acl(GEO).group("geo")
            .keys(ro, KeySpec.keyword("STORE", 5, 0, 1, KeySpec.OW | KeySpec.UPDATE),
                KeySpec.keyword("STOREDIST", 5, 0, 1, KeySpec.OW | KeySpec.UPDATE))
            .since("3.2.0")
            .summary("Query a sorted set representing a geospatial index to fetch members matching a given maximum "
                + "distance from a member")
            .complexity(radiusCx).handler((StorageCall c, Args a) -> search(c, a, 1, RADIUS_MEMBER));
        t.command("GEORADIUSBYMEMBER_RO").arity(-5).flags(READONLY).acl(GEO).group("geo").keys(ro)
            .since("3.2.10").summary("A read-only variant for GEORADIUSBYMEMBER").complexity(radiusCx)
            .handler((StorageCall c, Args a) -> search(c, a, 1, RADIUS_MEMBER | NOSTORE));
    }

    /** Parses lon, lat at i, i+1; null after replying the error. */
    private static double[] lonLat(final StorageCall c, final Args a, final int i) {
        final double lon = ScoreRange.parseScore(a.array(), a.offset(i), a.length(i));
        final double lat = ScoreRange.parseScore(a.array(), a.offset(i + 1), a.length(i + 1));
        if (Double.isNaN(lon) || Double.isNaN(lat)) {
            c.reply().error(Errors.NOT_FLOAT);
            return null;
        }
        if (!GeoHash.valid(lon, lat)) {
            c.reply().error(String.format(Locale.ROOT, "ERR invalid longitude,latitude pair %f,%f", lon, lat));
            return null;
        }
        return new double[] {lon, lat};
    }

    /** Meters per unit, or -1 after replying the error. */
    private static double unit(final StorageCall c, final Args a, final int i) {
        if (a.is(i, "M")) {
            return 1;
        }
        if (a.is(i, "KM")) {
            return 1000;
        }
        if (a.is(i, "FT")) {
            return 0.3048;
        }
        if (a.is(i, "MI")) {
            return 1609.34;
        }
        c.reply().error(Errors.GEO_UNIT);
        return -1;
    }

    /** A non-negative number argument; NaN after replying "need numeric ..." or the negative error. */
    private static double number(final StorageCall c, final Args a, final int i, final String what,
                                 final String negative) {
        final double d = ScoreRange.parseScore(a.array(), a.offset(i), a.length(i));
        if (Double.isNaN(d)) {
            c.reply().error("ERR need numeric " + what);
            return Double.NaN;
        }
        if (d < 0) {
            c.reply().error(negative);
            return Double.NaN;
        }
        return d;
    }

    /** %.17Lf of a double, trailing zeros removed (Redis's addReplyHumanLongDouble). */
    static String human(final double d) {
        return LongDoubles.human(new BigDecimal(d));
    }

    private static void replyHuman(final RespWriter w, final double d) {
        final byte[] text = Bytes.ascii(human(d));
        if (w.resp3()) {
            w.doubleText(text);
        } else {
            w.bulk(text);
        }
    }

    private static void replyDistance(final RespWriter w, final double d) {
        w.bulk(Bytes.ascii(new BigDecimal(d).setScale(4, RoundingMode.HALF_EVEN).toPlainString()));
    }

    private void geoadd(final StorageCall c, final Args a) {
        boolean xx = false;
        boolean nx = false;
        int longIdx = 2;
        while (longIdx < a.count()) {
            if (a.is(longIdx, "NX")) {
                nx = true;
            } else if (a.is(longIdx, "XX")) {
                xx = true;
            } else if (!a.is(longIdx, "CH")) {
                break;
            }
            longIdx++;
        }
        if ((a.count() - longIdx) % 3 != 0 || (xx && nx)) {
            c.reply().error(Errors.SYNTAX);
            return;
        }
        final int elements = (a.count() - longIdx) / 3;
        final byte[][] argv = new byte[longIdx + elements * 2][];
        argv[0] = ZADD;
        for (int i = 1; i < longIdx; i++) {
            argv[i] = a.copy(i);
        }
        for (int i = 0; i < elements; i++) {
            final double[] xy = lonLat(c, a, longIdx + i * 3);
            if (xy == null) {
                return;
            }
            argv[longIdx + i * 2] = Bytes.fromLong(GeoHash.score(xy[0], xy[1]));
            argv[longIdx + i * 2 + 1] = a.copy(longIdx + i * 3 + 2);
        }
        final long dirty = c.keyspace().dirty;
        zset.zadd(c, Args.of(argv));
        if (c.keyspace().dirty != dirty) {
            c.propagateAs(argv);
        }
    }

    private void geopos(final StorageCall c, final Args a) {
        final Object v = ZSetCommands.read(c, a, 1);
        if (v == Boolean.FALSE) {
            return;
        }
        final RespWriter w = c.reply();
        w.array(a.count() - 2);
        for (int i = 2; i < a.count(); i++) {
            final double s = v == null ? Double.NaN : ((ZSet) v).score(a.array(), a.offset(i), a.length(i));
            if (Double.isNaN(s)) {
                w.nullArray();
                continue;
            }
            final double[] xy = GeoHash.decode(s);
            w.array(2);
            replyHuman(w, xy[0]);
            replyHuman(w, xy[1]);
        }
    }

    private void geodist(final StorageCall c, final Args a) {
        double toMeter = 1;
        if (a.count() == 5) {
            toMeter = unit(c, a, 4);
            if (toMeter < 0) {
                return;
            }
        } else if (a.count() > 5) {
            c.reply().error(Errors.SYNTAX);
            return;
        }
        final Object v = ZSetCommands.read(c, a, 1);
        if (v == Boolean.FALSE) {
            return;
        }
        final ZSet zs = (ZSet) v;
        final double s1 = zs == null ? Double.NaN : zs.score(a.array(), a.offset(2), a.length(2));
        final double s2 = zs == null ? Double.NaN : zs.score(a.array(), a.offset(3), a.length(3));
        if (Double.isNaN(s1) || Double.isNaN(s2)) {
            c.reply().nullBulk();
            return;
        }
        final double[] p1 = GeoHash.decode(s1);
        final double[] p2 = GeoHash.decode(s2);
        replyDistance(c.reply(), GeoHash.distance(p1[0], p1[1], p2[0], p2[1]) / toMeter);
    }

    private void geohash(final StorageCall c, final Args a) {
        final Object v = ZSetCommands.read(c, a, 1);
        if (v == Boolean.FALSE) {
            return;
        }
        c.reply().array(a.count() - 2);
        for (int i = 2; i < a.count(); i++) {
            final double s = v == null ? Double.NaN : ((ZSet) v).score(a.array(), a.offset(i), a.length(i));
            if (Double.isNaN(s)) {
                c.reply().nullBulk();
            } else {
                c.reply().bulk(GeoHash.hashString(s));
            }
        }
    }

    /** A member found by a search. */
    private record Point(byte[] member, double score, double lon, double lat, double dist) {
    }

    /** The search arguments once parsed; see {@link #search}. */
    private static final class Query {
        double lon;
        double lat;
        boolean box;
        double radius;
        double width;
        double height;
        double conversion;
        byte[] storeKey;
        boolean storeDist;
        boolean withDist;
        boolean withHash;
        boolean withCoord;
        boolean any;
        long count;
        int sort = SORT_NONE;
    }

    /** Radius and unit at i, i+1 into q; false after replying an error. */
    private static boolean radius(final StorageCall c, final Args a, final int i, final Query q) {
        final double r = number(c, a, i, "radius", Errors.GEO_RADIUS_NEGATIVE);
        if (Double.isNaN(r)) {
            return false;
        }
        final double conv = unit(c, a, i + 1);
        if (conv < 0) {
            return false;
        }
        q.radius = r;
        q.conversion = conv;
        q.box = false;
        return true;
    }

    /**
     * GEOSEARCH, GEOSEARCHSTORE, GEORADIUS(_RO) and GEORADIUSBYMEMBER(_RO): argument parsing in
     * Redis's order (errors surface in the same precedence), then the cell scan.
     */
    private void search(final StorageCall c, final Args a, final int srcIdx, final int flags) {
        final Object v = ZSetCommands.read(c, a, srcIdx);
        if (v == Boolean.FALSE) {
            return;
        }
        final ZSet zs = (ZSet) v;
        final Query q = new Query();
        int base;
        if ((flags & RADIUS_COORDS) != 0) {
            base = 6;
            final double[] xy = lonLat(c, a, 2);
            if (xy == null || !radius(c, a, 4, q)) {
                return;
            }
            q.lon = xy[0];
            q.lat = xy[1];
        } else if ((flags & RADIUS_MEMBER) != 0) {
            base = 5;
            if (zs != null) {
                final double s = zs.score(a.array(), a.offset(2), a.length(2));
                if (Double.isNaN(s)) {
                    c.reply().error(Errors.GEO_MEMBER);
                    return;
                }
                final double[] xy = GeoHash.decode(s);
                q.lon = xy[0];
                q.lat = xy[1];
                if (!radius(c, a, 3, q)) {
                    return;
                }
            }
        } else {
            base = 2;
            if ((flags & SEARCHSTORE) != 0) {
                base = 3;
                q.storeKey = a.copy(1);
            }
        }
        boolean fromMember = false;
        boolean fromLoc = false;
        boolean byRadius = false;
        boolean byBox = false;
        final int remaining = a.count() - base;
        for (int i = 0; i < remaining; i++) {
            final int j = base + i;
            if (a.is(j, "WITHDIST")) {
                q.withDist = true;
            } else if (a.is(j, "WITHHASH")) {
                q.withHash = true;
            } else if (a.is(j, "WITHCOORD")) {
                q.withCoord = true;
            } else if (a.is(j, "ANY")) {
                q.any = true;
            } else if (a.is(j, "ASC")) {
                q.sort = SORT_ASC;
            } else if (a.is(j, "DESC")) {
                q.sort = SORT_DESC;
            } else if (a.is(j, "COUNT") && i + 1 < remaining) {
                if (!a.isLong(j + 1)) {
                    c.reply().error(Errors.NOT_INTEGER);
                    return;
                }
                q.count = a.longValue(j + 1);
                if (q.count <= 0) {
                    c.reply().error(Errors.GEO_COUNT);
                    return;
                }
                i++;
            } else if ((a.is(j, "STORE") || a.is(j, "STOREDIST")) && i + 1 < remaining
                && (flags & (NOSTORE | SEARCH)) == 0) {
                q.storeKey = a.copy(j + 1);
                q.storeDist = a.is(j, "STOREDIST");
                i++;
            } else if (a.is(j, "STOREDIST") && (flags & SEARCHSTORE) != 0) {
                q.storeDist = true;
            } else if (a.is(j, "FROMMEMBER") && i + 1 < remaining && (flags & SEARCH) != 0 && !fromLoc) {
                if (zs != null) {
                    final double s = zs.score(a.array(), a.offset(j + 1), a.length(j + 1));
                    if (Double.isNaN(s)) {
                        c.reply().error(Errors.GEO_MEMBER);
                        return;
                    }
                    final double[] xy = GeoHash.decode(s);
                    q.lon = xy[0];
                    q.lat = xy[1];
                }
                fromMember = true;
                i++;
            } else if (a.is(j, "FROMLONLAT") && i + 2 < remaining && (flags & SEARCH) != 0 && !fromMember) {
                final double[] xy = lonLat(c, a, j + 1);
                if (xy == null) {
                    return;
                }
                q.lon = xy[0];
                q.lat = xy[1];
                fromLoc = true;
                i += 2;
            } else if (a.is(j, "BYRADIUS") && i + 2 < remaining && (flags & SEARCH) != 0 && !byBox) {
                if (!radius(c, a, j + 1, q)) {
                    return;
                }
                byRadius = true;
                i += 2;
            } else if (a.is(j, "BYBOX") && i + 3 < remaining && (flags & SEARCH) != 0 && !byRadius) {
                final double w = ScoreRange.parseScore(a.array(), a.offset(j + 1), a.length(j + 1));
                if (Double.isNaN(w)) {
                    c.reply().error("ERR need numeric width");
                    return;
                }
                final double h = ScoreRange.parseScore(a.array(), a.offset(j + 2), a.length(j + 2));
                if (Double.isNaN(h)) {
                    c.reply().error("ERR need numeric height");
                    return;
                }
                if (h < 0 || w < 0) {
                    c.reply().error(Errors.GEO_BOX_NEGATIVE);
                    return;
                }
                final double conv = unit(c, a, j + 3);
                if (conv < 0) {
                    return;
                }
                q.width = w;
                q.height = h;
                q.conversion = conv;
                q.box = true;
                byBox = true;
                i += 3;
            } else {
                c.reply().error(Errors.SYNTAX);
                return;
            }
        }
        if (q.storeKey != null && (q.withDist || q.withHash || q.withCoord)) {
            c.reply().error((flags & SEARCHSTORE) != 0
                ? "ERR GEOSEARCHSTORE is not compatible with WITHDIST, WITHHASH and WITHCOORD options"
                : Errors.GEO_STORE_OPTS);
            return;
        }
        // Redis names the command as the client typed it
        final String name = a.string(0);
        if ((flags & SEARCH) != 0 && !(fromMember || fromLoc)) {
            c.reply().error("ERR exactly one of FROMMEMBER or FROMLONLAT can be specified for " + name);
            return;
        }
        if ((flags & SEARCH) != 0 && !(byRadius || byBox)) {
            c.reply().error("ERR exactly one of BYRADIUS and BYBOX can be specified for " + name);
            return;
        }
        if (q.any && q.count == 0) {
            c.reply().error(Errors.GEO_ANY);
            return;
        }
        if (zs == null) {
            if (q.storeKey != null) {
                final Database db = c.db();
                if (db.delete(q.storeKey)) {
                    db.keyspace().events().keyModified(db, q.storeKey);
                    c.keyspace().events().notify(Notify.GENERIC, "del", q.storeKey, db.id());
                    c.keyspace().dirty++;
                }
                c.reply().integer(0);
            } else {
                c.reply().array(0);
            }
            return;
        }
        if (q.count != 0 && q.sort == SORT_NONE && !q.any) {
            q.sort = SORT_ASC;
        }
        final List<Point> found = scan(zs, q);
        if (q.sort != SORT_NONE) {
            final Comparator<Point> byDist = q.sort == SORT_ASC ? Comparator.comparingDouble(Point::dist)
                : Comparator.comparingDouble(Point::dist).reversed();
            final long returned = q.count == 0 || found.size() < q.count ? found.size() : q.count;
            if (returned == found.size()) {
                // glibc's qsort is a merge sort at these sizes: stable, as List.sort is
                found.sort(byDist);
            } else {
                PartialSort.sort(found, byDist, 0, (int) returned - 1);
            }
        }
        reply(c, q, found, flags);
    }

    private static List<Point> scan(final ZSet zs, final Query q) {
        final GeoHash.Shape shape = new GeoHash.Shape(q.lon, q.lat, q.box, q.radius, q.width, q.height,
            q.conversion);
        final GeoHash.Bits[] cells = GeoHash.searchCells(shape);
        final long limit = q.any ? q.count : 0;
        final List<Point> found = new ArrayList<>();
        int last = 0;
        for (int i = 0; i < cells.length; i++) {
            final GeoHash.Bits cell = cells[i];
            if (cell.isZero()) {
                continue;
            }
            // with huge radii adjacent neighbours coincide: scan each distinct cell once
            if (last != 0 && cell.equals(cells[last])) {
                continue;
            }
            if (!found.isEmpty() && limit != 0 && found.size() >= limit) {
                break;
            }
            final ScoreRange range = new ScoreRange(cell.min(), cell.max(), false, true);
            final long from = zs.rankFrom(range);
            final long n = zs.rankTo(range) - from;
            zs.range(from, n, false, (m, s) -> {
                if (limit != 0 && found.size() >= limit) {
                    return;
                }
                final double[] xy = GeoHash.decode(s);
                final double d = GeoHash.distanceIfInside(shape, xy[0], xy[1]);
                if (d >= 0) {
                    found.add(new Point(m, s, xy[0], xy[1], d));
                }
            });
            last = i;
        }
        return found;
    }

    private static void reply(final StorageCall c, final Query q, final List<Point> found, final int flags) {
        final long returned = q.count == 0 || found.size() < q.count ? found.size() : q.count;
        if (q.storeKey == null) {
            final RespWriter w = c.reply();
            final int options = (q.withDist ? 1 : 0) + (q.withHash ? 1 : 0) + (q.withCoord ? 1 : 0);
            w.array(returned);
            for (int i = 0; i < returned; i++) {
                final Point p = found.get(i);
                if (options > 0) {
                    w.array(options + 1);
                }
                w.bulk(p.member);
                if (q.withDist) {
                    replyDistance(w, p.dist / q.conversion);
                }
                if (q.withHash) {
                    w.integer((long) p.score);
                }
                if (q.withCoord) {
                    w.array(2);
                    replyHuman(w, p.lon);
                    replyHuman(w, p.lat);
                }
            }
            return;
        }
        final ZSet result = ZSetCommands.newSet(c, 0);
        for (int i = 0; i < returned; i++) {
            final Point p = found.get(i);
            ZSetCommands.addTo(c, result, q.storeDist ? p.dist / q.conversion : p.score, p.member, 0, null);
        }
        if (returned > 0) {
            final StorageSettings s = c.settings();
            result.shrinkIfFits(s.zsetMaxListpackEntries, s.zsetMaxListpackValue);
            c.db().set(q.storeKey, result, false);
            c.keyspace().events().notify(Notify.ZSET, (flags & SEARCH) != 0 ? "geosearchstore" : "georadiusstore",
                q.storeKey, c.db().id());
            c.keyspace().dirty += returned;
        } else {
            ZSetCommands.storeResult(c, q.storeKey, result, "");
        }
        c.reply().integer(returned);
    }
}
