import CICal
import Foundation
import KindlingCore

/// What reading the person's calendar (`[calendar] path`) found.
public struct CalendarSnapshot: Sendable, Equatable {
    /// The configured path: an `.ics` file or a folder of them.
    public var path: String
    /// The files that were read, in order.
    public var files: [String] = []
    /// Every busy instance that overlaps ``horizon``, sorted; not merged (see
    /// ``BusyPeriod/merged(_:closerThan:)``).
    public var busy: [BusyPeriod] = []
    /// How many events (VEVENTs, every kind) the files hold.
    public var eventCount = 0
    /// One line for each file (or folder) that could not be read: what, where, how to fix.
    public var problems: [String] = []
    /// The span the recurrences were expanded over.
    public var horizon: BusyPeriod

    public init(path: String, horizon: BusyPeriod) {
        self.path = path
        self.horizon = horizon
    }
}

/// Why one calendar file was not used.
public struct CalendarReadError: Error, Sendable, Equatable, CustomStringConvertible {
    public var description: String
    /// The line of the file (from 1) the problem is on, when it can be told.
    public var line: Int?
    public init(_ description: String, line: Int? = nil) {
        self.description = description
        self.line = line
    }
}

/// Reads iCalendar files with libical and turns them into busy periods over a bounded horizon.
///
/// Everything calendar-shaped is libical's: parsing, TZID zones (the file's VTIMEZONE or the
/// system's zoneinfo), RRULE and RDATE expansion, EXDATE (`icalcomponent_foreach_recurrence`).
/// This type only chooses what counts as busy: an event that is not all-day, not
/// `TRANSP:TRANSPARENT` (free) and not `STATUS:CANCELLED`; an instance moved or cancelled by an
/// override (`RECURRENCE-ID`) is replaced by the override.
public enum CalendarReader {
    /// A calendar file larger than this is refused, not read.
    public static let maximumFileSize = 20 * 1024 * 1024
    /// How far back and ahead of now recurrences are expanded (a rule without an end is
    /// never followed further); the daemon reads again before the horizon runs out.
    public static let horizonBack: TimeInterval = 86_400
    public static let horizonAhead: TimeInterval = 14 * 86_400

    /// libical keeps global state (its error number, the zone cache): one call at a time,
    /// whichever thread a test runs on. The daemon calls from its one queue only.
    private static let lock = NSLock()

    /// Reads `path` (a file, or a folder's `*.ics` files) for the horizon around `now`.
    /// `floatingZone`: the zone of times written without one (the person's zone).
    /// Never throws: what cannot be read is listed in ``CalendarSnapshot/problems``.
    public static func load(path: String, now: Date, floatingZone: TimeZone) -> CalendarSnapshot {
        let horizon = BusyPeriod(start: now.addingTimeInterval(-horizonBack), end: now.addingTimeInterval(horizonAhead))
        var snapshot = CalendarSnapshot(path: path, horizon: horizon)
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else {
            snapshot.problems.append("\(path): no such file or folder; check [calendar] path in the config")
            return snapshot
        }
        var files: [String] = []
        if isFolder.boolValue {
            do {
                files = try FileManager.default.contentsOfDirectory(atPath: path)
                    .filter { $0.lowercased().hasSuffix(".ics") && !$0.hasPrefix(".") }
                    .sorted()
                    .map { (path as NSString).appendingPathComponent($0) }
            } catch {
                snapshot.problems.append("\(path): the folder cannot be read; check that it is yours and readable")
                return snapshot
            }
        } else {
            files = [path]
        }
        for file in files {
            do throws(CalendarReadError) {
                let text = try contents(of: file)
                let found = try read(text, from: horizon.start, to: horizon.end, floatingZone: floatingZone)
                snapshot.files.append(file)
                snapshot.busy += found.busy
                snapshot.eventCount += found.events
            } catch {
                snapshot.problems.append("\(file)\(error.line.map { ":\($0)" } ?? ""): \(error.description)")
            }
        }
        snapshot.busy.sort()
        // libical builds a tree of many small allocations (some 10 MB for a 1 MB file); once
        // freed they would stay in the heap and the daemon's memory would keep the size of the
        // largest calendar it ever read.
        kindling_ical_release_free_memory()
        return snapshot
    }

