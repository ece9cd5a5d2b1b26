import ArgumentParser
import FoundationEssentials
import KindlingControl

#if canImport(Glibc)
    import Glibc
#endif

/// `kindling encrypt [--passphrase]`: the journal and its snapshots encrypted at rest.
struct Encrypt: VerbCommand {
    typealias Verb = Request.Encrypt

    static let configuration = CommandConfiguration(
        commandName: "encrypt", abstract: "Encrypt your journal and its snapshots, with a key kept in your keyring.",
        discussion: """
            The daemon makes a random key, keeps it in your keyring (GNOME Keyring, KeePassXC or KWallet, \
            through the Secret Service), checks it can read it back, then rewrites the journal and every \
            snapshot encrypted (SQLCipher), leaving nothing readable behind. With --passphrase the key comes \
            from a passphrase instead (asked twice on the terminal, or one line on standard input): give it \
            again with `kindling unlock` once after each boot. Encryption protects copies, backups and a lost \
            disk; it does not protect against a program running as you while you are logged in.
            """)

    @OptionGroup var global: GlobalOptions

    @Flag(name: .long, help: "Derive the key from a passphrase instead of keeping it in your keyring.")
    var passphrase = false

    func run() throws {
        var phrase: String?
        if passphrase {
            phrase = try Passphrase.ask(confirming: true)
        }
        let result = try Working.while("Encrypting your journal and its snapshots…") {
            () throws(CLIError) in try global.call(Verb(passphrase: phrase), patience: .longOperation)
        }
        if global.json { return try global.printJSON(result) }
        let kept =
            result.key == "passphrase"
            ? "give the passphrase with `kindling unlock` after each boot" : "its key is in your keyring"
        print("Your journal is encrypted (\(kept)).")
        if result.snapshots > 0 { print("\(result.snapshots) snapshot(s) were encrypted with it.") }
        for path in result.unconverted {
            Terminal.printError("kindling: \(path) could not be encrypted and is still readable; see `kindling status`")
        }
    }
}

/// `kindling decrypt [--yes]`: the journal and its snapshots in plaintext again.
struct Decrypt: VerbCommand {
    typealias Verb = Request.Decrypt

    static let configuration = CommandConfiguration(
        commandName: "decrypt", abstract: "Rewrite your journal and its snapshots unencrypted (asks first; --yes does not).",
        discussion: """
            After this, anyone who can read your files can read your journal. A passphrase's record beside \
            the journal is removed; a key in your keyring stays there, for the backups made with it. If a \
            snapshot cannot be decrypted, nothing is. Without a terminal to ask on, it decrypts only with \
            --yes, and otherwise changes nothing (exit 2).
            """)

    @OptionGroup var global: GlobalOptions

    @Flag(name: .long, help: "Decrypt without asking.")
    var yes = false

    func run() throws {
        if !yes {
            guard isatty(0) == 1 else {
                throw CLIError(
                    "nothing was decrypted: there is no terminal to confirm on. To decrypt, run `kindling decrypt --yes`.",
                    exitCode: 2)
            }
            guard
                TerminalInput.confirm(
                    "Store your journal unencrypted, readable by anyone who can read your files?",
                    readLine: TerminalInput.readLine)
            else {
                print("Your journal stays encrypted.")
                return
            }
        }
        let result = try Working.while("Decrypting your journal and its snapshots…") {
            () throws(CLIError) in try global.call(Verb(), patience: .longOperation)
        }
        if global.json { return try global.printJSON(result) }
        print("Your journal is stored unencrypted now.")
        if result.snapshots > 0 { print("\(result.snapshots) snapshot(s) were decrypted with it.") }
    }
}

/// `kindling unlock`: the passphrase of a journal encrypted with one, once per boot.
struct Unlock: VerbCommand {
    typealias Verb = Request.Unlock

    static let configuration = CommandConfiguration(
        commandName: "unlock", abstract: "Give the passphrase of your encrypted journal (once after each boot).",
        discussion: """
            Asked on the terminal without showing it, or read as one line from standard input. The daemon \
            keeps the key in the kernel's user keyring until you log out for good or restart, so prompts \
            and saving go on until then. A journal whose key is in your keyring opens by itself once the \
            keyring is unlocked.
            """)

    @OptionGroup var global: GlobalOptions

    func run() throws {
        let phrase = try Passphrase.ask(confirming: false)
        let result = try Working.while("Unlocking your journal…") {
            () throws(CLIError) in try global.call(Verb(passphrase: phrase), patience: .longOperation)
        }
        if global.json { return try global.printJSON(result) }
        print("Your journal is unlocked.")
    }
}

/// Reading a passphrase: hidden on a terminal, one line from standard input otherwise.
enum Passphrase {
    static func ask(confirming: Bool) throws(CLIError) -> String {
        guard isatty(0) == 1 else {
            guard let line = TerminalInput.readLine(), !line.isEmpty else {
                throw CLIError("no passphrase was given: write it as one line on standard input", exitCode: 2)
            }
            return line
        }
        guard let first = TerminalInput.readHidden("Passphrase: "), !first.isEmpty else {
            throw CLIError("no passphrase was given; nothing was changed", exitCode: 2)
        }
        if confirming {
            guard TerminalInput.readHidden("The same passphrase again: ") == first else {
                throw CLIError("the two passphrases differ; nothing was changed", exitCode: 2)
            }
        }
        return first
    }
}

/// A line on the terminal while the daemon works (a conversion takes seconds on a large
/// journal), cleared when it answers; nothing at all when stderr is not a terminal.
enum Working {
    static func `while`<T>(_ what: String, _ body: () throws(CLIError) -> T) throws(CLIError) -> T {
        let shown = isatty(2) == 1
        if shown { Terminal.writeError(what) }
        defer { if shown { Terminal.writeError("\r\u{1B}[K") } }
        return try body()
    }
}
