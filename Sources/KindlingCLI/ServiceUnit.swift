import FoundationEssentials

/// The systemd user unit, compiled in (SwiftPM resources do not survive installation).
/// It is byte for byte `systemd/kindling.service` in the source tree (a test checks),
/// whose paths assume `make install`'s default prefix, `%h/.local`.
enum ServiceUnit {
    static let fileName = "kindling.service"
    static let template = """
        # Kindling: a daily kindness-practice companion, run as a systemd user service.
        # `kindling install` writes this unit, with the paths of the installed binaries, to
        # ~/.config/systemd/user/kindling.service; `kindling uninstall` removes it again.
        # The Debian package installs it, for /usr/bin, as /usr/lib/systemd/user/kindling.service;
        # `kindling install` then enables that one and writes no copy.

        [Unit]
        Description=Kindling, a daily kindness-practice companion
        # Desktop notifications use the session bus; kindlingd joins it whenever it appears.
        After=dbus.socket

        [Service]
        Type=notify
        NotifyAccess=main
        ExecStart=%h/.local/bin/kindlingd
        # systemd 252 has no reload handshake for Type=notify: `kindling reload` returns only once
        # the daemon has re-read its configuration, and fails (keeping the old one) if it is invalid.
        ExecReload=%h/.local/bin/kindling reload
        Restart=on-failure
        RestartSec=1s
        TimeoutStopSec=5s
        WatchdogSec=30s
        # The Swift runtime's backtracer catches SIGABRT and can keep a hung process alive, so a
        # watchdog timeout kills outright, and the backtracer is off for this service.
        WatchdogSignal=SIGKILL
        Environment=SWIFT_BACKTRACE=enable=no
        UMask=0077
        # No core files: a dump of kindlingd would hold what you wrote (the daemon also makes
        # itself non-dumpable at start).
        LimitCORE=0

        # Hardening that an unprivileged user manager can apply (seccomp and no-new-privileges
        # need no namespaces). Each setting was tried under a real unprivileged systemd 252 user
        # manager (systemd-analyze --user security: 6.1 before, 5.7 now). Left out on purpose:
        # - ProtectHome=, ProtectSystem=strict, PrivateTmp=: the journal lives in your home (or
        #   KINDLING_DATA_DIR, anywhere), and without XDG_RUNTIME_DIR the socket lives in /tmp,
        #   where `kindling` must find it.
        # - ProtectSystem=, PrivateTmp=, ProtectControlGroups=, ProtectKernelTunables=,
        #   ProtectProc=, PrivateMounts=: a user manager applies them only inside a user namespace
        #   (PrivateUsers=); alone they are silently ignored, and with it the start failed
        #   (226/NAMESPACE) where they were tried.
        # - CapabilityBoundingSet=, PrivateDevices=, ProtectKernelModules=, ProtectKernelLogs=,
        #   ProtectClock=: the service failed to start (a user service holds no capabilities to
        #   drop, and cannot drop them from the bounding set).
        # - PrivateUsers=, PrivateNetwork=: they work where unprivileged user namespaces are
        #   allowed (5.1), but some systems deny those and the unit must start there too; and a
        #   private network would cut kindlingd off a session bus at an abstract address.
        # Hooks and the Answer terminal are started outside this unit (systemd-run --user), so
        # none of this limits what they may do.
        NoNewPrivileges=yes
        LockPersonality=yes
        MemoryDenyWriteExecute=yes
        RestrictRealtime=yes
        RestrictSUIDSGID=yes
        RestrictNamespaces=yes
        RestrictAddressFamilies=AF_UNIX
        # kindlingd never speaks IP. (An unprivileged user manager cannot load the BPF filter
        # behind this; it says so in its log and starts the service anyway.)
        IPAddressDeny=any
        SystemCallArchitectures=native
        SystemCallFilter=@system-service
        # Within @system-service, nothing that needs privilege or changes resource limits.
        SystemCallFilter=~@privileged @resources
        SystemCallErrorNumber=EPERM
        # Only the harmless devices (/dev/null, /dev/urandom and the like). Like IPAddressDeny=,
        # an unprivileged manager may be unable to load the filter behind it.
        DevicePolicy=closed

        [Install]
        WantedBy=default.target

        """

    /// The unit for binaries installed in `binDirectory`.
    static func render(binDirectory: String) -> String {
        template.replacingEvery("%h/.local/bin/", with: binDirectory + "/")
    }
}
