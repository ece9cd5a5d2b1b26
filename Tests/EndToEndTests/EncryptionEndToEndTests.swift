import Foundation
import KeyringFixture
import ProcessFixture
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// The journal encrypted at rest, end to end: the real kindlingd and kindling, a real private
/// session bus with a real gnome-keyring on it (KeyringFixture), the kernel's user keyring
/// (keyctl), and Debian's sqlite3 standing in for whoever finds the files.
@Suite(.serialized) struct EncryptionEndToEndTests {
    typealias Sandbox = DaemonProcessTests.Sandbox

    // MARK: - The keyring

    /// A journal made where a keyring answers is encrypted at once, with its key in the keyring;
    /// nothing in the data folder (journal, WAL, snapshots) shows a saved word, and sqlite3
    /// cannot read any of it.
    @Test func aNewJournalIsEncryptedWithItsKeyInTheKeyring() throws {
        try Self.requireTools()
        let keyring = try PrivateKeyring()
        defer { keyring.stop() }
        try keyring.startKeyring()
        let sandbox = try Self.sandbox(on: keyring)
        let daemon = try sandbox.startDaemon()
        defer { daemon.stopAndWait() }

        let encryption = try Self.waitForJournal("encrypted", sandbox)
        #expect(encryption["journal"] as? String == "encrypted", "\(encryption)")
        #expect(encryption["key"] as? String == "keyring", "\(encryption)")
        #expect(FileManager.default.fileExists(atPath: sandbox.journal + ".keyring"), "Kindling's keyring mark")

        let word = Self.uniqueWord()
        let note = try sandbox.kindling("note", "held the door for a neighbour \(word)")
        #expect(note.status == 0, "\(note)")
        let backup = try sandbox.kindling("backup")
        #expect(backup.status == 0, "\(backup)")
        #expect(backup.stdout.hasPrefix(Self.snapshotFolder(sandbox) + "/journal-"), "\(backup)")
        #expect(try Self.notes(sandbox).contains { $0.contains(word) }, "the note reads back through the daemon")

        // Every file the daemon keeps, the WAL included (the note may still be only there).
        let files = Self.files(under: Self.dataFolder(sandbox))
        #expect(files.contains(sandbox.journal), "\(files)")
        #expect(files.contains { $0.hasPrefix(Self.snapshotFolder(sandbox) + "/") }, "\(files)")
        #expect(try Self.filesHolding(word, under: Self.dataFolder(sandbox)) == [], "the word is readable on disk")
        for file in [sandbox.journal] + Self.snapshots(sandbox) {
            let read = try Self.sqlite3(file)
            #expect(read.status != 0, "sqlite3 read \(file): \(read)")
            #expect(read.stderr.contains("file is not a database"), "\(file): \(read)")
        }
    }

    /// A second start finds the key in the keyring, and what was saved before reads back.
    @Test func aRestartFindsTheKeyInTheKeyring() throws {
        try Self.requireTools()
        let keyring = try PrivateKeyring()
        defer { keyring.stop() }
        try keyring.startKeyring()
        let sandbox = try Self.sandbox(on: keyring)
        let word = try Self.encryptedJournal(sandbox)

        let daemon = try sandbox.startDaemon()
        defer { daemon.stopAndWait() }
        let encryption = try Self.waitForJournal("encrypted", sandbox)
        #expect(encryption["journal"] as? String == "encrypted", "\(encryption)")
        #expect(encryption["key"] as? String == "keyring", "\(encryption)")
        #expect(try Self.notes(sandbox).contains { $0.contains(word) }, "the note saved before the restart is gone")
        let export = try sandbox.kindling("export")
        #expect(export.status == 0 && export.stdout.contains(word), "\(export)")
        let another = try sandbox.kindling("note", "a second note after the restart")
        #expect(another.status == 0, "\(another)")
        #expect(try Self.filesHolding(word, under: Self.dataFolder(sandbox)) == [])
    }

