package dev.cinnabar.storage.type.geo;

/**
 * Redis's geohash arithmetic: 52-bit interleaved cell ids used as sorted-set scores, their decoding,
 * the haversine distance, and the 9-cell search area of a radius or box query.
 *
 * <p>Why replicate rather than use a library: the score of a GEOADD, the coordinates GEOPOS prints
 * and the cells GEOSEARCH scans (hence which members are found and in what order when unsorted)
 * must equal Redis's to the last bit, so every step follows geohash.c / geohash_helper.c.
 *
 * <p>Invariants: longitude bits sit at the odd positions and latitude bits at the even positions
 * of a hash; a hash of {@code step} has {@code 2 * step} significant bits; the zero hash with
 * step 0 marks an excluded neighbour.
 * Redis: geohash.c geohashEncode(), geohashDecode(); geohash_helper.c
 * geohashCalculateAreasByShapeWGS84(), geohashGetDistance().
 */
public final class GeoHash {
    public static final int STEP_MAX = 26;
    public static final double LAT_MIN = -85.05112878;
    public static final double LAT_MAX = 85.05112878;
    public static final double LONG_MIN = -180;
    public static final double LONG_MAX = 180;
    /** Redis's EARTH_RADIUS_IN_METERS and MERCATOR_MAX. */
    public static final double EARTH_RADIUS = 6372797.560856;
    private static final double MERCATOR_MAX = 20037726.37;
    private static final double D_R = Math.PI / 180.0;
    private static final String ALPHABET = "0123456789bcdefghjkmnpqrstuvwxyz";

    private GeoHash() {
    }

    /** A cell: its bits and its step (precision in bits per coordinate). */
    public record Bits(long bits, int step) {
        public boolean isZero() {
            return bits == 0 && step == 0;
        }

        /** The [min, max) score interval of this cell at 52-bit precision. */
        public long min() {
            return bits << (52 - step * 2);
        }

        public long max() {
            return (bits + 1) << (52 - step * 2);
        }
    }

    /** A search: centre, circle radius or box width/height in the unit, and the unit's meters. */
    public record Shape(double lon, double lat, boolean box, double radius, double width, double height,
                        double conversion) {
    }

    private static long spread(final long v) {
        long x = v & 0xFFFFFFFFL;
        x = (x | (x << 16)) & 0x0000FFFF0000FFFFL;
        x = (x | (x << 8)) & 0x00FF00FF00FF00FFL;
        x = (x | (x << 4)) & 0x0F0F0F0F0F0F0F0FL;
        x = (x | (x << 2)) & 0x3333333333333333L;
        x = (x | (x << 1)) & 0x5555555555555555L;
        return x;
    }

    private static long squash(final long v) {
        long x = v & 0x5555555555555555L;
        x = (x | (x >>> 1)) & 0x3333333333333333L;
        x = (x | (x >>> 2)) & 0x0F0F0F0F0F0F0F0FL;
        x = (x | (x >>> 4)) & 0x00FF00FF00FF00FFL;
        x = (x | (x >>> 8)) & 0x0000FFFF0000FFFFL;
        x = (x | (x >>> 16)) & 0x00000000FFFFFFFFL;
        return x;
    }

    /** Whether a coordinate pair may be indexed (GEOADD's check). */
    public static boolean valid(final double lon, final double lat) {
        return !(lon > LONG_MAX || lon < LONG_MIN || lat > LAT_MAX || lat < LAT_MIN);
    }

    /** geohashEncode over the given latitude range; null when outside the indexable area. */
    public static Bits encode(final double lon, final double lat, final double latMin, final double latMax,
                              final int step) {
        if (!valid(lon, lat) || lat < latMin || lat > latMax) {
            return null;
        }
        final double latOffset = (lat - latMin) / (latMax - latMin) * (1L << step);
        final double lonOffset = (lon - LONG_MIN) / (LONG_MAX - LONG_MIN) * (1L << step);
        // C's double -> uint32_t conversion truncates
        return new Bits(spread((long) latOffset) | (spread((long) lonOffset) << 1), step);
    }

