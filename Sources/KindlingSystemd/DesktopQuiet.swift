/// The desktop's do-not-disturb, read from every place a notification server keeps it.
///
/// Each server has its own switch (dunst's `paused`, xfce4-notifyd's xfconf setting, KDE's
/// `Inhibited`, GNOME's `show-banners`), so each is a ``Source`` with its own ``Reading``. The desktop is quiet while
/// any source says so; a source that is not there counts as not quiet. The state is known once
/// every source that is there has answered, so a notification is never sent in the moment
/// before a server's switch has been read.
public struct DesktopQuiet: Sendable, Equatable {
    /// Where a do-not-disturb switch is read.
    public enum Source: String, Sendable, CaseIterable {
        /// dunst: the `paused` property of `org.dunstproject.cmd0` on the server's object.
        case dunst
        /// KDE Plasma: the `Inhibited` property of `org.freedesktop.Notifications`.
        case kde
        /// xfce4-notifyd: `/do-not-disturb` in its xfconf channel (`org.xfce.Xfconf`).
        case xfce = "xfce4-notifyd"
        /// GNOME: `show-banners` false in `org.gnome.desktop.notifications`, kept in dconf.
        case gnome
    }

    /// What one source says.
    public enum Reading: String, Sendable, Equatable {
        /// Not on this desktop (the server has no such switch, or did not answer in time).
        case absent
        /// Asked; the answer has not come yet.
        case asking
        /// There, and not in do-not-disturb.
        case off
        /// There, and in do-not-disturb.
        case quiet
    }

    /// Every source's reading; a source never asked is absent.
    public private(set) var readings: [Source: Reading] = [:]

    public init() {}

    /// What `source` says now.
    public func reading(_ source: Source) -> Reading { readings[source] ?? .absent }

    /// Whether any source says do-not-disturb.
    public var isQuiet: Bool { readings.values.contains(.quiet) }

    /// Whether every source that is there has answered.
    public var isKnown: Bool { !readings.values.contains(.asking) }

    /// Whether a notification may be shown now: everything answered, and nothing quiet.
    public var allowsNotifications: Bool { isKnown && !isQuiet }

    /// The sources in do-not-disturb, in ``Source`` order.
    public var quietSources: [Source] { Source.allCases.filter { reading($0) == .quiet } }

    /// Records what `source` says.
    public mutating func set(_ source: Source, _ reading: Reading) {
        readings[source] = reading == .absent ? nil : reading
    }

    /// Records a source's boolean answer: true is quiet.
    public mutating func set(_ source: Source, quiet: Bool) {
        set(source, quiet ? .quiet : .off)
    }

    /// Every source absent (the server went away: its switches went with it).
    public mutating func forget() {
        readings.removeAll()
    }
}