    /// A locked keyring at start: the journal waits, locked, holding prompts and refusing
    /// saves; unlocking the keyring opens it without a restart, and the held prompt comes.
    @Test func aLockedKeyringHoldsTheJournalUntilItIsUnlocked() throws {
        try Self.requireTools()
        let keyring = try PrivateKeyring()
        defer { keyring.stop() }
        try keyring.startKeyring()
        let sandbox = try Self.sandbox(on: keyring)
        let word = try Self.encryptedJournal(sandbox)

        try keyring.lock()
        #expect(keyring.isLocked(), "the fixture could not lock the login keyring")
        // One prompt, due a few seconds after the start and valid for an hour.
        let due = Date().addingTimeInterval(6)
        try SchedulingTests.config([("held", 6, "1h")]).write(toFile: sandbox.configFile, atomically: true, encoding: .utf8)
        let daemon = try sandbox.startDaemon()
        defer { daemon.stopAndWait() }
        let watcher = try SchedulingTests.Watcher(sandbox)

        let locked = try Self.waitForJournal("locked", sandbox, detail: "waits for your keyring to be unlocked")
        #expect(locked["journal"] as? String == "locked", "\(locked)")
        #expect(locked["key"] as? String == "keyring", "\(locked)")
        #expect((locked["detail"] as? String)?.contains("waits for your keyring to be unlocked") == true, "\(locked)")
        let line = try Self.status(sandbox)["status_line"] as? String ?? ""
        #expect(line.contains("the journal is locked: prompts wait until it opens"), "\(line)")
        let refused = try sandbox.kindling("note", "written while the keyring is locked")
        #expect(refused.status == 1, "\(refused)")
        #expect(refused.stderr.contains("keyring"), "\(refused)")

        // The prompt's time passes with the journal locked: nothing is delivered.
        while Date() < due.addingTimeInterval(2) { usleep(100_000) }
        #expect(watcher.fired("held").isEmpty, "a prompt was delivered while the journal was locked: \(watcher.events)")
        let pendingWhileLocked = try sandbox.kindling("pending", "--json")
        #expect(pendingWhileLocked.status == 0, "\(pendingWhileLocked)")
        let waiting = try JSONSerialization.jsonObject(with: Data(pendingWhileLocked.stdout.utf8)) as? [String: Any]
        #expect((waiting?["pending"] as? [Any])?.isEmpty == true, "\(pendingWhileLocked)")

        try keyring.unlock()
        let opened = try Self.waitForJournal("encrypted", sandbox)
        #expect(opened["journal"] as? String == "encrypted", "the daemon did not see the keyring unlocked: \(opened)")
        #expect(opened["key"] as? String == "keyring", "\(opened)")
        let saved = try sandbox.kindling("note", "written once the keyring is unlocked")
        #expect(saved.status == 0, "\(saved)")
        #expect(waitUntil(timeout: 10) { !watcher.fired("held").isEmpty }, "the held prompt never came: \(watcher.events)")
        #expect(watcher.fired("held").count == 1, "\(watcher.events)")
        let pending = try sandbox.kindling("pending", "--json")
        #expect(pending.stdout.contains("A small kindness for held."), "\(pending)")
        #expect(try Self.notes(sandbox).contains { $0.contains(word) })
    }