    /** The 52-bit score of a point (geohashEncodeWGS84 + geohashAlign52Bits). */
    public static long score(final double lon, final double lat) {
        return encode(lon, lat, LAT_MIN, LAT_MAX, STEP_MAX).min();
    }

    /** The cell area: {lonMin, lonMax, latMin, latMax}. */
    public static double[] area(final Bits h) {
        final long ilat = squash(h.bits);
        final long ilon = squash(h.bits >>> 1);
        final double div = (double) (1L << h.step);
        final double latScale = LAT_MAX - LAT_MIN;
        final double lonScale = LONG_MAX - LONG_MIN;
        return new double[] {
            LONG_MIN + (ilon / div) * lonScale, LONG_MIN + ((ilon + 1) / div) * lonScale,
            LAT_MIN + (ilat / div) * latScale, LAT_MIN + ((ilat + 1) / div) * latScale};
    }

    /**
     * C's {@code (uint64_t) score} as gcc compiles it on x86-64: a plain truncation below 2^63;
     * above, truncation of {@code score - 2^63} with the top bit flipped, which for 2^64 and more
     * (+inf included) is 0. So a member whose score is +inf decodes as the cell of score 0.
     */
    static long toUint64(final double score) {
        if (score >= 0x1p63) {
            return score < 0x1p64 ? (long) (score - 0x1p63) ^ Long.MIN_VALUE : 0;
        }
        return (long) score;
    }

    /** The point a score stands for: {lon, lat}, the centre of its cell, clamped. */
    public static double[] decode(final double score) {
        final double[] a = area(new Bits(toUint64(score), STEP_MAX));
        double lon = (a[0] + a[1]) / 2;
        double lat = (a[2] + a[3]) / 2;
        lon = Math.min(LONG_MAX, Math.max(LONG_MIN, lon));
        lat = Math.min(LAT_MAX, Math.max(LAT_MIN, lat));
        return new double[] {lon, lat};
    }

    /** The standard 11-character geohash of a stored score (GEOHASH). */
    public static String hashString(final double score) {
        final double[] xy = decode(score);
        final Bits h = encode(xy[0], xy[1], -90, 90, STEP_MAX);
        final char[] out = new char[11];
        for (int i = 0; i < 11; i++) {
            final int idx = i == 10 ? 0 : (int) ((h.bits >>> (52 - (i + 1) * 5)) & 0x1f);
            out[i] = ALPHABET.charAt(idx);
        }
        return new String(out);
    }

    private static double rad(final double deg) {
        return deg * D_R;
    }

    private static double deg(final double rad) {
        return rad / D_R;
    }

    public static double latDistance(final double lat1, final double lat2) {
        return EARTH_RADIUS * Math.abs(rad(lat2) - rad(lat1));
    }

    /** Haversine distance in meters. */
    public static double distance(final double lon1, final double lat1, final double lon2, final double lat2) {
        final double v = Math.sin((rad(lon2) - rad(lon1)) / 2);
        if (v == 0.0) {
            return latDistance(lat1, lat2);
        }
        final double lat1r = rad(lat1);
        final double lat2r = rad(lat2);
        final double u = Math.sin((lat2r - lat1r) / 2);
        final double a = u * u + Math.cos(lat1r) * Math.cos(lat2r) * v * v;
        return 2.0 * EARTH_RADIUS * Math.asin(Math.sqrt(a));
    }

    /** The distance of a point from the shape's centre when inside the shape, otherwise -1. */
    public static double distanceIfInside(final Shape s, final double lon, final double lat) {
        if (!s.box) {
            final double d = distance(s.lon, s.lat, lon, lat);
            return d > s.radius * s.conversion ? -1 : d;
        }
        if (latDistance(lat, s.lat) > s.height * s.conversion / 2) {
            return -1;
        }
        if (distance(lon, lat, s.lon, lat) > s.width * s.conversion / 2) {
            return -1;
        }
        return distance(s.lon, s.lat, lon, lat);
    }

    private static int estimateSteps(final double rangeMeters, final double lat) {
        if (rangeMeters == 0) {
            return 26;
        }
        double r = rangeMeters;
        int step = 1;
        while (r < MERCATOR_MAX) {
            r *= 2;
            step++;
        }
        step -= 2;
        if (lat > 66 || lat < -66) {
            step--;
            if (lat > 80 || lat < -80) {
                step--;
            }
        }
        return Math.max(1, Math.min(26, step));
    }

