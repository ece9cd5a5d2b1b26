import Dispatch
import Foundation
import KindlingControl
import KindlingCore
import KindlingStore
import KindlingSystemd
import Logging

#if canImport(Glibc)
    import Glibc
#endif

/// kindlingd: one serial queue that owns all state, fed by Dispatch sources.
///
/// `kindlingd/main.swift` parses the command line and calls ``run(_:)``; tests start a
/// real daemon in-process through ``start(_:queue:)``.
public final class Daemon: @unchecked Sendable {
    /// What the command line (or a test) asks for.
    public struct Options: Sendable {
        public var configPath: String?
        public var socketPath: String?
        public var environment: [String: String]
        /// How long a control connection may stall (tests shorten it).
        public var idleTimeout: TimeInterval = 30
        /// Whether TERM, INT and HUP are the daemon's (kindlingd: yes; an in-process test
        /// daemon must leave the test runner's signals alone).
        public var handlesSignals = false

        public init(
            configPath: String? = nil, socketPath: String? = nil,
            environment: [String: String] = ProcessInfo.processInfo.environment
        ) {
            self.configPath = configPath
            self.socketPath = socketPath
            self.environment = environment
        }
    }

    let queue: DispatchQueue
    let log: Logger
    let paths: Paths
    let notifier: Notifier
    /// The hooks running and waiting (at most a few at once).
    let hooks: HookLimiter
    let startedAt = Date()
    let clock: any WallClock
    /// The environment the daemon started with (the session bus, the display, PATH).
    let environment: [String: String]

    /// The configuration in force; a failed reload leaves it as it was.
    var config: Configuration { didSet { madeSchedule = nil } }
    /// The schedule last made, with the calendar read it was made from (see ``schedule``).
    var madeSchedule: (schedule: Schedule, calendarRead: Int)?
    /// The hook's command in words, with the command they came from (see ``hookWords(_:)``).
    var splitHookCommand: (command: String, words: [String])?
    /// Where `config` came from, for `status` ("built-in defaults" when no file exists).
    var configSource: String
    /// The journal. In degraded mode (see ``journalProblem``) an in-memory stand-in that
    /// tracks deliveries so prompts still flow; every save is then refused with `storage`.
    /// (Assigned in `openJournal`, at start and after a restore has closed, and so parked,
    /// the previous one: a GRDB queue must never be freed while the daemon runs, see
    /// ConnectionParking.)
    var journal: AppDatabase!
    /// Why the journal is unusable, when it is (the full sentence, for `status`).
    var journalProblem: String?
    /// The key the journal is encrypted with; nil while it is plaintext (or its key is not at
    /// hand yet). Every opening of the journal and every copy of it uses this.
    var journalKey: JournalKey?
    /// Why the journal waits for its key (it is encrypted and the key is not at hand yet), or
    /// nil. While set, prompts wait too (Daemon+Encryption).
    var journalLock: String?
    /// Whether prompts wait for the locked journal (see ``lockJournal(_:reason:holdingPrompts:)``).
    var journalLockHoldsPrompts = false
    /// Where the journal's key is kept, when it is encrypted.
    var keyKeeper: KeyKeeper?
    /// The passphrase record and the kernel's cache of the key.
    lazy var keys = JournalKeys(journalPath: paths.databaseFile, log: log)
    /// The key in the person's keyring (the Secret Service).
    lazy var secrets = SecretKeys(journalPath: paths.databaseFile, environment: environment, queue: queue, log: log)
    /// Why the journal last failed to open (Daemon+Encryption tells a missing key from damage).
    var journalOpenError: StoreError?
    /// Why a new journal was left plaintext, for `doctor`.
    var plaintextReason: String?
    /// An encryption waits for the keyring: a second one is refused until it is done, so that
    /// two keys never race for one journal.
    var encryptionInFlight = false
    /// What start-up left for the keyring once the daemon is ready (Daemon+Encryption).
    var keyWorkAfterReady: KeyWorkAfterReady?
    /// The same in a few words, for the STATUS= line.
    var journalSummary: String?
    /// When the unavailable journal was last tried again (Daemon+JournalRetry).
    var lastJournalRetry: Date?
    /// The last problem worth showing in `status`: a failed reload, a failed write.
    var lastError: String?
    var server: ControlServer!
    private var isShutDownForTesting = false
    var scheduler: Scheduler!
    /// Where every change to a prompt is written, then announced.
    var lifecycle: PromptLifecycle!
    /// Connections that asked to `watch`: every event goes to each of them.
    var watchers: [ObjectIdentifier: Connection] { server.watchers }
    /// What `status` computed last, kept while it holds (StatusHandler).
    var statusCache: StatusSnapshot?
    /// The `journal` and `stats` results last sent, kept while they hold (ViewCache).
    var viewCache = ViewCache()
    /// Added programs as last read, by file, with the file's identity then (Daemon+Programs).
    var programFiles: [String: AddedProgramFile] = [:]
    /// Desktop notifications, while `[delivery] desktop` is on.
    var desktop: DesktopNotifier?
    /// Stands in for the desktop's do-not-disturb state in tests (nil: ask the desktop).
    var doNotDisturbOverride: Bool?
    /// The screen lock, while a channel's `[delivery] discreet` follows it (Daemon+ScreenLock).
    var screenLock: ScreenLockWatch?
    /// PipeWire's capture, while `[calls] hold` is on (Daemon+Calls).
    var callWatch: CaptureWatch?
    /// Stands in for a call in tests (nil: ask PipeWire).
    var callOverride: Bool?
    /// The person's calendar, its busy events and its watches (Daemon+Calendar).
    let calendar = CalendarState()
    private var timeZoneWatch: DirectoryWatch?
    /// The limit on how long the first tick waits for the desktop to settle (see ``startScheduler()``).
    private var settleLimit: DispatchSourceTimer?
    private var signalSources: [DispatchSourceSignal] = []