    /// No keyring at all at start (gnome-keyring not running, the journal encrypted): locked,
    /// saying no keyring answers; gnome-keyring starting later opens the journal without a restart.
    @Test func aKeyringThatStartsLaterOpensTheJournal() throws {
        try Self.requireTools()
        let keyring = try PrivateKeyring()
        defer { keyring.stop() }
        try keyring.startKeyring()
        let sandbox = try Self.sandbox(on: keyring)
        let word = try Self.encryptedJournal(sandbox)
        keyring.stopKeyring()

        let daemon = try sandbox.startDaemon()
        defer { daemon.stopAndWait() }
        let locked = try Self.waitForJournal("locked", sandbox, detail: "does not answer")
        #expect(locked["journal"] as? String == "locked", "\(locked)")
        let detail = locked["detail"] as? String ?? ""
        #expect(detail.contains("waits for your keyring, which does not answer"), "\(detail)")
        #expect(detail.contains("no Secret Service"), "\(detail)")
        let refused = try sandbox.kindling("note", "written with no keyring")
        #expect(refused.status == 1, "\(refused)")
        #expect(!refused.stderr.isEmpty, "\(refused)")

        // The same home: the same login keyring, unlocked as at login.
        try keyring.startKeyring()
        let opened = try Self.waitForJournal("encrypted", sandbox)
        #expect(opened["journal"] as? String == "encrypted", "the daemon did not notice the keyring start: \(opened)")
        #expect(opened["key"] as? String == "keyring", "\(opened)")
        #expect(try Self.notes(sandbox).contains { $0.contains(word) })
        let saved = try sandbox.kindling("note", "written once the keyring runs")
        #expect(saved.status == 0, "\(saved)")
        #expect(daemon.isRunning)
    }

    // MARK: - The passphrase

    /// encrypt --passphrase on a plaintext journal, the key cached in the kernel's user keyring;
    /// without that cache the journal starts locked until `kindling unlock`; decrypt brings
    /// plaintext back.
    @Test func aPassphraseEncryptsUnlocksAndDecrypts() throws {
        try Self.requireTools()
        // No session bus at all: the new journal stays plaintext.
        let sandbox = try Sandbox()
        defer { Self.forgetKernelKey(sandbox.journal) }
        var daemon = try sandbox.startDaemon()
        defer { daemon.stopAndWait() }
        let plaintext = try Self.waitForJournal("plaintext", sandbox)
        #expect((plaintext["detail"] as? String)?.contains("no keyring answered") == true, "\(plaintext)")

        let word = Self.uniqueWord()
        #expect(try sandbox.kindling("note", "carried the shopping upstairs \(word)").status == 0)
        // A plaintext snapshot holding the word, which the encryption must convert too.
        #expect(try sandbox.kindling("backup").status == 0)
        #expect(try Self.filesHolding(word, under: Self.dataFolder(sandbox)) != [], "the check below could not fail")

        let encrypted = try Self.kindling(sandbox, ["encrypt", "--passphrase"], stdin: Self.passphrase + "\n")
        #expect(encrypted.status == 0, "\(encrypted)")
        #expect(encrypted.stdout.contains("Your journal is encrypted"), "\(encrypted)")
        #expect(encrypted.stdout.contains("snapshot(s) were encrypted"), "\(encrypted)")
        var encryption = try Self.encryption(sandbox)
        #expect(encryption["journal"] as? String == "encrypted", "\(encryption)")
        #expect(encryption["key"] as? String == "passphrase", "\(encryption)")
        #expect(FileManager.default.fileExists(atPath: sandbox.journal + ".key-params"))
        #expect(try Self.kernelKey(sandbox.journal) != nil, "the key is not cached in the user keyring")
        #expect(try Self.filesHolding(word, under: Self.dataFolder(sandbox)) == [], "the word is readable on disk")
        for file in [sandbox.journal] + Self.snapshots(sandbox) {
            #expect(try Self.sqlite3(file).status != 0, "sqlite3 read \(file)")
        }

        // A restart with the key cached for this boot opens the journal at once.
        daemon.stopAndWait()
        daemon = try sandbox.startDaemon()
        encryption = try Self.encryption(sandbox)
        #expect(encryption["journal"] as? String == "encrypted", "the cached key was not used: \(encryption)")

        // Without the cached key (as after a reboot): locked until the passphrase is given.
        daemon.stopAndWait()
        try #require(Self.forgetKernelKey(sandbox.journal), "the cached key could not be removed")
        daemon = try sandbox.startDaemon()
        encryption = try Self.encryption(sandbox)
        #expect(encryption["journal"] as? String == "locked", "\(encryption)")
        #expect(encryption["key"] as? String == "passphrase", "\(encryption)")
        #expect((encryption["detail"] as? String)?.contains("kindling unlock") == true, "\(encryption)")
        let refused = try sandbox.kindling("note", "written while locked")
        #expect(refused.status == 1, "\(refused)")
        #expect(!refused.stderr.isEmpty, "\(refused)")

        let wrong = try Self.kindling(sandbox, ["unlock"], stdin: "not the passphrase\n")
        #expect(wrong.status == 1, "\(wrong)")
        let wrongLines = wrong.stderr.split(separator: "\n")
        #expect(wrongLines.count == 1, "\(wrong)")
        #expect(wrong.stderr.contains("that passphrase does not open the journal"), "\(wrong)")
        #expect(try Self.encryption(sandbox)["journal"] as? String == "locked")

        let unlocked = try Self.kindling(sandbox, ["unlock"], stdin: Self.passphrase + "\n")
        #expect(unlocked.status == 0, "\(unlocked)")
        #expect(unlocked.stdout.contains("Your journal is unlocked."), "\(unlocked)")
        encryption = try Self.encryption(sandbox)
        #expect(encryption["journal"] as? String == "encrypted", "\(encryption)")
        #expect(try Self.notes(sandbox).contains { $0.contains(word) })
        #expect(try sandbox.kindling("note", "written once unlocked").status == 0)
        #expect(try Self.kernelKey(sandbox.journal) != nil, "unlocking did not cache the key again")

        let decrypted = try sandbox.kindling("decrypt", "--yes")
        #expect(decrypted.status == 0, "\(decrypted)")
        #expect(decrypted.stdout.contains("Your journal is stored unencrypted now."), "\(decrypted)")
        #expect(try Self.encryption(sandbox)["journal"] as? String == "plaintext")
        #expect(!FileManager.default.fileExists(atPath: sandbox.journal + ".key-params"))
        #expect(try Self.kernelKey(sandbox.journal) == nil, "the cached key outlived the decryption")
        let count = try Self.sqlite3(sandbox.journal)
        #expect(count.status == 0, "\(count)")
        #expect(count.stdout == "2\n", "two notes were saved: \(count)")
        for snapshot in Self.snapshots(sandbox) {
            #expect(try Self.sqlite3(snapshot).status == 0, "\(snapshot) stayed encrypted")
        }
    }

