import Foundation
import ProcessFixture
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// `kindling report` on the built binaries against a real kindlingd holding a year of generated
/// practice, and the page drawn by a real browser (headless Chromium, Debian's `chromium`).
@Suite(.serialized) struct ReportCommandTests {
    typealias Sandbox = DaemonProcessTests.Sandbox

    /// Made-up words, nobody's: each holds a word found nowhere else, so a page that holds any
    /// of them holds the journal's words.
    static let intentions = [
        "Send Tamsin a note about her exam", "Be patient with myself at the Quarrington meeting",
        "Listen fully when Oduya talks", "Take the lunch break without the laptop",
    ]
    static let reflections = [
        "The note to Tamsin made us both laugh", "Let the Quarrington slides be good enough",
        "Oduya said it helped to be heard", "A slow walk by the Fennick canal",
    ]
    static let notes = [
        "Held the lift for a neighbour with Brackwell boxes", "A stranger returned my Lanthorn glove",
        "Left a kind review for the Pellory bakery", "My sister sent a Wickmere photo",
    ]
    static let nudges = ["Complimented the Thistlebrook librarian", "Made tea for the Orrin night shift"]
    static var allWords: [String] { intentions + reflections + notes + nudges }

    /// The person's dates as the daemon (TZ=UTC) sees them.
    static func utcDate(daysAgo: Int) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withFullDate]
        formatter.timeZone = TimeZone(identifier: "UTC")
        return formatter.string(from: Date().addingTimeInterval(-Double(daysAgo) * 86_400))
    }

    /// A year of daily practice ending yesterday, as an export to import: most days an intention,
    /// a reflection with mood and energy, a note, and every other day an answered nudge (about
    /// 1,100 entries). Every ninth day rests.
    static func yearOfPractice() -> (jsonl: String, entries: Int) {
        var lines = [#"{"kindling_export":1,"version":"0.1.0","exported_at":"2026-11-21T12:00:00.000+00:00"}"#]
        func entry(
            _ type: String, _ date: String, _ time: String, _ text: String, slot: String? = nil, kind: String? = nil,
            mood: Int? = nil, energy: Int? = nil
        ) {
            func quoted(_ value: String?) -> String { value.map { "\"\($0)\"" } ?? "null" }
            lines.append(
                #"{"type":"\#(type)","at":"\#(date)T\#(time):00.000+00:00","local_date":"\#(date)","text":"\#(text)","slot":\#(quoted(slot)),"kind":\#(quoted(kind)),"mood":\#(mood.map(String.init) ?? "null"),"energy":\#(energy.map(String.init) ?? "null")}"#
            )
        }
        for daysAgo in stride(from: 365, through: 1, by: -1) where daysAgo % 9 != 4 {
            let date = utcDate(daysAgo: daysAgo)
            let wave = sin(Double(daysAgo) / 19)
            let mood = min(5, max(1, Int((3.2 + 1.3 * wave + Double(daysAgo % 3 - 1) * 0.6).rounded())))
            let energy = min(5, max(1, Int((2.9 + 1.2 * cos(Double(daysAgo) / 23) + Double(daysAgo % 4 - 1) * 0.4).rounded())))
            entry("answer", date, "08:05", intentions[daysAgo % intentions.count], slot: "intention")
            if daysAgo % 2 == 0 { entry("answer", date, "12:30", nudges[daysAgo % nudges.count], slot: "nudge") }
            entry("note", date, "15:00", notes[daysAgo % notes.count], kind: daysAgo % 3 == 0 ? "received" : "given")
            entry(
                "answer", date, "21:10", reflections[daysAgo % reflections.count], slot: "reflection", mood: mood, energy: energy)
        }
        return (lines.joined(separator: "\n") + "\n", lines.count - 1)
    }

    /// A daemon holding the year.
    private func yearDaemon() throws -> (Sandbox, TestProcess) {
        let sandbox = try Sandbox()
        let daemon = try sandbox.startDaemon()
        let year = Self.yearOfPractice()
        let file = sandbox.root + "/year.jsonl"
        try year.jsonl.write(toFile: file, atomically: true, encoding: .utf8)
        let imported = try run(binDirectory + "/kindling", ["import", file], environment: sandbox.environment, timeout: 120)
        #expect(imported.status == 0, "\(imported)")
        #expect(year.entries >= 1_050, "\(year.entries) entries")
        return (sandbox, daemon)
    }

    /// Anything that would make a browser fetch, or name a place to fetch from.
    static func references(in page: String) -> [String] {
        let lower = page.lowercased().replacingOccurrences(of: "http-equiv", with: "")
        return ["http", "//", "src=", "href=", "url(", "@import", "<script", "<link", "<img", "<iframe", "data:"]
            .filter { lower.contains($0) }
    }

    @Test func aYearOfPracticeIsDrawnInARealBrowser() throws {
        let chromium = "/usr/bin/chromium"
        guard FileManager.default.isExecutableFile(atPath: chromium) else {
            throw TestSetupError("\(chromium) is missing (Debian package chromium); run `make test`, which installs it")
        }
        let (sandbox, daemon) = try yearDaemon()
        defer { daemon.stopAndWait() }
        let page = sandbox.root + "/report.html"
        // Timed: the whole command, as a person runs it (process start, request, render, write).
        var seconds: [Double] = []
        for _ in 0..<10 {
            let outcome = try sandbox.kindling("report", "-o", page, "--force")
            #expect(outcome.status == 0, "\(outcome)")
            #expect(outcome.stderr.isEmpty, "quiet without a terminal: \(outcome.stderr)")
            seconds.append(outcome.seconds)
        }
        seconds.sort()
        let html = try String(contentsOfFile: page, encoding: .utf8)
        let bytes = html.utf8.count
        print(
            "measured: kindling report of a year (\(Self.yearOfPractice().entries) entries): median \(Int(seconds[5] * 1000)) ms, "
                + "min \(Int(seconds[0] * 1000)) ms, max \(Int(seconds[9] * 1000)) ms (n=10); page \(bytes) bytes")
        #expect(bytes < 300_000, "\(bytes) bytes")
        #expect(Self.references(in: html).isEmpty, "\(Self.references(in: html))")
        for words in Self.allWords {
            for word in words.split(separator: " ") where word.first!.isUppercase && word.count > 4 {
                #expect(!html.contains(word), "\(word) is on the page without --with-text")
            }
        }

        // A browser draws it: the calendar holds practised days, the chart both lines.
        let calendar = try Self.screenshot(page, anchor: "days", chromium: chromium, name: "kindling-report-calendar")
        let filled = calendar.count { Self.near($0, 0xF7D6AD) || Self.near($0, 0xEEAA62) || Self.near($0, 0xD9822B) }
        #expect(filled > 5_000, "the calendar has \(filled) pixels of practised days")
        // The chart, in the whole page (rows 900 to 1200 of a 1000-pixel-wide shot).
        let whole = try Self.screenshot(page, anchor: nil, chromium: chromium, name: "kindling-report-whole", height: 1_500)
        let chart = Array(whole[(900 * 1_000)..<(1_200 * 1_000)])
        let mood = chart.count { Self.near($0, 0xD9822B, by: 40) }
        let energy = chart.count { Self.near($0, 0x3F7F8C, by: 40) }
        #expect(mood > 1_000 && energy > 1_000, "the chart has \(mood) mood and \(energy) energy pixels")
        let full = try Self.screenshot(page, anchor: nil, chromium: chromium, name: "kindling-report", height: 1_500)
        #expect(full.count > 0)

        // The same regions of an empty journal's page have none of it: the checks can fail.
        let quiet = try Sandbox()
        let quietDaemon = try quiet.startDaemon()
        defer { quietDaemon.stopAndWait() }
        let emptyPage = quiet.root + "/empty.html"
        #expect(try quiet.kindling("report", "--since", Self.utcDate(daysAgo: 60), "-o", emptyPage).status == 0)
        let blank = try Self.screenshot(emptyPage, anchor: "days", chromium: chromium, name: "kindling-report-empty")
        #expect(blank.count { Self.near($0, 0xF7D6AD) || Self.near($0, 0xEEAA62) || Self.near($0, 0xD9822B) } < 200)
    }

    @Test func wordsAreOnThePageOnlyWhenAsked() throws {
        let (sandbox, daemon) = try yearDaemon()
        defer { daemon.stopAndWait() }
        let since = Self.utcDate(daysAgo: 20)
        let shared = sandbox.root + "/shared.html"
        #expect(try sandbox.kindling("report", "--since", since, "--with-text", "-o", shared).status == 0)
        let html = try String(contentsOfFile: shared, encoding: .utf8)
        #expect(Self.allWords.contains { html.contains($0) }, "--with-text holds the words")
        #expect(html.contains("<h2>Words from the journal</h2>"))
        #expect(Self.references(in: html).isEmpty)

        // One chosen entry: its words and no others.
        let journal = try sandbox.kindling("journal", "--json", "--since", since)
        let id = try #require(journal.stdout.components(separatedBy: "\"id\" : ").dropFirst().first?.prefix { $0.isNumber })
        let chosen = sandbox.root + "/chosen.md"
        let picked = try sandbox.kindling("report", "--entry", String(id), "--format", "markdown", "-o", chosen)
        #expect(picked.status == 0, "\(picked)")
        let markdown = try String(contentsOfFile: chosen, encoding: .utf8)
        let texts = Self.allWords.filter { markdown.contains($0) }
        #expect(texts.count == 1, "\(texts)")
        #expect(markdown.contains("## Words from the journal"))

        let plain = try sandbox.kindling("report", "--format", "markdown", "-o", "-")
        #expect(plain.status == 0 && plain.stdout.hasPrefix("# Kindness practice"), "\(plain)")
        #expect(!Self.allWords.contains { plain.stdout.contains($0) })
    }

    @Test func theFileIsPrivateAndNeverReplacedUnasked() throws {
        let sandbox = try Sandbox()
        let daemon = try sandbox.startDaemon()
        defer { daemon.stopAndWait() }
        #expect(try sandbox.kindling("note", "--given", "Walked the Haverlock dog").status == 0)
        let folder = sandbox.root + "/out"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        func inFolder(_ arguments: String) throws -> Outcome {
            try run(
                "/bin/sh", ["-c", "cd '\(folder)' && exec '\(binDirectory)/kindling' report \(arguments)"],
                environment: sandbox.environment)
        }
        let made = try inFolder("")
        #expect(made.status == 0 && made.stderr.isEmpty && made.stdout.isEmpty, "\(made)")
        let names = try FileManager.default.contentsOfDirectory(atPath: folder)
        let name = try #require(names.first)
        #expect(names == ["kindling-report-\(Self.utcDate(daysAgo: 0)).html"], "\(names)")
        var info = stat()
        #expect(
            stat(folder + "/" + name, &info) == 0 && info.st_mode & 0o777 == 0o600,
            "mode \(String(info.st_mode & 0o777, radix: 8))")
        let before = try Data(contentsOf: URL(fileURLWithPath: folder + "/" + name))
        #expect(!String(decoding: before, as: UTF8.self).contains("Haverlock"))

        // Without a terminal to ask on, an existing file is kept; --force replaces it.
        #expect(try sandbox.kindling("note", "Another day").status == 0)
        let kept = try inFolder("--with-text")
        #expect(kept.status == 2 && kept.stderr.contains("--force"), "\(kept)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: folder + "/" + name)) == before)
        #expect(try inFolder("--with-text --force").status == 0)
        #expect(try String(contentsOfFile: folder + "/" + name, encoding: .utf8).contains("Haverlock"))
        #expect(try inFolder("--format markdown").status == 0)
        #expect(FileManager.default.fileExists(atPath: folder + "/kindling-report-\(Self.utcDate(daysAgo: 0)).md"))

        // Contradictions and bad dates are usage mistakes, one line each.
        for arguments in [
            ["--no-text", "--entry", "3"], ["--with-text", "--no-text"], ["--since", "someday"], ["--format", "pdf"],
        ] {
            let refused = try run(binDirectory + "/kindling", ["report"] + arguments, environment: sandbox.environment)
            #expect(refused.status == 2, "\(arguments): \(refused)")
        }
        let unknown = try sandbox.kindling("report", "--entry", "9999", "-o", sandbox.root + "/x.html")
        #expect(unknown.status == 1 && unknown.stderr.contains("9999"), "\(unknown)")
        #expect(!FileManager.default.fileExists(atPath: sandbox.root + "/x.html"))

        let json = try sandbox.kindling("report", "--json")
        #expect(json.status == 0 && json.stdout.contains("\"days\"") && json.stdout.contains("\"entries\" : null"), "\(json)")
    }

    @Test func onATerminalOneLineSaysWhatThePageHolds() throws {
        #expect(FileManager.default.isExecutableFile(atPath: "/usr/bin/script"), "script (util-linux) is missing")
        let sandbox = try Sandbox()
        let daemon = try sandbox.startDaemon()
        defer { daemon.stopAndWait() }
        #expect(try sandbox.kindling("note", "--received", "A Corrigan friend checked in").status == 0)
        let page = sandbox.root + "/tty.html"
        let session = try run(
            "/bin/sh", ["-c", "timeout 20 script -q -e -c '\(binDirectory)/kindling report -o \(page)' /dev/null"],
            environment: sandbox.environment)
        #expect(session.status == 0, "\(session)")
        #expect(session.stdout.contains("Writing \(page) ("), "\(session.stdout)")
        #expect(session.stdout.contains("none of the words you wrote"), "\(session.stdout)")
        #expect(session.stdout.contains("Saved."), "\(session.stdout)")
        #expect(FileManager.default.fileExists(atPath: page))
    }

    @Test func helpDescribesTheReport() throws {
        let root = try run(binDirectory + "/kindling", ["--help"], environment: ["PATH": "/usr/bin:/bin"])
        #expect(root.stdout.contains("  report "), "--help does not list report")
        let help = try run(binDirectory + "/kindling", ["report", "--help"], environment: ["PATH": "/usr/bin:/bin"])
        #expect(help.status == 0, "\(help)")
        // Help is wrapped to a width: compare words.
        let words = help.stdout.split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
        for option in [
            "--since <DATE>", "--until <DATE>", "--with-text", "--no-text", "--entry <ID>", "--format <FORMAT>",
            "--output <FILE>", "--force", "--json", "fetches nothing", "mode 0600",
        ] {
            #expect(words.contains(option), "report --help lacks \(option)")
        }
    }

    // MARK: - Pixels

    /// An 8-bit RGB pixel, 0xRRGGBB.
    typealias Pixel = UInt32

    static func near(_ pixel: Pixel, _ colour: Pixel, by tolerance: Int = 8) -> Bool {
        for shift in [16, 8, 0] {
            let a = Int((pixel >> UInt32(shift)) & 0xFF)
            let b = Int((colour >> UInt32(shift)) & 0xFF)
            if abs(a - b) > tolerance { return false }
        }
        return true
    }

    /// Chromium draws `page` (scrolled to `anchor`) into a PNG left in the artifacts folder;
    /// ImageMagick turns it into pixels.
    static func screenshot(_ page: String, anchor: String?, chromium: String, name: String, height: Int = 420) throws -> [Pixel] {
        try FileManager.default.createDirectory(atPath: artifactsDirectory, withIntermediateDirectories: true)
        let png = artifactsDirectory + "/\(name).png"
        try? FileManager.default.removeItem(atPath: png)
        let profile = try makePrivateDirectory("kindling-chromium")
        defer { try? FileManager.default.removeItem(atPath: profile) }
        let url = "file://" + page + (anchor.map { "#" + $0 } ?? "")
        let shot = try run(
            chromium,
            [
                "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--no-first-run", "--disable-extensions",
                "--user-data-dir=\(profile)", "--window-size=1000,\(height)", "--screenshot=\(png)", url,
            ],
            environment: ["PATH": "/usr/bin:/bin", "HOME": profile], timeout: 120)
        guard FileManager.default.fileExists(atPath: png) else { throw TestSetupError("chromium made no screenshot: \(shot)") }
        let ppm = png + ".ppm"
        defer { try? FileManager.default.removeItem(atPath: ppm) }
        let converted = try run("/usr/bin/convert", [png, "-depth", "8", "ppm:" + ppm], environment: ["PATH": "/usr/bin:/bin"])
        guard converted.status == 0 else { throw TestSetupError("convert could not read the screenshot: \(converted)") }
        return try pixels(ofPPM: Data(contentsOf: URL(fileURLWithPath: ppm)))
    }

    /// The pixels of a binary PPM (P6, 8 bits).
    static func pixels(ofPPM data: Data) throws -> [Pixel] {
        let bytes = [UInt8](data)
        var fields: [String] = []
        var index = 0
        while fields.count < 4, index < bytes.count {
            while index < bytes.count, bytes[index] == 0x20 || bytes[index] == 0x0A { index += 1 }
            var field = ""
            while index < bytes.count, bytes[index] != 0x20, bytes[index] != 0x0A {
                field.append(Character(UnicodeScalar(bytes[index])))
                index += 1
            }
            fields.append(field)
        }
        index += 1
        guard fields.count == 4, fields[0] == "P6", let width = Int(fields[1]), let height = Int(fields[2]), fields[3] == "255",
            bytes.count - index >= width * height * 3
        else { throw TestSetupError("not an 8-bit PPM: \(fields)") }
        return (0..<(width * height)).map { pixel in
            let at = index + pixel * 3
            return Pixel(bytes[at]) << 16 | Pixel(bytes[at + 1]) << 8 | Pixel(bytes[at + 2])
        }
    }
}