    init(
        options: Options, paths: Paths, config: Configuration, configSource: String, queue: DispatchQueue, clock: any WallClock,
        log: Logger
    ) {
        self.paths = paths
        self.config = config
        self.configSource = configSource
        self.queue = queue
        self.clock = clock
        self.log = log
        self.environment = options.environment
        self.notifier = Notifier()
        self.hooks = HookLimiter(log: log)
        self.scheduler = Scheduler(daemon: self)
        self.lifecycle = PromptLifecycle(daemon: self)
    }

    // MARK: - Entry points

    /// Runs the daemon in the foreground until SIGTERM or SIGINT; never returns.
    /// A failure to start prints one line on stderr and exits 1.
    public static func run(_ options: Options) -> Never {
        // TERM, INT and HUP are blocked before any thread exists, so every thread inherits
        // the mask: a signal that arrives before the signal sources are registered (systemd
        // may stop the service the moment it hears READY) stays pending until libdispatch's
        // signalfd reads it, instead of being lost or taking the default action.
        if options.handlesSignals { blockHandledSignals() }
        // A write to a pipe or socket whose reader has gone (stderr on a pipe, a client
        // that hung up) must fail with EPIPE, not kill the daemon mid-request: every socket
        // write already says MSG_NOSIGNAL, but a log line on stderr cannot.
        signal(SIGPIPE, SIG_IGN)
        // The daemon holds what the person wrote in memory: no core file may keep a copy,
        // and no other process of the user may read it through ptrace or /proc/PID/mem.
        // (The unit also sets LimitCORE=0; this covers `kindlingd` started by hand.)
        if !ProcessSafety.disableCoreDumps() {
            FileHandle.standardError.write(Data("kindlingd: warning: could not disable core dumps\n".utf8))
        }
        // Everything Kindling creates (socket, journal, snapshots) is private to its person.
        umask(0o077)
        // Under systemd, stderr is a journal stream: structured entries go to the journal
        // directly (with fields such as KINDLING_EVENT); elsewhere, plain lines on stderr.
        let toJournal = JournalLogHandler.stderrIsJournal(environment: options.environment)
        LoggingSystem.bootstrap { label in
            if toJournal { return JournalLogHandler(label: label) }
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = .info
            return handler
        }
        // The work queue is the main queue, drained by the main thread's run loop. A private
        // serial queue would run each piece of work on a pool worker thread that lingers 5 s
        // before it exits (a wakeup after every request), and a global queue (or a Task) would
        // start libdispatch's 1 Hz pool monitor and wake the process every second forever.
        let queue = DispatchQueue.main
        let daemon: Daemon
        do {
            daemon = try start(options, queue: queue)
        } catch {
            FileHandle.standardError.write(Data("kindlingd: \(error.description)\n".utf8))
            exit(1)
        }
        // The daemon lives as long as the process: its sources refer to it without owning it.
        // (Not dispatchMain(): on Linux it ends the main thread and hands the main queue to the
        // worker pool.) The run loop has the main queue as its one source and never returns.
        withExtendedLifetime(daemon) {
            while RunLoop.main.run(mode: .default, before: .distantFuture) {}
        }
        exit(0)
    }