    // MARK: - Kills

    /// kindlingd killed (SIGKILL) in the middle of `kindling encrypt --passphrase` on a journal of
    /// 5,000 entries, at a different point each round: during the key's derivation (50 ms), once
    /// the passphrase record is written, while the journal's copy is being written (just begun,
    /// half way, and 250 ms after the request), while a snapshot's is, and once kindling has had
    /// its answer. After a restart (and `kindling unlock` where the
    /// journal is locked) every entry is there, no temporary file is left, and once the journal
    /// is encrypted no plaintext copy of a word is anywhere in the data folder.
    @Test func killsDuringEncryptionLoseNothingAndLeaveNothingReadable() throws {
        try Self.requireTools()
        let sandbox = try Sandbox()
        defer { Self.forgetKernelKey(sandbox.journal) }
        var daemon = try sandbox.startDaemon()
        defer { daemon.stopAndWait() }
        let word = Self.uniqueWord()
        let entries = 5000
        try Self.importNotes(entries, holding: word, into: sandbox)
        #expect(try Self.countNotes(sandbox) == entries)
        // A snapshot holding the words too.
        #expect(try sandbox.kindling("backup").status == 0)

        let points: [KillPoint] = [
            .after(0.05), .recordWritten, .journalCopyBegun, .journalCopyHalfWay, .snapshotCopyBegun, .after(0.25),
            .answered,
        ]
        var leftTemporaryFiles = 0
        for point in points {
            #expect(try Self.encryption(sandbox)["journal"] as? String == "plaintext", "\(point): not plaintext to begin with")
            let start = Date()
            let client = try Self.startKindling(sandbox, ["encrypt", "--passphrase"], stdin: Self.passphrase + "\n")
            let seen = Self.wait(for: point, in: sandbox, while: client)
            kill(daemon.processIdentifier, SIGKILL)
            daemon.waitUntilExit()
            let killedAfter = Date().timeIntervalSince(start)
            client.waitUntilExit()
            let temporary = Self.temporaryFiles(sandbox)
            if !temporary.isEmpty { leftTemporaryFiles += 1 }
            let encryptedOnDisk = Self.looksEncrypted(sandbox.journal)

            daemon = try sandbox.startDaemon()
            var state = try Self.encryption(sandbox)["journal"] as? String
            print(
                "measured: kill at \(point) (\(seen ? "seen" : "not seen")) after \(String(format: "%.3f", killedAfter)) s; "
                    + "client exit \(client.terminationStatus); temporary files \(temporary.count); "
                    + "journal \(encryptedOnDisk ? "encrypted" : "plaintext") on disk; after restart: \(state ?? "?")")
            #expect(Self.temporaryFiles(sandbox) == [], "\(point)")
            if state == "locked" {
                let unlocked = try Self.kindling(sandbox, ["unlock"], stdin: Self.passphrase + "\n")
                #expect(unlocked.status == 0, "\(point): \(unlocked)")
                state = try Self.encryption(sandbox)["journal"] as? String
            }
            #expect(state == "encrypted" || state == "plaintext", "\(point): \(state ?? "?")")
            #expect(try Self.countNotes(sandbox) == entries, "\(point): entries lost")
            if state == "plaintext" {
                let finished = try Self.kindling(sandbox, ["encrypt", "--passphrase"], stdin: Self.passphrase + "\n")
                #expect(finished.status == 0, "\(point): \(finished)")
                #expect(try Self.countNotes(sandbox) == entries, "\(point): entries lost by the second encryption")
            }
            #expect(try Self.encryption(sandbox)["journal"] as? String == "encrypted")
            #expect(try Self.filesHolding(word, under: Self.dataFolder(sandbox)) == [], "\(point): a plaintext copy is left")
            #expect(Self.temporaryFiles(sandbox) == [])
            for file in [sandbox.journal] + Self.snapshots(sandbox) {
                #expect(Self.looksEncrypted(file), "\(point): \(file) is plaintext beside an encrypted journal")
            }

            // Plaintext again for the next round.
            let decrypted = try sandbox.kindling("decrypt", "--yes")
            #expect(decrypted.status == 0, "\(point): \(decrypted)")
            #expect(try Self.filesHolding(word, under: Self.dataFolder(sandbox)) != [], "the word check could not fail")
        }
        #expect(leftTemporaryFiles > 0, "no kill landed while a copy was being written: nothing tested the sweep")
    }

