package dev.cinnabar.storage.commands;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

/**
 * Geo commands against the oracle's replies (a set of cities).
 * Expected replies are the bytes Redis 7.0.15 sent for the same command sequences (captured from a
 * real server; RESP2 unless a test switches to RESP3).
 */
class GeoCommandsTest {
    private final StorageTestCall t = new StorageTestCall(new GeoCommands(), new ZSetCommands());

    private static byte[] bytes(final String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private String exists(final String key) {
        return t.db().lookup(bytes(key)) != null ? ":1\r\n" : ":0\r\n";
    }

    @Test
    void geoadd_and_errors() {
        assertEquals(":2\r\n",
            t.run("GEOADD", "g", "13.361389", "38.115556", "Palermo", "15.087269", "37.502669", "Catania"));
        assertEquals("-ERR invalid longitude,latitude pair 200.000000,10.000000\r\n",
            t.run("GEOADD", "g", "200", "10", "a"));
        assertEquals("-ERR invalid longitude,latitude pair 10.000000,86.000000\r\n",
            t.run("GEOADD", "g", "10", "86", "a"));
        assertEquals("-ERR value is not a valid float\r\n",
            t.run("GEOADD", "g", "x", "10", "a"));
        assertEquals("-ERR syntax error\r\n",
            t.run("GEOADD", "g", "NX", "XX", "10", "10", "a"));
        assertEquals("-ERR syntax error\r\n",
            t.run("GEOADD", "g", "10", "10", "a", "1"));
        assertEquals(":1\r\n",
            t.run("GEOADD", "g", "CH", "13.361389", "38.115556", "Palermo", "2.3522", "48.8566", "Paris"));
        assertEquals(":1\r\n",
            t.run("GEOADD", "g", "XX", "CH", "2.3523", "48.8566", "Paris", "0", "0", "Nowhere"));
        assertEquals(":0\r\n",
            t.run("GEOADD", "g", "NX", "2.3524", "48.8566", "Paris"));
        assertEquals(":3\r\n",
            t.run("GEOADD", "g", "180", "85.05112878", "edge", "-180", "-85.05112878", "edge2", "0", "0", "zero"));
        assertEquals("*12\r\n$5\r\nedge2\r\n$1\r\n0\r\n$4\r\nzero\r\n$16\r\n3377699720527872\r\n$7\r\nPalermo\r\n$"
            + "16\r\n3479099956230698\r\n$7\r\nCatania\r\n$16\r\n3479447370796909\r\n$5\r\nParis\r\n$16\r\n"
            + "3663832779124080\r\n$4\r\nedge\r\n$17\r\n13510798882111488\r\n",
            t.run("ZRANGE", "g", "0", "-1", "WITHSCORES"));
        t.db().set(bytes("s"), bytes("x"), false);
        assertEquals("-WRONGTYPE Operation against a key holding the wrong kind of value\r\n",
            t.run("GEOADD", "s", "1", "1", "a"));
        assertEquals("-WRONGTYPE Operation against a key holding the wrong kind of value\r\n",
            t.run("GEOPOS", "s", "a"));
    }

    @Test
    void geopos_geohash_geodist() {
        assertEquals(":8\r\n",
            t.run("GEOADD", "g", "13.361389", "38.115556", "Palermo", "15.087269", "37.502669", "Catania", "2.3522",
                "48.8566", "Paris", "-0.1276", "51.5072", "London", "-74.0060", "40.7128", "NewYork", "139.6917",
                    "35.6895", "Tokyo", "151.2093", "-33.8688", "Sydney", "-43.1729", "-22.9068", "Rio"));
        assertEquals("*9\r\n*2\r\n$20\r\n13.36138933897018433\r\n$20\r\n38.11555639549629859\r\n*2\r\n$20\r\n15.08"
            + "726745843887329\r\n$20\r\n37.50266842333162032\r\n*-1\r\n*2\r\n$19\r\n2.35219806432723999\r"
            + "\n$19\r\n48.8565995303492997\r\n*2\r\n$20\r\n-0.12760072946548462\r\n$20\r\n51.5072005369297"
            + "5853\r\n*2\r\n$20\r\n-74.0060010552406311\r\n$20\r\n40.71279898695150479\r\n*2\r\n$21\r\n139"
            + ".69170123338699341\r\n$20\r\n35.68950126697937009\r\n*2\r\n$21\r\n151.20929986238479614\r\n$"
            + "21\r\n-33.86880091934155956\r\n*2\r\n$21\r\n-43.17289799451828003\r\n$21\r\n-22.906801071586"
            + "66345\r\n",
            t.run("GEOPOS", "g", "Palermo", "Catania", "nope", "Paris", "London", "NewYork", "Tokyo", "Sydney", "Rio"));
        assertEquals("*2\r\n*-1\r\n*-1\r\n",
            t.run("GEOPOS", "nokey", "a", "b"));
        assertEquals("*9\r\n$11\r\nsqc8b49rny0\r\n$11\r\nsqdtr74hyu0\r\n$-1\r\n$11\r\nu09tvw0f640\r\n$11\r\ngcpvj0"
            + "e54w0\r\n$11\r\ndr5regw3pp0\r\n$11\r\nxn774c06kt0\r\n$11\r\nr3gx2f77bj0\r\n$11\r\n75cm9tfqnw"
            + "0\r\n",
            t.run("GEOHASH", "g", "Palermo", "Catania", "nope", "Paris", "London", "NewYork", "Tokyo", "Sydney",
                "Rio"));
        assertEquals("*1\r\n$-1\r\n",
            t.run("GEOHASH", "nokey", "a"));
        assertEquals("$11\r\n166274.1516\r\n",
            t.run("GEODIST", "g", "Palermo", "Catania"));
        assertEquals("$8\r\n166.2742\r\n",
            t.run("GEODIST", "g", "Palermo", "Catania", "km"));
        assertEquals("$8\r\n103.3182\r\n",
            t.run("GEODIST", "g", "Palermo", "Catania", "mi"));
        assertEquals("$11\r\n545518.8700\r\n",
            t.run("GEODIST", "g", "Palermo", "Catania", "ft"));
        assertEquals("$9\r\n5571.8140\r\n",
            t.run("GEODIST", "g", "London", "NewYork", "KM"));
        assertEquals("$13\r\n13524847.9838\r\n",
            t.run("GEODIST", "g", "Sydney", "Rio", "m"));
        assertEquals("$6\r\n0.0000\r\n",
            t.run("GEODIST", "g", "Tokyo", "Tokyo"));
        assertEquals("$-1\r\n",
            t.run("GEODIST", "g", "Palermo", "nope"));
        assertEquals("$-1\r\n",
            t.run("GEODIST", "nokey", "a", "b"));
        assertEquals("-ERR unsupported unit provided. please use M, KM, FT, MI\r\n",
            t.run("GEODIST", "g", "Palermo", "Catania", "foo"));
        assertEquals("-ERR syntax error\r\n",
            t.run("GEODIST", "g", "Palermo", "Catania", "km", "x"));
        t.resp3();
        assertEquals("*2\r\n*2\r\n,13.36138933897018433\r\n,38.11555639549629859\r\n_\r\n",
            t.run("GEOPOS", "g", "Palermo", "nope"));
        assertEquals("$11\r\n166274.1516\r\n",
            t.run("GEODIST", "g", "Palermo", "Catania"));
        assertEquals("*2\r\n_\r\n$11\r\nu09tvw0f640\r\n",
            t.run("GEOHASH", "g", "nope", "Paris"));
    }

    @Test
    void search() {
        assertEquals(":11\r\n",
            t.run("GEOADD", "g", "13.361389", "38.115556", "Palermo", "15.087269", "37.502669", "Catania",
                "12.758489", "38.788135", "edge1", "17.241510", "38.788135", "edge2", "2.3522", "48.8566", "Paris",
                    "-0.1276", "51.5072", "London", "4.8952", "52.3702", "Amsterdam", "13.4050", "52.5200", "Berlin",
                        "12.4964", "41.9028", "Rome", "9.1900", "45.4642", "Milan", "14.2681", "40.8518", "Naples"));
        assertEquals("*2\r\n$7\r\nPalermo\r\n$7\r\nCatania\r\n",
            t.run("GEORADIUS", "g", "15", "37", "200", "km"));
        assertEquals("*2\r\n*2\r\n$7\r\nPalermo\r\n$8\r\n190.4424\r\n*2\r\n$7\r\nCatania\r\n$7\r\n56.4413\r\n",
            t.run("GEORADIUS", "g", "15", "37", "200", "km", "WITHDIST"));
        assertEquals("*2\r\n*4\r\n$7\r\nCatania\r\n$7\r\n56.4413\r\n:3479447370796909\r\n*2\r\n$20\r\n15.087267458"
            + "43887329\r\n$20\r\n37.50266842333162032\r\n*4\r\n$7\r\nPalermo\r\n$8\r\n190.4424\r\n:3479099"
            + "956230698\r\n*2\r\n$20\r\n13.36138933897018433\r\n$20\r\n38.11555639549629859\r\n",
            t.run("GEORADIUS", "g", "15", "37", "200", "km", "WITHCOORD", "WITHDIST", "WITHHASH", "ASC"));
        assertEquals("*2\r\n$7\r\nPalermo\r\n$7\r\nCatania\r\n",
            t.run("GEORADIUS", "g", "15", "37", "200", "km", "DESC", "COUNT", "2"));
        assertEquals("*10\r\n$7\r\nCatania\r\n$7\r\nPalermo\r\n$5\r\nedge2\r\n$5\r\nedge1\r\n$6\r\nNaples\r\n$4\r"
            + "\nRome\r\n$5\r\nMilan\r\n$5\r\nParis\r\n$6\r\nBerlin\r\n$9\r\nAmsterdam\r\n",
            t.run("GEORADIUS", "g", "15", "37", "2000", "km", "ASC"));
        assertEquals("*10\r\n$7\r\nPalermo\r\n$5\r\nedge1\r\n$7\r\nCatania\r\n$4\r\nRome\r\n$6\r\nNaples\r\n$5\r\n"
            + "edge2\r\n$5\r\nMilan\r\n$5\r\nParis\r\n$9\r\nAmsterdam\r\n$6\r\nBerlin\r\n",
            t.run("GEORADIUS", "g", "15", "37", "2000", "km"));
        assertEquals("*3\r\n$7\r\nPalermo\r\n$5\r\nedge1\r\n$7\r\nCatania\r\n",
            t.run("GEORADIUS", "g", "15", "37", "2000", "km", "COUNT", "3", "ANY"));
        assertEquals("*3\r\n$7\r\nCatania\r\n$7\r\nPalermo\r\n$5\r\nedge2\r\n",
            t.run("GEORADIUS", "g", "15", "37", "2000", "km", "COUNT", "3"));
        assertEquals("*11\r\n*2\r\n$7\r\nPalermo\r\n$8\r\n118.3357\r\n*2\r\n$5\r\nedge1\r\n$8\r\n173.8231\r\n*2\r"
            + "\n$7\r\nCatania\r\n$7\r\n35.0711\r\n*2\r\n$4\r\nRome\r\n$8\r\n364.1902\r\n*2\r\n$6\r\nNaples"
            + "\r\n$8\r\n269.0991\r\n*2\r\n$5\r\nedge2\r\n$8\r\n173.8230\r\n*2\r\n$5\r\nMilan\r\n$8\r\n657."
            + "8896\r\n*2\r\n$5\r\nParis\r\n$9\r\n1036.8706\r\n*2\r\n$9\r\nAmsterdam\r\n$9\r\n1169.9668\r\n"
            + "*2\r\n$6\r\nBerlin\r\n$9\r\n1075.4165\r\n*2\r\n$6\r\nLondon\r\n$9\r\n1246.1564\r\n",
            t.run("GEORADIUS", "g", "15", "37", "5000", "mi", "WITHDIST"));
        assertEquals("*3\r\n*2\r\n$7\r\nPalermo\r\n$6\r\n0.0000\r\n*2\r\n$5\r\nedge1\r\n$7\r\n91.4007\r\n*2\r\n$7"
            + "\r\nCatania\r\n$8\r\n166.2742\r\n",
            t.run("GEORADIUSBYMEMBER", "g", "Palermo", "300", "km", "WITHDIST"));
        assertEquals("-ERR could not decode requested zset member\r\n",
            t.run("GEORADIUSBYMEMBER", "g", "nope", "300", "km"));
        assertEquals("*5\r\n*2\r\n$4\r\nRome\r\n*2\r\n$20\r\n12.49639838933944702\r\n$20\r\n41.90279987683795326\r"
            + "\n*2\r\n$6\r\nNaples\r\n*2\r\n$20\r\n14.26809936761856079\r\n$20\r\n40.85180056060848841\r\n"
            + "*2\r\n$5\r\nedge1\r\n*2\r\n$19\r\n12.7584877610206604\r\n$20\r\n38.78813451624225195\r\n*2\r"
            + "\n$7\r\nPalermo\r\n*2\r\n$20\r\n13.36138933897018433\r\n$20\r\n38.11555639549629859\r\n*2\r"
            + "\n$5\r\nMilan\r\n*2\r\n$19\r\n9.19000178575515747\r\n$20\r\n45.46419970288251022\r\n",
            t.run("GEORADIUSBYMEMBER_RO", "g", "Rome", "500", "km", "ASC", "WITHCOORD"));
        assertEquals("*5\r\n*2\r\n$5\r\nParis\r\n$6\r\n0.0000\r\n*2\r\n$6\r\nLondon\r\n$8\r\n343.6268\r\n*2\r\n$9"
            + "\r\nAmsterdam\r\n$8\r\n429.9812\r\n*2\r\n$5\r\nMilan\r\n$8\r\n639.7467\r\n*2\r\n$6\r\nBerlin"
            + "\r\n$8\r\n877.7111\r\n",
            t.run("GEOSEARCH", "g", "FROMMEMBER", "Paris", "BYRADIUS", "1000", "km", "ASC", "WITHDIST"));
        assertEquals("*4\r\n$5\r\nMilan\r\n$5\r\nParis\r\n$4\r\nRome\r\n$6\r\nNaples\r\n",
            t.run("GEOSEARCH", "g", "FROMLONLAT", "10", "45", "BYBOX", "1200", "1200", "km"));
        assertEquals("*4\r\n*3\r\n$5\r\nParis\r\n$8\r\n721.5454\r\n:3663832779122514\r\n*3\r\n$6\r\nNaples\r\n$8\r"
            + "\n577.4918\r\n:3480580670016297\r\n*3\r\n$4\r\nRome\r\n$8\r\n399.0810\r\n:3480343273968262\r"
            + "\n*3\r\n$5\r\nMilan\r\n$7\r\n81.7995\r\n:3663062935203680\r\n",
            t.run("GEOSEARCH", "g", "FROMLONLAT", "10", "45", "BYBOX", "1200", "1200", "km", "DESC", "WITHDIST",
                "WITHHASH"));
        assertEquals("*1\r\n$5\r\nMilan\r\n",
            t.run("GEOSEARCH", "g", "FROMLONLAT", "10", "45", "BYBOX", "400", "2000", "km", "ASC"));
        assertEquals("-ERR could not decode requested zset member\r\n",
            t.run("GEOSEARCH", "g", "FROMMEMBER", "nope", "BYRADIUS", "10", "km"));
        assertEquals("*0\r\n",
            t.run("GEOSEARCH", "nokey", "FROMMEMBER", "nope", "BYRADIUS", "10", "km"));
        assertEquals("*0\r\n",
            t.run("GEOSEARCH", "g", "FROMLONLAT", "0", "0", "BYRADIUS", "10", "km"));
        assertEquals("-ERR radius cannot be negative\r\n",
            t.run("GEOSEARCH", "g", "FROMLONLAT", "0", "0", "BYRADIUS", "-1", "km"));
        assertEquals("-ERR need numeric radius\r\n",
            t.run("GEOSEARCH", "g", "FROMLONLAT", "0", "0", "BYRADIUS", "x", "km"));
        assertEquals("-ERR unsupported unit provided. please use M, KM, FT, MI\r\n",
            t.run("GEOSEARCH", "g", "FROMLONLAT", "0", "0", "BYRADIUS", "1", "foo"));
        assertEquals("-ERR COUNT must be > 0\r\n",
            t.run("GEOSEARCH", "g", "FROMLONLAT", "0", "0", "BYRADIUS", "1", "km", "COUNT", "0"));
        assertEquals("-ERR value is not an integer or out of range\r\n",
            t.run("GEOSEARCH", "g", "FROMLONLAT", "0", "0", "BYRADIUS", "1", "km", "COUNT", "x"));
        assertEquals("-ERR the ANY argument requires COUNT argument\r\n",
            t.run("GEOSEARCH", "g", "FROMLONLAT", "0", "0", "BYRADIUS", "1", "km", "ANY"));
        assertEquals("-ERR syntax error\r\n",
            t.run("GEOSEARCH", "g", "FROMLONLAT", "0", "0", "BYRADIUS", "1", "km", "FROMMEMBER", "a"));
        assertEquals("-ERR syntax error\r\n",
            t.run("GEOSEARCH", "g", "FROMLONLAT", "0", "0", "BYRADIUS", "1", "km", "BYBOX", "1", "1", "km"));
        assertEquals("-ERR syntax error\r\n",
            t.run("GEOSEARCH", "g", "FROMLONLAT", "0", "0", "BYRADIUS", "1", "km", "STOREDIST"));
        assertEquals("-ERR height or width cannot be negative\r\n",
            t.run("GEOSEARCH", "g", "FROMLONLAT", "0", "0", "BYBOX", "1", "-1", "km"));
        assertEquals("-ERR need numeric width\r\n",
            t.run("GEOSEARCH", "g", "FROMLONLAT", "0", "0", "BYBOX", "x", "1", "km"));
        assertEquals("-ERR exactly one of BYRADIUS and BYBOX can be specified for GEOSEARCH\r\n",
            t.run("GEOSEARCH", "g", "FROMLONLAT", "0", "0", "COUNT", "1", "WITHDIST"));
        assertEquals("-ERR exactly one of FROMMEMBER or FROMLONLAT can be specified for GEOSEARCH\r\n",
            t.run("GEOSEARCH", "g", "BYRADIUS", "1", "km", "COUNT", "1", "WITHDIST"));
        assertEquals("-ERR invalid longitude,latitude pair 200.000000,0.000000\r\n",
            t.run("GEOSEARCH", "g", "FROMLONLAT", "200", "0", "BYRADIUS", "1", "km"));
        assertEquals("-ERR invalid longitude,latitude pair 200.000000,0.000000\r\n",
            t.run("GEORADIUS", "g", "200", "0", "1", "km"));
        assertEquals("-ERR syntax error\r\n",
            t.run("GEORADIUS", "g", "0", "0", "1", "km", "STORE"));
        assertEquals("-ERR STORE option in GEORADIUS is not compatible with WITHDIST, WITHHASH and WITHCOORD optio"
            + "ns\r\n",
            t.run("GEORADIUS", "g", "0", "0", "1", "km", "STORE", "d", "WITHDIST"));
        assertEquals("-ERR syntax error\r\n",
            t.run("GEORADIUS_RO", "g", "0", "0", "1", "km", "STORE", "d"));
        assertEquals("-ERR need numeric radius\r\n",
            t.run("GEORADIUS", "g", "0", "0", "x", "km"));
        assertEquals(":0\r\n",
            t.run("GEORADIUS", "nokey", "0", "0", "1", "km", "STORE", "d"));
        assertEquals("*0\r\n",
            t.run("GEORADIUS", "nokey", "0", "0", "1", "km"));
        t.resp3();
        assertEquals("*7\r\n*3\r\n$4\r\nRome\r\n$6\r\n0.0000\r\n*2\r\n,12.49639838933944702\r\n,41.902799876837953"
            + "26\r\n*3\r\n$6\r\nNaples\r\n$8\r\n188.4876\r\n*2\r\n,14.26809936761856079\r\n,40.85180056060"
            + "848841\r\n*3\r\n$5\r\nedge1\r\n$8\r\n347.1439\r\n*2\r\n,12.7584877610206604\r\n,38.788134516"
            + "24225195\r\n*3\r\n$7\r\nPalermo\r\n$8\r\n427.6309\r\n*2\r\n,13.36138933897018433\r\n,38.1155"
            + "5639549629859\r\n*3\r\n$5\r\nMilan\r\n$8\r\n477.0191\r\n*2\r\n,9.19000178575515747\r\n,45.46"
            + "419970288251022\r\n*3\r\n$5\r\nedge2\r\n$8\r\n530.7133\r\n*2\r\n,17.24151045083999634\r\n,38"
            + ".78813451624225195\r\n*3\r\n$7\r\nCatania\r\n$8\r\n537.2158\r\n*2\r\n,15.08726745843887329\r"
            + "\n,37.50266842333162032\r\n",
            t.run("GEOSEARCH", "g", "FROMMEMBER", "Rome", "BYRADIUS", "700", "km", "ASC", "WITHCOORD", "WITHDIST"));
    }

    @Test
    void store() {
        assertEquals(":3\r\n",
            t.run("GEOADD", "g", "13.361389", "38.115556", "Palermo", "15.087269", "37.502669", "Catania", "12.4964",
                "41.9028", "Rome"));
        assertEquals(":2\r\n",
            t.run("GEORADIUS", "g", "15", "37", "200", "km", "STORE", "d1"));
        assertEquals("*4\r\n$7\r\nPalermo\r\n$16\r\n3479099956230698\r\n$7\r\nCatania\r\n$16\r\n3479447370796909\r\n",
            t.run("ZRANGE", "d1", "0", "-1", "WITHSCORES"));
        assertEquals(":2\r\n",
            t.run("GEORADIUS", "g", "15", "37", "200", "km", "STOREDIST", "d2"));
        assertEquals("*4\r\n$7\r\nCatania\r\n$18\r\n56.441257870158204\r\n$7\r\nPalermo\r\n$18\r\n190.442429847757"
            + "84\r\n",
            t.run("ZRANGE", "d2", "0", "-1", "WITHSCORES"));
        assertEquals(":2\r\n",
            t.run("GEOSEARCHSTORE", "d3", "g", "FROMLONLAT", "15", "37", "BYRADIUS", "700", "km", "STOREDIST",
                "COUNT", "2"));
        assertEquals("*4\r\n$7\r\nCatania\r\n$18\r\n56.441257870158204\r\n$7\r\nPalermo\r\n$18\r\n190.442429847757"
            + "84\r\n",
            t.run("ZRANGE", "d3", "0", "-1", "WITHSCORES"));
        assertEquals("-ERR GEOSEARCHSTORE is not compatible with WITHDIST, WITHHASH and WITHCOORD options\r\n",
            t.run("GEOSEARCHSTORE", "d3", "g", "FROMLONLAT", "15", "37", "BYRADIUS", "700", "km", "WITHDIST"));
        assertEquals(":3\r\n",
            t.run("GEOSEARCHSTORE", "d4", "g", "FROMLONLAT", "15", "37", "BYRADIUS", "700", "km"));
        assertEquals("*6\r\n$7\r\nPalermo\r\n$16\r\n3479099956230698\r\n$7\r\nCatania\r\n$16\r\n3479447370796909\r"
            + "\n$4\r\nRome\r\n$16\r\n3480343273968262\r\n",
            t.run("ZRANGE", "d4", "0", "-1", "WITHSCORES"));
        assertEquals(":1\r\n",
            t.run("GEORADIUSBYMEMBER", "g", "Rome", "10", "km", "STORE", "d4"));
        assertEquals(":1\r\n", exists("d4"));
        assertEquals(":0\r\n",
            t.run("GEOSEARCHSTORE", "d3", "nokey", "FROMLONLAT", "15", "37", "BYRADIUS", "700", "km"));
        assertEquals(":0\r\n", exists("d3"));
    }

    /**
     * COUNT below the number found sorts partially (Redis's pqsort), so members at the same
     * distance keep the order only that algorithm produces; replies from redis-server 7.0.15.
     */
    @Test
    void count_keepsRedisOrderAmongEqualDistances() {
        for (int i = 0; i < 12; i++) {
            t.run("GEOADD", "g", "13.361389", "38.115556", "p" + i);
        }
        assertEquals("*7\r\n$2\r\np9\r\n$2\r\np1\r\n$3\r\np10\r\n$3\r\np11\r\n$2\r\np2\r\n$2\r\np3\r\n$2\r\np4\r\n",
            t.run("GEOSEARCH", "g", "FROMLONLAT", "13.361389", "38.115556", "BYRADIUS", "10", "km", "COUNT", "7", "ASC"));
        for (int i = 0; i < 50; i++) {
            t.run("GEOADD", "g", "13.361389", "38.1" + (i % 7), "q" + i);
        }
        assertEquals("*20\r\n$3\r\nq27\r\n$3\r\nq13\r\n$3\r\nq20\r\n$2\r\nq6\r\n$3\r\nq34\r\n$3\r\nq41\r\n$3\r\nq48\r\n"
                + "$3\r\nq19\r\n$2\r\nq5\r\n$3\r\nq47\r\n$3\r\nq40\r\n$3\r\nq33\r\n$3\r\nq26\r\n$3\r\nq12\r\n$3\r\nq25\r\n"
                + "$3\r\nq11\r\n$3\r\nq18\r\n$3\r\nq46\r\n$3\r\nq32\r\n$3\r\nq39\r\n",
            t.run("GEOSEARCH", "g", "FROMLONLAT", "13.361389", "38.115556", "BYRADIUS", "100", "km", "COUNT", "20",
                "DESC"));
    }

    /** Scores no GEOADD writes decode as C's (uint64_t) cast makes them: replies from redis-server 7.0.15. */
    @Test
    void geopos_ofScoresOutsideTheGeohashRange() {
        t.run("ZADD", "gi", "inf", "a", "-inf", "b", "1e19", "d", "2e19", "e", "-5", "f");
        assertEquals("*5\r\n*2\r\n$22\r\n-179.99999731779098511\r\n$21\r\n-85.05112751263942528\r\n"
                + "*2\r\n$3\r\n180\r\n$21\r\n-85.05112751263942528\r\n"
                + "*2\r\n$3\r\n180\r\n$19\r\n85.0511287799999991\r\n"
                + "*2\r\n$22\r\n-179.99999731779098511\r\n$21\r\n-85.05112751263942528\r\n"
                + "*2\r\n$3\r\n180\r\n$19\r\n85.0511287799999991\r\n",
            t.run("GEOPOS", "gi", "a", "b", "d", "e", "f"));
        assertEquals("*2\r\n$11\r\n00bh0hbj200\r\n$11\r\nbp05b5048p0\r\n", t.run("GEOHASH", "gi", "a", "f"));
    }
}
