import Foundation
import KindlingControl
import KindlingCore
import KindlingStore

#if canImport(Glibc)
    import Glibc
#endif

/// The journal encrypted at rest: converting it (and its snapshots) between plaintext and a key,
/// and saying how it is kept. Where the key lives is ``JournalKeys``'s business.
extension Daemon {
    /// Where the key of an encrypted journal is kept between runs.
    enum KeyKeeper: String, Sendable {
        /// The person's keyring, through the freedesktop Secret Service.
        case keyring
        /// Derived from a passphrase the person gives once per boot (`kindling unlock`).
        case passphrase
    }

    /// Rewrites the journal and every snapshot under `newKey` (nil: plaintext), from the
    /// journal's present key. The journal is closed for the conversion and opened again under
    /// the new key; what was kept in memory from it is forgotten. Returns how many snapshots
    /// were rewritten. A snapshot that cannot be converted is named in the log and the last
    /// error, and left as it was.
    ///
    /// Each file is replaced whole (see ``AppDatabase/convertJournal(at:from:to:progress:)``),
    /// and the order keeps a kill at any moment harmless: encrypting does the journal first,
    /// decrypting does it last, so a journal that is still encrypted may have plaintext
    /// snapshots beside it but never the reverse, and ``bringSnapshotsInLine(oldKey:)``
    /// encrypts those at the next start. (Changing one key for another is not offered: a kill
    /// between the files would leave snapshots under a key that is no longer kept.)
    func rekeyJournal(to newKey: JournalKey?) -> Result<Conversion, ControlError> {
        dispatchPrecondition(condition: .onQueue(queue))
        let old = journalKey
        precondition(old == nil || newKey == nil, "a key is changed for another only through plaintext")
        let progress: StillWorking = { [notifier] in notifier.keepAlive() }
        forgetKeptWords()
        var snapshots = Conversion()
        if newKey == nil {
            journalKey = nil
            snapshots = bringSnapshotsInLine(oldKey: old)
            journalKey = old
            guard snapshots.unconverted.isEmpty else {
                // Nothing is decrypted while a copy would stay under a key that is about to go:
                // the snapshots decrypted so far are encrypted again.
                bringSnapshotsInLine(oldKey: nil)
                return .failure(
                    ControlError(
                        .storage,
                        "nothing was decrypted: \(snapshots.unconverted.joined(separator: ", ")) could not be "
                            + "decrypted (see `kindling status`); the journal stays encrypted"))
            }
        }
        // The old WAL of a plaintext journal holds its latest words: SQLite removes it when the
        // journal closes, and its bytes are overwritten once it is gone.
        let wal = old == nil ? open(paths.databaseFile + "-wal", O_RDWR | O_CLOEXEC | O_NOFOLLOW) : -1
        defer { if wal >= 0 { close(wal) } }
        do throws(StoreError) {
            try journal.close()
        } catch {
            log.warning("closing the journal before converting it: \(error.description)")
        }
        do throws(StoreError) {
            try AppDatabase.convertJournal(at: paths.databaseFile, from: old, to: newKey, progress: progress)
        } catch {
            openJournal(progress: progress)
            if newKey == nil { bringSnapshotsInLine(oldKey: nil) }
            return .failure(ControlError(.storage, "the journal was left as it was: \(error.description)"))
        }
        if wal >= 0 { AppDatabase.overwriteUnlinked(wal) }
        journalKey = newKey
        openJournal(progress: progress)
        if let problem = journalProblem {
            return .failure(ControlError(.storage, "the converted journal could not be opened: \(problem)"))
        }
        if newKey != nil { snapshots = bringSnapshotsInLine(oldKey: old) }
        scheduler.tick()
        notifier.status(statusLine())
        return .success(snapshots)
    }

    /// What a conversion did to the snapshots.
    struct Conversion {
        /// How many were rewritten with the journal.
        var converted = 0
        /// Those that could not be (named in the log and the last error), left as they were.
        var unconverted: [String] = []
    }

