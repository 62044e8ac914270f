package dev.cinnabar.storage.keyspace;

/** MurmurHash3 (x86, 32-bit) with a per-process seed, so bucket collisions cannot be precomputed. */
public final class Hashing {
    private Hashing() {
    }

    public static int murmur3(final byte[] b, final int off, final int len, final int seed) {
        int h = seed;
        final int end = off + (len & ~3);
        for (int i = off; i < end; i += 4) {
            int k = (b[i] & 0xff) | (b[i + 1] & 0xff) << 8 | (b[i + 2] & 0xff) << 16 | (b[i + 3] & 0xff) << 24;
            k *= 0xcc9e2d51;
            k = Integer.rotateLeft(k, 15);
            k *= 0x1b873593;
            h ^= k;
            h = Integer.rotateLeft(h, 13);
            h = h * 5 + 0xe6546b64;
        }
        int k = 0;
        switch (len & 3) {
            case 3:
                k ^= (b[end + 2] & 0xff) << 16;
                // fall through
            case 2:
                k ^= (b[end + 1] & 0xff) << 8;
                // fall through
            case 1:
                k ^= b[end] & 0xff;
                k *= 0xcc9e2d51;
                k = Integer.rotateLeft(k, 15);
                k *= 0x1b873593;
                h ^= k;
                break;
            default:
                break;
        }
        h ^= len;
        h ^= h >>> 16;
        h *= 0x85ebca6b;
        h ^= h >>> 13;
        h *= 0xc2b2ae35;
        h ^= h >>> 16;
        return h;
    }
}
