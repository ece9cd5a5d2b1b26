/// Do-not-disturb from every notification server Kindling knows: each switch is read when a
/// server appears and followed through its change signal (see ``DesktopQuiet``).
extension DesktopNotifier {
    /// dunst's own interface, which carries its do-not-disturb state (`paused`).
    static let dunstInterface = "org.dunstproject.cmd0"
    /// xfce4-notifyd keeps its settings in xfconf, under this channel and property.
    static let xfconfService = "org.xfce.Xfconf"
    static let xfconfPath = "/org/xfce/Xfconf"
    static let xfceChannel = "xfce4-notifyd"
    static let xfceProperty = "/do-not-disturb"
    /// How xfce4-notifyd names itself in `GetServerInformation`.
    static let xfceServerName = "Xfce Notify Daemon"
    /// GNOME's switch: banners off is its do-not-disturb. dconf-service announces each write
    /// on the bus; the value itself is read with `dconf read`.
    static let gnomeKey = "/org/gnome/desktop/notifications/show-banners"
    static let dconfWriterInterface = "ca.desrt.dconf.Writer"
    static let dconfWriterPath = "/ca/desrt/dconf/Writer/user"
    /// How GNOME Shell names itself in `GetServerInformation`.
    static let gnomeServerName = "gnome-shell"
    /// How long a switch may take to answer before it counts as absent: a server that never
    /// answers must not hold prompts back for good.
    static let quietAnswerTimeout = 5.0

    /// Follows every switch's change signal.
    func subscribeQuiet(_ bus: BusConnection) {
        let properties =
            "type='signal',sender='\(Self.service)',path='\(Self.objectPath)',interface='org.freedesktop.DBus.Properties',"
            + "member='PropertiesChanged'"
        bus.addMatch(properties + ",arg0='\(Self.dunstInterface)'") { [weak self] message in
            _ = message.string()
            if let paused = message.booleanProperties()?["paused"] { self?.record(.dunst, quiet: paused) }
        }
        bus.addMatch(properties + ",arg0='\(Self.service)'") { [weak self] message in
            _ = message.string()
            if let inhibited = message.booleanProperties()?["Inhibited"] { self?.record(.kde, quiet: inhibited) }
        }
        // xfconf announces every setting of every channel: only this one is asked for.
        let xfconf =
            "type='signal',sender='\(Self.xfconfService)',path='\(Self.xfconfPath)',interface='\(Self.xfconfService)',"
            + "arg0='\(Self.xfceChannel)',arg1='\(Self.xfceProperty)'"
        bus.addMatch(xfconf + ",member='PropertyChanged'") { [weak self] message in
            _ = message.string()
            _ = message.string()
            guard let self, self.quiet.reading(.xfce) != .absent, let value = message.variantBool() else { return }
            self.record(.xfce, quiet: value)
        }
        bus.addMatch(xfconf + ",member='PropertyRemoved'") { [weak self] _ in
            // Removed is xfce4-notifyd's default: do-not-disturb off.
            guard let self, self.quiet.reading(.xfce) != .absent else { return }
            self.record(.xfce, quiet: false)
        }
        // dconf says which keys (or folders of keys) were written; the key is read afresh when
        // it is one of them or inside one.
        bus.addMatch(
            "type='signal',path='\(Self.dconfWriterPath)',interface='\(Self.dconfWriterInterface)',member='Notify'"
        ) { [weak self] message in
            guard let self, self.quiet.reading(.gnome) != .absent, let prefix = message.string() else { return }
            let changes = message.strings() ?? [""]
            guard changes.contains(where: { Self.gnomeKey.hasPrefix(prefix + $0) }) else { return }
            self.readGNOME(generation: self.quietGeneration)
        }
    }

    /// Asks the notification server's own switches (dunst's and KDE's; a server without one
    /// answers with an error, and that switch is absent). xfconf waits for the server's name
    /// (``askServerQuiet(serverName:generation:)``). Returns the generation the answers belong to.
    func askQuiet(_ bus: BusConnection) -> Int {
        quietGeneration += 1
        let generation = quietGeneration
        let before = quiet
        quiet.forget()
        for source in DesktopQuiet.Source.allCases { quiet.set(source, .asking) }
        quietChanged(from: before)
        for (source, interface, property) in [
            (DesktopQuiet.Source.dunst, Self.dunstInterface, "paused"), (.kde, Self.service, "Inhibited"),
        ] {
            bus.call(
                destination: Self.service, path: Self.objectPath, interface: "org.freedesktop.DBus.Properties", member: "Get",
                timeout: Self.quietAnswerTimeout,
                arguments: { w in
                    w.append(interface)
                    w.append(property)
                }
            ) { [weak self] reply in
                guard let self, generation == self.quietGeneration else { return }
                if case .success(let message) = reply, let value = message.variantBool() {
                    self.record(source, quiet: value)
                } else {
                    self.record(source, .absent)
                }
            }
        }
        return generation
    }