    /// Converts every snapshot that is not kept as the journal is (plaintext beside an encrypted
    /// journal, or encrypted beside a plaintext one, which `oldKey` opens) to the journal's key.
    /// Run by a conversion and when an encrypted journal opens (on the queue, or at start
    /// before the queue runs anything).
    @discardableResult
    func bringSnapshotsInLine(oldKey: JournalKey?) -> Conversion {
        var conversion = Conversion()
        for path in snapshotFiles() {
            let encrypted = AppDatabase.looksEncrypted(path)
            guard encrypted != (journalKey != nil) else { continue }
            do throws(StoreError) {
                try AppDatabase.convertJournal(at: path, from: encrypted ? oldKey : nil, to: journalKey)
                conversion.converted += 1
            } catch {
                conversion.unconverted.append(path)
                recordProblem("the snapshot \(path) could not be converted with the journal: \(error.description)")
            }
        }
        if conversion.converted > 0 { log.info("converted \(conversion.converted) snapshot(s) with the journal") }
        return conversion
    }
}

// MARK: - The key at start, and unlocking

extension Daemon {
    /// Opens the journal at start (before the queue runs anything): a plaintext one at once; an
    /// encrypted one with the key kept for this boot, or else it waits, locked, for its key
    /// (``lockJournal(_:reason:holdingPrompts:)``).
    func openJournalAtStart(deferringCheck: Bool) {
        let path = paths.databaseFile
        guard AppDatabase.looksEncrypted(path) else {
            var info = stat()
            let isNew = stat(path, &info) != 0 || info.st_size == 0
            let hasKeyFiles = keys.hasPassphrase || keys.hasKeyringMark
            // A record or mark beside a sound plaintext journal is left from an encryption or a
            // decryption cut short before or after the journal's own conversion: it goes, unless
            // a snapshot still needs its key. Beside a missing or empty journal it stays (the
            // journal may have been moved away, and its copies need the key), and the new
            // journal is not given a key of its own that could be confused with it.
            if hasKeyFiles, !isNew, !snapshotFiles().contains(where: AppDatabase.looksEncrypted) {
                keys.forgetPassphrase()
                keys.forgetKeyringMark()
            }
            openJournal(deferringCheck: deferringCheck)
            if isNew, !hasKeyFiles, journalProblem == nil { keyWorkAfterReady = .encryptNewJournal }
            return
        }
        guard keys.hasPassphrase else {
            // With Kindling's mark, the key is in the keyring; without it, the file may be an
            // encrypted journal whose mark was lost, or random bytes: the keyring is asked either
            // way, and prompts wait only for a journal known to be Kindling's.
            let ours = keys.hasKeyringMark
            lockJournal(
                ours ? .keyring : nil, reason: "the journal at \(path) is encrypted: looking for its key in your keyring",
                holdingPrompts: ours)
            keyWorkAfterReady = .lookUpKeyringKey
            return
        }
        keyKeeper = .passphrase
        if let key = keys.cachedKey() {
            journalKey = key
            openJournal(deferringCheck: deferringCheck)
            if journalProblem == nil {
                bringSnapshotsInLine(oldKey: nil)
                return
            }
            // Damage, a full disk, a folder gone private: ordinary degraded mode, with the key
            // at hand for the retries. Only a key that does not fit (the journal was replaced
            // meanwhile) is let go, and the passphrase asked for.
            guard Self.isKeyProblem(journalOpenError) else { return }
            keys.forgetCachedKey()
            journalKey = nil
        }
        lockJournal(
            .passphrase, reason: "the journal at \(path) is encrypted with a passphrase: give it with `kindling unlock`",
            holdingPrompts: true)
    }

    /// What start-up leaves for just after READY=1 (the keyring answers on the session bus, and
    /// a start that fails, on its socket say, must not have talked to it first).
    enum KeyWorkAfterReady {
        case encryptNewJournal
        case lookUpKeyringKey
    }

    /// Runs ``keyWorkAfterReady``, once.
    func startKeyWork() {
        let work = keyWorkAfterReady
        keyWorkAfterReady = nil
        switch work {
        case .encryptNewJournal?: encryptNewJournalIfKeyringAnswers()
        case .lookUpKeyringKey?: lookUpKeyringKey()
        case nil: break
        }
    }

    /// Asks the keyring again when the journal waits for a key that may be there (not for a
    /// passphrase): on `reload`, and when the desktop's session bus comes up.
    func askKeyringAgainIfWaiting() {
        guard journalLock != nil, keyKeeper != .passphrase, !keys.hasPassphrase else { return }
        lookUpKeyringKey()
    }