    /// Where a round's kill lands.
    enum KillPoint: CustomStringConvertible {
        /// This long after the request was sent.
        case after(Double)
        /// The passphrase record is in place (before the journal's copy begins).
        case recordWritten
        /// The journal's temporary copy exists.
        case journalCopyBegun
        /// The journal's temporary copy is half the journal's size.
        case journalCopyHalfWay
        /// A snapshot's temporary copy exists (the journal's copy is in place).
        case snapshotCopyBegun
        /// kindling has had its answer (the key is cached for this boot by then).
        case answered

        var description: String {
            switch self {
            case .after(let seconds): "\(Int(seconds * 1000)) ms"
            case .recordWritten: "record written"
            case .journalCopyBegun: "journal copy begun"
            case .journalCopyHalfWay: "journal copy half way"
            case .snapshotCopyBegun: "snapshot copy begun"
            case .answered: "answered"
            }
        }
    }

    /// Waits until `point` is reached, or `client` has finished (false then).
    private static func wait(for point: KillPoint, in sandbox: Sandbox, while client: TestProcess) -> Bool {
        let start = Date()
        let journalSize = (try? FileManager.default.attributesOfItem(atPath: sandbox.journal)[.size] as? Int) ?? 0
        let folder = dataFolder(sandbox) + "/kindling"
        if case .answered = point {
            client.waitUntilExit()
            return client.terminationStatus == 0
        }
        while client.isRunning {
            switch point {
            case .after(let seconds):
                if Date().timeIntervalSince(start) >= seconds { return true }
            case .recordWritten:
                if FileManager.default.fileExists(atPath: sandbox.journal + ".key-params") { return true }
            case .journalCopyBegun:
                if !temporaryCopies(in: folder, of: "journal.sqlite").isEmpty { return true }
            case .journalCopyHalfWay:
                for file in temporaryCopies(in: folder, of: "journal.sqlite")
                where !["-journal", "-wal", "-shm"].contains(where: file.hasSuffix) {
                    let size = (try? FileManager.default.attributesOfItem(atPath: file)[.size] as? Int) ?? 0
                    if size * 2 >= journalSize { return true }
                }
            case .snapshotCopyBegun:
                if !temporaryCopies(in: snapshotFolder(sandbox), of: "journal-").isEmpty { return true }
            case .answered:
                break
            }
            usleep(500)
        }
        return false
    }