    /// Loads the configuration, opens the journal, binds the socket and becomes ready.
    /// Used by ``run(_:)`` and by tests that run a daemon in-process.
    public static func start(_ options: Options, queue: DispatchQueue, clock: any WallClock = SystemClock()) throws(StartupError)
        -> Daemon
    {
        let log = Logger(label: "kindlingd")
        let paths = Paths.resolve(environment: options.environment, config: options.configPath, socket: options.socketPath)
        let (config, source) = try loadConfiguration(paths)
        guard Self.cipherVersion != "none" else { throw Self.withoutCipher }
        let daemon = Daemon(
            options: options, paths: paths, config: config, configSource: source, queue: queue, clock: clock, log: log)

        // The socket first: its lock says whether another kindlingd runs, and one that does owns
        // the journal folder. Nothing there is touched before (a restore's leftovers, key records
        // beside a journal it is converting) and nothing is said but that one line. Connections
        // wait in the listen queue until the daemon is ready.
        let usesDefaultSocket = options.socketPath == nil && options.environment["KINDLING_SOCKET"].map(\.isEmpty) ?? true
        daemon.server = try ControlServer(
            path: paths.socketFile, enforcePrivateDirectory: usesDefaultSocket, queue: queue, log: log)
        daemon.server.idleTimeout = options.idleTimeout
        RestoreHandler.removeLeftovers(daemon)
        // The whole-file check waits until just after READY=1 (see becomeReady): on a large
        // journal it is most of the start-up, and no write can come before it.
        daemon.openJournalAtStart(deferringCheck: true)
        // Signal handlers before READY: systemd may send SIGTERM the moment it hears READY,
        // and the default action would kill the daemon without removing its socket.
        if options.handlesSignals { daemon.onQueue { daemon.installSignalHandlers() } }
        daemon.onQueue { daemon.becomeReady() }
        return daemon
    }

    /// A kindlingd linked against plain SQLite could not keep an encrypted journal, and might
    /// write a new one in the clear: it does not start.
    static let withoutCipher = StartupError(
        "this kindlingd was built without SQLCipher (PRAGMA cipher_version gives nothing), so it cannot keep "
            + "the journal encrypted; build it again with `make` (scripts/ensure-sqlcipher installs SQLCipher 4)")

    /// `kindlingd --check-config`: parses the configuration and says what it found.
    public static func checkConfig(_ options: Options) -> Int32 {
        let paths = Paths.resolve(environment: options.environment, config: options.configPath, socket: options.socketPath)
        do {
            let (_, source) = try loadConfiguration(paths)
            print("\(source): the configuration is valid")
            return 0
        } catch {
            FileHandle.standardError.write(Data("kindlingd: \(error.description)\n".utf8))
            return 1
        }
    }

    // MARK: - Start and stop

    static func loadConfiguration(_ paths: Paths) throws(StartupError) -> (Configuration, String) {
        if paths.usesBuiltInDefaults {
            return (Configuration.defaults, "built-in defaults")
        }
        do {
            return (try Configuration.load(contentsOf: paths.configFile), paths.configFile)
        } catch {
            throw StartupError(error.description)
        }
    }

    /// `progress`: see ``StillWorking`` (a restore passes the watchdog's keep-alive).
    /// `deferringCheck`: see ``AppDatabase/open(path:progress:deferringCheck:)``; the caller runs
    /// ``checkDeferredIntegrity()`` before anything writes.
    func openJournal(progress: StillWorking? = nil, deferringCheck: Bool = false) {
        do {
            let store = try AppDatabase.open(
                path: paths.databaseFile, key: journalKey, progress: progress, deferringCheck: deferringCheck)
            for notice in store.notices { log.notice("\(notice)") }
            journal = store
        } catch {
            runWithoutJournal(error)
        }
    }

    /// Runs the integrity check ``openJournal(progress:deferringCheck:)`` left for later. On the
    /// work queue, before the first tick and before any request is read, so nothing writes
    /// first; a damaged journal is closed untouched and the daemon runs degraded, as if opening
    /// had found the damage.
    private func checkDeferredIntegrity() {
        guard journal.integrityCheckPending else { return }
        do {
            try journal.checkIntegrity(progress: { [notifier] in notifier.keepAlive() })
        } catch {
            closeJournal()
            runWithoutJournal(error)
            notifier.status(statusLine())
        }
    }

    /// Degraded mode: keep delivering prompts, answer every save with `storage`.
    private func runWithoutJournal(_ error: StoreError) {
        journalOpenError = error
        journalProblem = error.description
        journalSummary = Self.summary(of: error)
        journal = AppDatabase.inMemory()
        log.error("journal unavailable, running without it: \(error.description)")
    }

    /// A few words for STATUS=, which should stay one short line; `status` has the full text.
    static func summary(of error: StoreError) -> String {
        switch error {
        case .corrupt: "the journal is damaged"
        case .foreign: "the journal file is not Kindling's"
        case .newerSchema: "the journal is from a newer Kindling"
        case .unwritable: "the journal cannot be written"
        case .notPrivate: "the journal is not private"
        case .storage, .rejected, .notFound: "the journal failed"
        case .keyNeeded: "the journal is locked or damaged"
        case .wrongKey: "the journal's key does not fit"
        case .notEncrypted: "the journal is not encrypted"
        }
    }