    /// Asks the keyring for the locked journal's key, and opens the journal with it. A locked or
    /// absent keyring is said, and asked again when it changes.
    func lookUpKeyringKey() {
        secrets.onChange = { [weak self] in
            guard let self, self.journalLock != nil, self.keyKeeper != .passphrase else { return }
            self.lookUpKeyringKey()
        }
        let path = paths.databaseFile
        let ours = keys.hasKeyringMark
        secrets.lookUp(keyID: keys.keyringMarkID) { [weak self] found in
            guard let self, self.journalLock != nil else { return }
            switch found {
            case .key(let key):
                if unlockJournal(with: key, keptBy: .keyring, verified: false) != nil, journalLock != nil {
                    lockJournal(
                        nil,
                        reason: "the key in your keyring does not open the journal at \(path): it is encrypted with "
                            + "another key, or damaged; restore a snapshot with `kindling restore FILE`",
                        holdingPrompts: false)
                }
            case .locked:
                lockJournal(
                    ours ? .keyring : nil,
                    reason: "the journal at \(path) is encrypted and waits for your keyring to be unlocked (logging "
                        + "in to your desktop usually does it)" + (ours ? "; prompts come once it is" : ""),
                    holdingPrompts: ours)
            case .notFound:
                lockJournal(
                    nil,
                    reason: ours
                        ? "the journal at \(path) is encrypted, but its key is no longer in your keyring; "
                            + "restore a snapshot you can open, or start afresh with `kindling erase --all`"
                        : "the journal at \(path) is encrypted (or damaged) and no key for it is in your keyring; "
                            + "if it is damaged, restore a snapshot with `kindling restore FILE`",
                    holdingPrompts: false)
            case .unavailable(let why):
                lockJournal(
                    ours ? .keyring : nil,
                    reason: ours
                        ? "the journal at \(path) is encrypted and waits for your keyring, which does not answer "
                            + "(\(why)); prompts come once it does"
                        : "the journal at \(path) is encrypted (or damaged) and no keyring answers (\(why))",
                    holdingPrompts: ours)
            }
            notifier.status(statusLine())
        }
    }

    /// A journal made just now is encrypted at once, with a new key kept in the keyring, when a
    /// keyring is running and unlocked. Where none answers it stays plaintext, and `doctor`
    /// says so; nothing is asked of the person either way.
    private func encryptNewJournalIfKeyringAnswers() {
        guard !encryptionInFlight else { return }
        encryptionInFlight = true
        let key = JournalKey.random()
        let keyID = SecretKeys.newKeyID()
        secrets.keep(key, id: keyID, startsService: false) { [weak self] problem in
            guard let self else { return }
            encryptionInFlight = false
            if let problem {
                plaintextReason = "no keyring answered when the journal was made (\(problem))"
                log.info("the new journal stays plaintext: \(problem); `kindling encrypt` encrypts it later")
                return
            }
            guard journalKey == nil, journalLock == nil, journalProblem == nil else {
                return secrets.forget(keyID: keyID)
            }
            if case .failure(let error) = encrypt(with: key, keptBy: .keyring(keyID)) {
                log.warning("the new journal could not be encrypted: \(error.message)")
            }
        }
    }

    /// Encrypts the plaintext journal with `key`, kept by `keeper` (already kept there: the
    /// keyring has given it back, or the passphrase record is written). The keyring's mark is
    /// written first, and the key let go if the conversion fails.
    func encrypt(with key: JournalKey, keptBy keeper: NewKeyKeeper) -> Result<Conversion, ControlError> {
        if case .keyring(let keyID) = keeper {
            do throws(JournalKeys.Refusal) {
                try keys.writeKeyringMark(keyID: keyID)
            } catch {
                secrets.forget(keyID: keyID)
                return .failure(ControlError(.storage, "nothing was encrypted: \(error.description)"))
            }
        }
        switch rekeyJournal(to: key) {
        case .failure(let error):
            switch keeper {
            case .keyring(let keyID):
                keys.forgetKeyringMark()
                secrets.forget(keyID: keyID)
            case .passphrase:
                keys.forgetPassphrase()
            }
            return .failure(error)
        case .success(let snapshots):
            keyKeeper = keeper.kind
            if case .passphrase = keeper { keys.cache(key) }
            log.notice("encrypted the journal (and \(snapshots.converted) snapshot(s)); its key is kept \(keeper.kind.place)")
            return .success(snapshots)
        }
    }