    // MARK: - Helpers

    static let passphrase = "a long walk by the river at dawn"

    /// sqlite3 and keyctl, which these tests use as an outsider would: missing, the run fails.
    static func requireTools() throws {
        let tools = [("/usr/bin/sqlite3", "sqlite3"), ("/usr/bin/keyctl", "keyutils")]
        let missing = tools.filter { !FileManager.default.isExecutableFile(atPath: $0.0) }
        guard missing.isEmpty else {
            let list = missing.map { "\($0.0) (Debian package \($0.1))" }.joined(separator: ", ")
            throw TestSetupError("missing for the encryption tests: \(list); `make test-deps` installs them")
        }
    }

    /// A sandbox whose daemon's session bus is the keyring's.
    static func sandbox(on keyring: PrivateKeyring) throws -> Sandbox {
        try Sandbox(extraEnvironment: ["DBUS_SESSION_BUS_ADDRESS": keyring.busAddress])
    }

    /// A first run: the new journal encrypted with a key in the keyring, one note saved (the
    /// word it returns), the daemon stopped.
    static func encryptedJournal(_ sandbox: Sandbox) throws -> String {
        let daemon = try sandbox.startDaemon()
        defer { daemon.stopAndWait() }
        let encryption = try waitForJournal("encrypted", sandbox)
        guard encryption["journal"] as? String == "encrypted" else {
            throw TestSetupError("the new journal was not encrypted: \(encryption)")
        }
        let word = uniqueWord()
        let note = try sandbox.kindling("note", "brought soup to a friend \(word)")
        guard note.status == 0 else { throw TestSetupError("the first note was not saved: \(note)") }
        return word
    }

    /// A word found nowhere else: lowercase letters, so that SQLite keeps it as typed.
    static func uniqueWord() -> String {
        "kindword" + String((0..<12).map { _ in "abcdefghijklmnopqrstuvwxyz".randomElement()! })
    }

    static func status(_ sandbox: Sandbox) throws -> [String: Any] {
        let status = try sandbox.kindling("status", "--json")
        guard status.status == 0,
            let object = try JSONSerialization.jsonObject(with: Data(status.stdout.utf8)) as? [String: Any]
        else { throw TestSetupError("kindling status --json failed: \(status)") }
        return object
    }