    private static Bits moveX(final Bits h, final int d) {
        long x = h.bits & 0xaaaaaaaaaaaaaaaaL;
        final long y = h.bits & 0x5555555555555555L;
        final long zz = 0x5555555555555555L >>> (64 - h.step * 2);
        if (d > 0) {
            x = x + (zz + 1);
        } else {
            x = x | zz;
            x = x - (zz + 1);
        }
        x &= 0xaaaaaaaaaaaaaaaaL >>> (64 - h.step * 2);
        return new Bits(x | y, h.step);
    }

    private static Bits moveY(final Bits h, final int d) {
        final long x = h.bits & 0xaaaaaaaaaaaaaaaaL;
        long y = h.bits & 0x5555555555555555L;
        final long zz = 0xaaaaaaaaaaaaaaaaL >>> (64 - h.step * 2);
        if (d > 0) {
            y = y + (zz + 1);
        } else {
            y = y | zz;
            y = y - (zz + 1);
        }
        y &= 0x5555555555555555L >>> (64 - h.step * 2);
        return new Bits(x | y, h.step);
    }

    private static Bits move(final Bits h, final int dx, final int dy) {
        Bits r = h;
        if (dx != 0) {
            r = moveX(r, dx);
        }
        if (dy != 0) {
            r = moveY(r, dy);
        }
        return r;
    }

    /**
     * The cells to scan, in Redis's order: centre, north, south, east, west, north-east,
     * north-west, south-east, south-west; excluded neighbours are zero cells.
     */
    public static Bits[] searchCells(final Shape s) {
        final double height = s.conversion * (s.box ? s.height / 2 : s.radius);
        final double width = s.conversion * (s.box ? s.width / 2 : s.radius);
        final double latDelta = deg(height / EARTH_RADIUS);
        final double lonDeltaTop = deg(width / EARTH_RADIUS / Math.cos(rad(s.lat + latDelta)));
        final double lonDeltaBottom = deg(width / EARTH_RADIUS / Math.cos(rad(s.lat - latDelta)));
        final boolean south = s.lat < 0;
        final double minLon = south ? s.lon - lonDeltaBottom : s.lon - lonDeltaTop;
        final double maxLon = south ? s.lon + lonDeltaBottom : s.lon + lonDeltaTop;
        final double minLat = s.lat - latDelta;
        final double maxLat = s.lat + latDelta;
        double radiusMeters = s.box
            ? Math.sqrt((s.width / 2) * (s.width / 2) + (s.height / 2) * (s.height / 2)) : s.radius;
        radiusMeters *= s.conversion;
        int steps = estimateSteps(radiusMeters, s.lat);
        Bits[] cells = cells(encode(s.lon, s.lat, LAT_MIN, LAT_MAX, steps));
        if (steps > 1 && (area(cells[1])[3] < maxLat || area(cells[2])[2] > minLat
            || area(cells[3])[1] < maxLon || area(cells[4])[0] > minLon)) {
            steps--;
            cells = cells(encode(s.lon, s.lat, LAT_MIN, LAT_MAX, steps));
        }
        if (steps >= 2) {
            final double[] a = area(cells[0]);
            final Bits zero = new Bits(0, 0);
            if (a[2] < minLat) {
                cells[2] = zero;
                cells[8] = zero;
                cells[7] = zero;
            }
            if (a[3] > maxLat) {
                cells[1] = zero;
                cells[5] = zero;
                cells[6] = zero;
            }
            if (a[0] < minLon) {
                cells[4] = zero;
                cells[8] = zero;
                cells[6] = zero;
            }
            if (a[1] > maxLon) {
                cells[3] = zero;
                cells[7] = zero;
                cells[5] = zero;
            }
        }
        return cells;
    }

    private static Bits[] cells(final Bits h) {
        return new Bits[] {h, move(h, 0, 1), move(h, 0, -1), move(h, 1, 0), move(h, -1, 0),
            move(h, 1, 1), move(h, -1, 1), move(h, 1, -1), move(h, -1, -1)};
    }
}
