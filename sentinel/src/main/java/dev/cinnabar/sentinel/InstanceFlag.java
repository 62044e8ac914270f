package dev.cinnabar.sentinel;

/** The runtime state bits of a monitored instance, Redis's SRI_* flags other than the kind. */
enum InstanceFlag {
    /** Subjectively down: no valid reply for down-after-milliseconds. */
    S_DOWN,
    /** Objectively down: quorum sentinels agree. */
    O_DOWN,
    /** On a sentinel record: that sentinel said the master is down. */
    MASTER_DOWN,
    FAILOVER_IN_PROGRESS,
    /** The replica chosen for promotion. */
    PROMOTED,
    /** SLAVEOF new-master sent during a failover. */
    RECONF_SENT,
    /** The replica reports the new master but is not in sync yet. */
    RECONF_INPROG,
    /** The replica is in sync with the new master. */
    RECONF_DONE,
    /** SENTINEL FAILOVER: no election needed. */
    FORCE_FAILOVER,
    /** SCRIPT KILL already sent after a -BUSY reply. */
    SCRIPT_KILL_SENT,
    /** The master rebooted (new run id) and master-reboot-down-after-period is set. */
    MASTER_REBOOT
}