    /// `status --json`'s `encryption` object.
    static func encryption(_ sandbox: Sandbox) throws -> [String: Any] {
        guard let encryption = try status(sandbox)["encryption"] as? [String: Any] else {
            throw TestSetupError("no encryption object in kindling status --json")
        }
        return encryption
    }

    /// Waits until `encryption.journal` is `state` (and its detail holds `detail`), up to 15 s;
    /// returns the last `encryption` seen either way.
    static func waitForJournal(_ state: String, _ sandbox: Sandbox, detail: String? = nil) throws -> [String: Any] {
        var last: [String: Any] = [:]
        _ = try waitUntil(timeout: 15, interval: 0.05) {
            last = try encryption(sandbox)
            guard last["journal"] as? String == state else { return false }
            guard let detail else { return true }
            return (last["detail"] as? String)?.contains(detail) == true
        }
        return last
    }

    /// Runs kindling with `stdin` (not a terminal: a passphrase is read as one line).
    static func kindling(_ sandbox: Sandbox, _ arguments: [String], stdin: String) throws -> Outcome {
        try run(binDirectory + "/kindling", arguments, environment: sandbox.environment, stdin: stdin)
    }

    /// Starts kindling with `stdin`, without waiting for it.
    static func startKindling(_ sandbox: Sandbox, _ arguments: [String], stdin: String) throws -> TestProcess {
        let input = sandbox.root + "/stdin-\(UUID().uuidString)"
        try Data(stdin.utf8).write(to: URL(fileURLWithPath: input))
        let process = TestProcess(
            binDirectory + "/kindling", arguments, environment: sandbox.environment, standardInput: .file(input),
            standardOutput: .null, standardError: .null)
        try process.run()
        return process
    }

    /// The notes' texts, as `kindling journal --json` gives them.
    static func notes(_ sandbox: Sandbox) throws -> [String] {
        let journal = try sandbox.kindling("journal", "--json")
        guard journal.status == 0,
            let object = try JSONSerialization.jsonObject(with: Data(journal.stdout.utf8)) as? [String: Any],
            let days = object["days"] as? [[String: Any]]
        else { throw TestSetupError("kindling journal --json failed: \(journal)") }
        return days.flatMap { ($0["notes"] as? [[String: Any]]) ?? [] }.compactMap { $0["text"] as? String }
    }

    /// How many notes `kindling export` writes out.
    static func countNotes(_ sandbox: Sandbox) throws -> Int {
        let export = try sandbox.kindling("export")
        guard export.status == 0 else { throw TestSetupError("kindling export failed: \(export)") }
        return export.stdout.split(separator: "\n").filter { $0.contains("\"type\":\"note\"") }.count
    }