    private func becomeReady() {
        dispatchPrecondition(condition: .onQueue(queue))
        server.start { [unowned self] line, connection in self.respond(to: line, from: connection) }
        notifier.ready(status: statusLine())
        notifier.startWatchdog(on: queue)
        // Still on the queue: requests accepted meanwhile are read only after this.
        checkDeferredIntegrity()
        log.info("ready: \(statusLine()) (socket \(paths.socketFile))")
        configureDesktop()
        configureCalendar()
        configureCalls()
        startKeyWork()
        // Catch-up runs after READY, so every channel is up when a missed prompt arrives.
        startScheduler()
        // timedatectl and friends replace /etc/localtime (or its symlink) by rename.
        timeZoneWatch = DirectoryWatch(directory: "/etc", names: ["localtime", "timezone"], queue: queue) { [weak self] in
            self?.systemTimeZoneChanged()
        }
    }

    /// How long the first tick waits, at most, for the desktop to say whether it is in
    /// do-not-disturb (its servers answer in milliseconds; a frozen one must not stop prompts).
    static let desktopSettleLimit = 2.0

    /// Starts the scheduler once the desktop has said whether it is in do-not-disturb: a prompt
    /// due at start (the catch-up) must not reach the hook or `watch` in the moment before the
    /// notification server's switches are read, while the desktop itself would hold it.
    private func startScheduler() {
        guard let desktop, desktop.isSettling else { return scheduler.start() }
        var started = false
        let start = { [weak self] in
            guard let self, !started else { return }
            started = true
            settleLimit?.cancel()
            settleLimit = nil
            desktop.onSettled = nil
            scheduler.start()
        }
        desktop.onSettled = start
        let timer = DispatchSource.makeTimerSource(queue: queue)
        timer.schedule(deadline: .now() + Self.desktopSettleLimit)
        timer.setEventHandler(handler: start)
        timer.resume()
        settleLimit = timer
    }

    func installSignalHandlers() {
        dispatchPrecondition(condition: .onQueue(queue))
        for (signo, action) in [(SIGTERM, stop), (SIGINT, stop), (SIGHUP, { [unowned self] in _ = self.reload() })]
            as [(Int32, () -> Void)]
        {
            // Blocked since the start (see run(_:)): the default action never runs, and the
            // source reads the signal through its signalfd.
            let source = DispatchSource.makeSignalSource(signal: signo, queue: queue)
            source.setEventHandler(handler: action)
            source.resume()
            signalSources.append(source)
        }
    }

    /// The signals the daemon's sources handle.
    static let handledSignals = [SIGTERM, SIGINT, SIGHUP]

    private static func blockHandledSignals() {
        var set = sigset_t()
        sigemptyset(&set)
        for signo in handledSignals { sigaddset(&set, signo) }
        pthread_sigmask(SIG_BLOCK, &set, nil)
    }

    /// SIGTERM/SIGINT: tell systemd, stop accepting, close the journal, remove the socket, exit 0.
    /// Every write runs to completion on this queue before a signal handler can run.
    func stop() {
        dispatchPrecondition(condition: .onQueue(queue))
        notifier.stopping()
        log.info("stopping")
        scheduler.stop()
        server.shutdown()
        closeJournal()
        exit(0)
    }

    private func closeJournal() {
        do {
            try journal.close()
        } catch {
            log.error("closing the journal failed: \(error.description)")
        }
    }

    /// `timezone = "local"` follows the system: recompute the schedule in the new zone.
    func systemTimeZoneChanged() {
        dispatchPrecondition(condition: .onQueue(queue))
        NSTimeZone.resetSystemTimeZone()
        guard config.timezone == .local else { return }
        log.info("the system time zone is now \(TimeZone.current.identifier); recomputing the schedule")
        scheduler.tick()
        notifier.status(statusLine())
    }

    /// Remembers a problem for `status` and STATUS=, and logs it.
    func recordProblem(_ message: String) {
        lastError = message
        log.error("\(message)")
        notifier.status(statusLine())
    }

    /// Runs `body` on the work queue and waits for it. On the main thread with the main queue
    /// as the work queue (``run(_:)``, before the run loop starts) it runs at once: a sync
    /// onto the main queue from the main thread would never return.
    func onQueue(_ body: () -> Void) {
        if Thread.isMainThread, queue.label == DispatchQueue.main.label {
            body()
        } else {
            queue.sync(execute: body)
        }
    }

    /// Stops serving without exiting the process (in-process tests), and returns once the
    /// listening socket is closed. A second call does nothing.
    public func shutdownForTesting() {
        let first = queue.sync {
            guard !isShutDownForTesting else { return false }
            isShutDownForTesting = true
            scheduler.stop()
            server.shutdown()
            closeJournal()
            return true
        }
        if first { server.waitUntilListenerClosed() }
    }
}