    /// Reads xfconf's switch when the server is xfce4-notifyd, and GNOME's on a GNOME desktop;
    /// elsewhere each is absent (a setting left behind by another desktop says nothing about
    /// this one).
    func askServerQuiet(serverName: String?, generation: Int) {
        guard generation == quietGeneration else { return }
        if serverName == Self.gnomeServerName || Self.isGNOME(environment) {
            readGNOME(generation: generation)
        } else {
            record(.gnome, .absent)
        }
        guard serverName == Self.xfceServerName, let bus else {
            record(.xfce, .absent)
            return
        }
        bus.call(
            destination: Self.xfconfService, path: Self.xfconfPath, interface: Self.xfconfService, member: "GetProperty",
            timeout: Self.quietAnswerTimeout,
            arguments: { w in
                w.append(Self.xfceChannel)
                w.append(Self.xfceProperty)
            }
        ) { [weak self] reply in
            guard let self, generation == self.quietGeneration else { return }
            switch reply {
            case .success(let message):
                self.record(.xfce, quiet: message.variantBool() ?? false)
            case .failure(let error):
                // Never set is xfce4-notifyd's default: off. Anything else: xfconf cannot say.
                let notSet = error.name == "org.xfce.Xfconf.Error.PropertyNotFound"
                if !notSet { self.log.notice("cannot read xfce4-notifyd's do-not-disturb: \(error.description)") }
                self.record(.xfce, notSet ? .off : .absent)
            }
        }
    }

    /// Whether `XDG_CURRENT_DESKTOP` names GNOME (it is a list: `ubuntu:GNOME`, say).
    static func isGNOME(_ environment: [String: String]) -> Bool {
        (environment["XDG_CURRENT_DESKTOP"] ?? "").split(separator: ":").contains { $0.lowercased() == "gnome" }
    }

    /// Reads GNOME's `show-banners` with `dconf read` (dconf-cli): false is quiet; unset or
    /// true is not. Without dconf, or when it fails, the switch is absent.
    func readGNOME(generation: Int) {
        guard let dconf = ChildProcess.resolve("dconf", path: environment["PATH"] ?? "/usr/bin:/bin") else {
            if quiet.reading(.gnome) == .asking {
                log.notice("GNOME's do-not-disturb cannot be read without dconf (Debian package dconf-cli)")
            }
            record(.gnome, .absent)
            return
        }
        gnomeReads += 1
        let read = gnomeReads
        // The shell turns dconf's printed value into an exit status: 10 quiet, 0 not.
        let script = "value=$(\"$1\" read \"$2\") || exit 2; [ \"$value\" = false ] && exit 10; exit 0"
        do {
            try ChildProcess.spawn(
                ["/bin/sh", "-c", script, "sh", dconf, Self.gnomeKey], environment: environment,
                timeLimit: Self.quietAnswerTimeout, queue: queue
            ) { [weak self] outcome, _ in
                guard let self, generation == self.quietGeneration, read == self.gnomeReads else { return }
                switch outcome {
                case .exited(10): self.record(.gnome, quiet: true)
                case .exited(0): self.record(.gnome, quiet: false)
                default:
                    self.log.notice("cannot read GNOME's do-not-disturb (dconf read \(Self.gnomeKey) \(outcome))")
                    self.record(.gnome, .absent)
                }
            }
        } catch {
            log.notice("cannot read GNOME's do-not-disturb: \(error.description)")
            record(.gnome, .absent)
        }
    }

    private func record(_ source: DesktopQuiet.Source, quiet value: Bool) {
        record(source, value ? .quiet : .off)
    }

    private func record(_ source: DesktopQuiet.Source, _ reading: DesktopQuiet.Reading) {
        let before = quiet
        quiet.set(source, reading)
        quietChanged(from: before)
    }

    /// Says what changed: notifications may be shown again (``onReady``), or quiet ended with no
    /// server to show them (``onQuietEnded``), so the other channels need not wait for one.
    func quietChanged(from before: DesktopQuiet) {
        guard before != quiet else { return }
        for source in DesktopQuiet.Source.allCases where before.reading(source) != quiet.reading(source) {
            switch (before.reading(source), quiet.reading(source)) {
            case (_, .quiet): log.info("do-not-disturb is on (\(source.rawValue))")
            case (.quiet, _): log.info("do-not-disturb ended (\(source.rawValue))")
            default: break
            }
        }
        if !before.allowsNotifications && quiet.allowsNotifications && server != nil {
            onReady?()
        } else if before.isQuiet && !quiet.isQuiet {
            onQuietEnded?()
        }
        settleIfKnown()
    }
}