    /// Imports `count` notes of about a kilobyte each, every one holding `word`.
    static func importNotes(_ count: Int, holding word: String, into sandbox: Sandbox) throws {
        let words =
            "kind gentle warm small gave held listened thanked smiled friend neighbour stranger coffee door "
            + "letter call walk bread garden rain patience quiet morning evening light"
        let vocabulary = words.split(separator: " ")
        var lines = [#"{"kindling_export":1,"version":"0.1.0","exported_at":"2026-11-21T12:00:00.000+00:00"}"#]
        var generator = SystemRandomNumberGenerator()
        for n in 1...count {
            let text =
                (0..<150).map { _ in String(vocabulary.randomElement(using: &generator)!) }.joined(separator: " ")
                + " \(word) \(n)"
            lines.append(
                #"{"type":"note","id":\#(n),"at":"2026-11-21T10:00:00.000+00:00","local_date":"2026-11-21","text":"\#(text)","kind":"given"}"#
            )
        }
        let file = sandbox.root + "/import.jsonl"
        try (lines.joined(separator: "\n") + "\n").write(toFile: file, atomically: true, encoding: .utf8)
        let imported = try sandbox.kindling("import", file)
        guard imported.status == 0 else { throw TestSetupError("kindling import failed: \(imported)") }
        try FileManager.default.removeItem(atPath: file)
    }

    static func dataFolder(_ sandbox: Sandbox) -> String { sandbox.root + "/data" }
    static func snapshotFolder(_ sandbox: Sandbox) -> String { sandbox.root + "/data/kindling/snapshots" }

    static func snapshots(_ sandbox: Sandbox) -> [String] {
        let folder = snapshotFolder(sandbox)
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        return names.filter { $0.hasPrefix("journal-") && $0.hasSuffix(".sqlite") }.sorted().map { folder + "/" + $0 }
    }

    /// Every regular file under `folder`, at any depth.
    static func files(under folder: String) -> [String] {
        guard let walker = FileManager.default.enumerator(atPath: folder) else { return [] }
        var found: [String] = []
        while let relative = walker.nextObject() as? String {
            let path = folder + "/" + relative
            var info = stat()
            if lstat(path, &info) == 0, info.st_mode & S_IFMT == S_IFREG { found.append(path) }
        }
        return found.sorted()
    }

    /// The files under `folder` whose bytes hold `word` anywhere (`grep -rlF`: binary files too).
    static func filesHolding(_ word: String, under folder: String) throws -> [String] {
        let grep = try run("/usr/bin/grep", ["-rlF", "--", word, folder], environment: ["PATH": "/usr/bin:/bin"])
        guard grep.status == 0 || grep.status == 1 else { throw TestSetupError("grep failed: \(grep)") }
        return grep.stdout.split(separator: "\n").map(String.init)
    }

    /// Temporary copies (`.NAME.tmp-PID-N`, and their sidecars) anywhere in the data folder.
    static func temporaryFiles(_ sandbox: Sandbox) -> [String] {
        files(under: dataFolder(sandbox)).filter {
            let name = URL(fileURLWithPath: $0).lastPathComponent
            return name.hasPrefix(".") && name.contains(".tmp-")
        }
    }

    /// The temporary copies in `folder` (not its subfolders) of the files whose names begin
    /// with `prefix` and end in `.sqlite` (the journal, or snapshots): `.NAME.sqlite.tmp-PID-N`.
    static func temporaryCopies(in folder: String, of prefix: String) -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        return names.filter { $0.hasPrefix("." + prefix) && $0.contains(".sqlite.tmp-") }.map { folder + "/" + $0 }
    }

    /// Whether `path` lacks SQLite's plaintext header (an encrypted file starts with its salt).
    static func looksEncrypted(_ path: String) -> Bool {
        guard let handle = FileHandle(forReadingAtPath: path) else { return false }
        defer { try? handle.close() }
        let header = (try? handle.read(upToCount: 16)) ?? Data()
        return header.count == 16 && header != Data("SQLite format 3\0".utf8)
    }

    /// `sqlite3 FILE 'select count(*) from notes'`, read-only.
    static func sqlite3(_ file: String) throws -> Outcome {
        try run("/usr/bin/sqlite3", ["-readonly", file, "select count(*) from notes"], environment: ["PATH": "/usr/bin:/bin"])
    }

    /// The serial of the key cached for `journal` in the user keyring, or nil.
    static func kernelKey(_ journal: String) throws -> String? {
        let found = try run(
            "/usr/bin/keyctl", ["search", "@u", "user", "kindling:" + journal], environment: ["PATH": "/usr/bin:/bin"])
        guard found.status == 0 else { return nil }
        return found.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Removes the key cached for `journal` from the user keyring, as a reboot would; false
    /// when there was none or it could not be removed.
    @discardableResult
    static func forgetKernelKey(_ journal: String) -> Bool {
        guard let serial = try? kernelKey(journal) else { return false }
        do {
            let invalidated = try run("/usr/bin/keyctl", ["invalidate", serial], environment: ["PATH": "/usr/bin:/bin"])
            return try invalidated.status == 0 && kernelKey(journal) == nil
        } catch {
            return false
        }
    }
}
