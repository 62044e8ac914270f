package dev.cinnabar.sentinel;

/**
 * A hello message, what sentinels publish on {@code __sentinel__:hello} every 2 seconds (and send to each other with
 * PUBLISH): "ip,port,runid,current_epoch,master_name,master_ip,master_port,master_config_epoch". Redis: sentinel.c
 * sentinelSendHello(), sentinelProcessHelloMessage(). Through it sentinels find each other and the newest master
 * configuration spreads.
 */
record Hello(String ip, int port, String runid, long currentEpoch, String masterName, String masterIp,
             int masterPort, long masterConfigEpoch) {

    String format() {
        return ip + "," + port + "," + runid + "," + Long.toUnsignedString(currentEpoch) + "," + masterName + ","
            + masterIp + "," + masterPort + "," + Long.toUnsignedString(masterConfigEpoch);
    }

    /** The message, or null unless it has exactly eight comma-separated fields. Numbers parse like atoi/strtoull. */
    static Hello parse(final String s) {
        final String[] t = s.split(",", -1);
        if (t.length != 8) {
            return null;
        }
        return new Hello(t[0], (int) Numbers.atol(t[1]), t[2], Numbers.strtoull(t[3]), t[4], t[5],
            (int) Numbers.atol(t[6]), Numbers.strtoull(t[7]));
    }
}