    /// The bytes of one calendar file, refused above ``maximumFileSize``.
    static func contents(of file: String) throws(CalendarReadError) -> Data {
        // A calendar linked from elsewhere (a symbolic link) is read where it points.
        let file = (file as NSString).resolvingSymlinksInPath
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: file),
            let size = (attributes[.size] as? NSNumber)?.intValue
        else { throw CalendarReadError("cannot be read; check that it exists and is yours") }
        guard attributes[.type] as? FileAttributeType == .typeRegular else {
            throw CalendarReadError("is not a regular file")
        }
        guard size <= maximumFileSize else {
            throw CalendarReadError(
                "is \(String(format: "%.1f", Double(size) / 1_048_576)) MB; Kindling reads calendar files of up to "
                    + "\(maximumFileSize / 1_048_576) MB, so export a shorter range of your calendar")
        }
        guard let data = FileManager.default.contents(atPath: file) else {
            throw CalendarReadError("cannot be read; check that it is yours and readable")
        }
        return data
    }

    /// The busy instances in `text` (one iCalendar file) overlapping `[from, to)`, and how many
    /// events it holds. Throws when libical finds the file malformed.
    public static func read(
        _ text: Data, from: Date, to: Date, floatingZone: TimeZone
    ) throws(CalendarReadError) -> (busy: [BusyPeriod], events: Int) {
        lock.lock()
        defer { lock.unlock() }
        // Errors are reported through icalerrno and X-LIC-ERROR properties, never by abort().
        icalerror_set_errors_are_fatal(0)
        var bytes = [UInt8](text)
        bytes.append(0)
        guard
            let root = bytes.withUnsafeBufferPointer({ buffer in
                buffer.baseAddress!.withMemoryRebound(to: CChar.self, capacity: buffer.count) { icalparser_parse_string($0) }
            })
        else { throw CalendarReadError("is not an iCalendar file (no BEGIN:VCALENDAR ... END:VCALENDAR)") }
        defer {
            icalcomponent_free(root)
            icalmemory_free_ring()
        }
        var calendars: [OpaquePointer] = []
        switch icalcomponent_isa(root) {
        case ICAL_VCALENDAR_COMPONENT: calendars = [root]
        case ICAL_XROOT_COMPONENT:
            var child = icalcomponent_get_first_component(root, ICAL_VCALENDAR_COMPONENT)
            while let calendar = child {
                calendars.append(calendar)
                child = icalcomponent_get_next_component(root, ICAL_VCALENDAR_COMPONENT)
            }
        default: break
        }
        guard !calendars.isEmpty else {
            throw CalendarReadError("is not an iCalendar file (no BEGIN:VCALENDAR ... END:VCALENDAR)")
        }
        if icalcomponent_count_errors(root) > 0 {
            let message = firstError(in: root) ?? "libical could not parse part of it"
            throw CalendarReadError(
                "is malformed: \(message); fix or remove the file (the rest of the calendar is used)",
                line: line(of: message, in: text))
        }
        let zone = icaltimezone_get_builtin_timezone(floatingZone.identifier)
        var busy: [BusyPeriod] = []
        var events = 0
        for calendar in calendars {
            let found = try expand(calendar, from: from, to: to, floatingZone: zone)
            busy += found.busy
            events += found.events
        }
        // libical reports what overlaps, ends included; keep what truly falls in [from, to).
        return (busy.filter { $0.end > from && $0.start < to }.sorted(), events)
    }

    /// The busy instances of one VCALENDAR.
    private static func expand(
        _ calendar: OpaquePointer, from: Date, to: Date, floatingZone: OpaquePointer?
    ) throws(CalendarReadError) -> (busy: [BusyPeriod], events: Int) {
        var masters: [OpaquePointer] = []
        var overrides: [String: [OpaquePointer]] = [:]
        var child = icalcomponent_get_first_component(calendar, ICAL_VEVENT_COMPONENT)
        while let event = child {
            if icaltime_is_null_time(icalcomponent_get_recurrenceid(event)) == 0 {
                overrides[uid(of: event), default: []].append(event)
            } else {
                masters.append(event)
            }
            child = icalcomponent_get_next_component(calendar, ICAL_VEVENT_COMPONENT)
        }
        let collector = SpanCollector()
        let fromSeconds = Int64(from.timeIntervalSince1970.rounded(.down))
        let toSeconds = Int64(to.timeIntervalSince1970.rounded(.up))
        for event in masters {
            let moved = overrides[uid(of: event)] ?? []
            // An instance an override replaces is left out here; the override stands for it.
            collector.replaced = Set(moved.map { kindling_ical_seconds(icalcomponent_get_recurrenceid($0), floatingZone) })
            if isBusy(event) {
                try collect(event, into: collector, from: fromSeconds, to: toSeconds, floatingZone: floatingZone)
            }
        }
        collector.replaced = []
        for event in overrides.values.joined() where isBusy(event) {
            try collect(event, into: collector, from: fromSeconds, to: toSeconds, floatingZone: floatingZone)
        }
        return (collector.spans, masters.count + overrides.values.reduce(0) { $0 + $1.count })
    }

    private static func collect(
        _ event: OpaquePointer, into collector: SpanCollector, from: Int64, to: Int64, floatingZone: OpaquePointer?
    ) throws(CalendarReadError) {
        // Every event libical expands, an override (which may carry rules of its own) as much as
        // a master.
        try checkRepeats(event, to: to, floatingZone: floatingZone)
        // libical expands a time without a zone as if it were UTC; it means the person's zone.
        collector.isFloating = kindling_ical_is_floating(icalcomponent_get_dtstart(event)) != 0
        collector.floatingZone = floatingZone
        let context = Unmanaged.passUnretained(collector).toOpaque()
        kindling_ical_foreach_instance(
            event, from, to,
            { start, end, context in
                guard let context else { return }
                Unmanaged<SpanCollector>.fromOpaque(context).takeUnretainedValue().add(start: start, end: end)
            }, context)
    }

    /// The most repetitions of a rule libical may step through to reach the horizon. It steps
    /// from the event's first instance, one by one, so a weekly rule begun in the year 226 (or a
    /// minutely one begun last year) would hold the daemon for many seconds; a weekly series
    /// begun 380 years ago, or a daily one begun 54 years ago, is still read.
    static let maximumRepetitions: Int64 = 20_000

    /// Refuses an event whose rules would take libical too long to expand up to `to`: its RRULEs,
    /// and its EXRULEs too, which libical steps through from the first instance for each instance
    /// it weighs.
    private static func checkRepeats(_ event: OpaquePointer, to: Int64, floatingZone: OpaquePointer?) throws(CalendarReadError) {
        let start = kindling_ical_seconds(icalcomponent_get_dtstart(event), floatingZone)
        for kind in [ICAL_RRULE_PROPERTY, ICAL_EXRULE_PROPERTY] {
            var property = icalcomponent_get_first_property(event, kind)
            while let rule = property {
                let recurrence = kind == ICAL_RRULE_PROPERTY ? icalproperty_get_rrule(rule) : icalproperty_get_exrule(rule)
                // Read only on the way out: icalcomponent_get_uid moves the component's one
                // property cursor, which this loop walks.
                var name: String { plainLine(uid(of: event)) }
                let keepsToDays = kindling_ical_keeps_to_days(recurrence) != 0
                if isSubDaily(recurrence), keepsToDays {
                    // libical may step through centuries of seconds, minutes or hours looking
                    // for a day such a rule keeps to.
                    throw CalendarReadError(
                        "has an event\(name.isEmpty ? "" : " (\(name))") that repeats by the hour or more often on chosen "
                            + "days or months, which Kindling cannot follow; repeat it daily or weekly instead")
                }
                if repetitions(of: recurrence, keepsToDays: keepsToDays, from: start, to: to) > maximumRepetitions {
                    throw CalendarReadError(
                        "has a repeating event\(name.isEmpty ? "" : " (\(name))") that starts too long before today to be followed "
                            + "(more than \(maximumRepetitions) repetitions); give it a later start or an end")
                }
                property = icalcomponent_get_next_property(event, kind)
            }
        }
    }

    private static func isSubDaily(_ recurrence: icalrecurrencetype) -> Bool {
        recurrence.freq == ICAL_SECONDLY_RECURRENCE || recurrence.freq == ICAL_MINUTELY_RECURRENCE
            || recurrence.freq == ICAL_HOURLY_RECURRENCE
    }

    /// About how many instances libical goes through in `recurrence` from `start` to `to`.
    private static func repetitions(
        of recurrence: icalrecurrencetype, keepsToDays: Bool, from start: Int64, to: Int64
    ) -> Int64 {
        let step: Int64
        switch recurrence.freq {
        case ICAL_SECONDLY_RECURRENCE: step = 1
        case ICAL_MINUTELY_RECURRENCE: step = 60
        case ICAL_HOURLY_RECURRENCE: step = 3_600
        case ICAL_DAILY_RECURRENCE: step = 86_400
        case ICAL_WEEKLY_RECURRENCE: step = 604_800
        case ICAL_MONTHLY_RECURRENCE: step = 2_419_200
        default: step = 31_536_000
        }
        // A COUNT bounds the steps only where every step yields an instance.
        if !keepsToDays, recurrence.count > 0, Int64(recurrence.count) <= maximumRepetitions {
            return Int64(recurrence.count)
        }
        // BY lists finer than the FREQ multiply what each step yields (BYMINUTE in a daily
        // rule: up to 60 instances a day).
        let perStep = kindling_ical_instances_per_step(recurrence)
        let steps = (to - start) / (step * Int64(max(1, recurrence.interval)))
        return steps > maximumRepetitions ? steps : steps * perStep
    }

    /// Whether an event holds the person's time: timed (not all-day), not free, not cancelled.
    private static func isBusy(_ event: OpaquePointer) -> Bool {
        let start = icalcomponent_get_dtstart(event)
        guard icaltime_is_null_time(start) == 0, icaltime_is_date(start) == 0 else { return false }
        if icalcomponent_get_status(event) == ICAL_STATUS_CANCELLED { return false }
        if let transp = icalcomponent_get_first_property(event, ICAL_TRANSP_PROPERTY) {
            let value = icalproperty_get_transp(transp)
            if value == ICAL_TRANSP_TRANSPARENT || value == ICAL_TRANSP_TRANSPARENTNOCONFLICT { return false }
        }
        return true
    }

    private static func uid(of event: OpaquePointer) -> String {
        icalcomponent_get_uid(event).map { String(cString: $0) } ?? ""
    }

    /// libical quotes the offending input in its messages: one plain line, of bounded length,
    /// that cannot drive a terminal or split a log entry.
    static func plainLine(_ text: String) -> String {
        let scalars = text.unicodeScalars.map { scalar in
            scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value) ? " " : Character(scalar)
        }
        let line = String(scalars).trimmingCharacters(in: .whitespaces)
        return line.count > 200 ? String(line.prefix(200)) + "..." : line
    }

    /// The line (from 1) that libical's error `message` is about, or nil when it cannot be
    /// told. libical keeps no positions, but its messages end with the text it could not read
    /// ("Parse error in property name: DTSTRT", "Can't parse as DATE-TIME value in DTEND
    /// property. ...: 2026xx01T110000Z"): the first line holding that text (on the named
    /// property's line, when the message names one). A text folded over two lines is not found.
    static func line(of message: String, in text: Data) -> Int? {
        guard let colon = message.range(of: ": ", options: .backwards) else { return nil }
        let token = message[colon.upperBound...].trimmingCharacters(in: .whitespaces)
        guard !token.isEmpty, !token.hasSuffix("...") else { return nil }
        var property: String?
        if let inWord = message.range(of: " in "),
            let end = message.range(of: " property", range: inWord.upperBound..<message.endIndex)
        {
            property = message[inWord.upperBound..<end.lowerBound].uppercased()
        }
        // "\r\n" is one Character in Swift: split on every kind of line end.
        let lines = String(decoding: text, as: UTF8.self).split(
            omittingEmptySubsequences: false, whereSeparator: \.isNewline)
        let holding = lines.indices.filter { lines[$0].contains(token) }
        let onProperty = holding.first { index in property.map { lines[index].uppercased().hasPrefix($0) } ?? true }
        return (onProperty ?? holding.first).map { $0 + 1 }
    }

    /// The text of the first X-LIC-ERROR libical left in the tree, depth first.
    private static func firstError(in component: OpaquePointer) -> String? {
        if let property = icalcomponent_get_first_property(component, ICAL_XLICERROR_PROPERTY),
            let text = icalproperty_get_xlicerror(property)
        {
            return plainLine(String(cString: text))
        }
        var child = icalcomponent_get_first_component(component, ICAL_ANY_COMPONENT)
        while let inner = child {
            if let found = firstError(in: inner) { return found }
            child = icalcomponent_get_next_component(component, ICAL_ANY_COMPONENT)
        }
        return nil
    }
}

/// Gathers the instances libical reports for one event (through the C callback's context).
private final class SpanCollector {
    var spans: [BusyPeriod] = []
    /// Instance starts (seconds) an override replaces.
    var replaced: Set<Int64> = []
    var isFloating = false
    var floatingZone: OpaquePointer?

    func add(start: Int64, end: Int64) {
        var start = start
        var end = end
        if isFloating {
            start = kindling_ical_floating_seconds(start, floatingZone)
            end = kindling_ical_floating_seconds(end, floatingZone)
        }
        guard !replaced.contains(start), end > start else { return }
        spans.append(
            BusyPeriod(
                start: Date(timeIntervalSince1970: TimeInterval(start)), end: Date(timeIntervalSince1970: TimeInterval(end))))
    }
}