    /// Where a new key was just kept: the keyring (under its id) or a passphrase record.
    enum NewKeyKeeper {
        case keyring(String)
        case passphrase

        var kind: KeyKeeper {
            switch self {
            case .keyring: .keyring
            case .passphrase: .passphrase
            }
        }
    }

    /// The journal waits for its key, and every verb that needs the journal is refused with
    /// `reason`, which `status`, `doctor` and STATUS= show. `holdingPrompts`: the journal is
    /// known to be Kindling's and its key kept where it will come from (a passphrase, a keyring
    /// being unlocked): prompts wait too, since no answer could be saved. Otherwise (no key
    /// anywhere: the file may as well be random bytes) prompts go on, as for a damaged journal.
    func lockJournal(_ keeper: KeyKeeper?, reason: String, holdingPrompts: Bool) {
        journalLock = reason
        journalLockHoldsPrompts = holdingPrompts
        keyKeeper = keeper
        journalProblem = reason
        journalSummary = holdingPrompts ? "the journal is locked" : "the journal is locked or damaged"
        if journal == nil { journal = AppDatabase.inMemory() }
        log.notice("\(reason)")
    }

    /// Opens the locked journal with `key`: answers are saved and prompts come again (the
    /// scheduler's first tick catches up as after any time away). Returns why it could not be
    /// opened, or nil.
    ///
    /// `verified`: the key is known to be the journal's (a passphrase's check value matched):
    /// a file it cannot open is then damaged, and the daemon runs degraded (restore works)
    /// rather than staying locked. A key from the keyring that does not fit leaves the lock.
    func unlockJournal(with key: JournalKey, keptBy keeper: KeyKeeper, verified: Bool) -> String? {
        dispatchPrecondition(condition: .onQueue(queue))
        journalKey = key
        keyKeeper = keeper
        let (reason, summary, holds) = (journalLock, journalSummary, journalLockHoldsPrompts)
        journalLock = nil
        journalLockHoldsPrompts = false
        guard retryJournal(force: true) else {
            let problem = journalProblem ?? "it could not be opened"
            if Self.isKeyProblem(journalOpenError), !verified {
                journalKey = nil
                journalLock = reason
                journalLockHoldsPrompts = holds
                journalProblem = reason
                journalSummary = summary
                return problem
            }
            if Self.isKeyProblem(journalOpenError) {
                // The right key, yet the first page does not read: damage, not a wrong key.
                journalProblem =
                    "the journal at \(paths.databaseFile) is damaged: its key is the right one, yet it cannot be "
                    + "read; restore a snapshot with `kindling restore FILE`"
                journalSummary = "the journal is damaged"
            }
            notifier.status(statusLine())
            return journalProblem ?? problem
        }
        log.notice("the journal is unlocked (key kept \(keeper.place)); prompts and saving go on")
        bringSnapshotsInLine(oldKey: nil)
        notifier.status(statusLine())
        return nil
    }

    /// Whether opening failed for want of the right key (rather than damage or the disk).
    static func isKeyProblem(_ error: StoreError?) -> Bool {
        switch error {
        case .keyNeeded?, .wrongKey?, .notEncrypted?: true
        default: false
        }
    }

    /// How the journal is kept at rest, for `status` and `doctor`.
    var encryptionStatus: StatusResult.EncryptionStatus {
        let cipher = Self.cipherVersion
        if let journalLock {
            return .init(journal: "locked", key: keyKeeper?.rawValue, detail: journalLock, cipher: cipher)
        }
        if journalKey != nil {
            return .init(journal: "encrypted", key: keyKeeper?.rawValue, detail: nil, cipher: cipher)
        }
        return .init(
            journal: "plaintext", key: nil,
            detail: (plaintextReason.map { $0 + "; " } ?? "") + "`kindling encrypt` encrypts it", cipher: cipher)
    }

    /// SQLCipher's version, read once (the daemon does not start without it).
    static let cipherVersion = AppDatabase.cipherVersion() ?? "none"
}
