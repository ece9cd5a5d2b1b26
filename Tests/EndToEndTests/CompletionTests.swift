import Foundation
import Testing

/// `kindling completions bash|zsh|fish`, each script loaded by its real shell the way an
/// installed one is (bash-completion's loader, zsh's compinit, fish's `complete`), asked to
/// complete a command and an option. Each shell gets a private home and XDG folders in a
/// scratch directory, so nothing is written outside it.
@Suite struct CompletionTests {
    static let tools = [
        ("/usr/bin/bash", "bash"), ("/usr/share/bash-completion/bash_completion", "bash-completion"),
        ("/usr/bin/zsh", "zsh"), ("/usr/bin/fish", "fish"),
    ]
    /// Commands any of the scripts must offer after `kindling `, and options after `kindling respond --`.
    static let commands = ["today", "respond", "note", "journal", "doctor", "config", "completions"]
    static let respondOptions = ["--mood", "--energy", "--json", "--socket"]

    struct Scratch {
        let root: String
        var environment: [String: String]
    }

    static func requireTools() throws {
        let missing = tools.filter { !FileManager.default.fileExists(atPath: $0.0) }
        guard missing.isEmpty else {
            let list = missing.map { "\($0.0) (Debian package \($0.1))" }.joined(separator: ", ")
            throw TestSetupError("missing for the completion tests: \(list); run `make test`, which installs them")
        }
    }

    /// A scratch home with every folder a shell might write to, and the script for `shell`
    /// written where `install` puts it (relative to the scratch data folder).
    func scratch(_ shell: String, installAt relativePath: String) throws -> Scratch {
        try Self.requireTools()
        let root = try makePrivateDirectory("kindling-completion")
        var environment = [
            "PATH": binDirectory + ":/usr/bin:/bin", "HOME": root + "/home", "XDG_CONFIG_HOME": root + "/config",
            "XDG_DATA_HOME": root + "/data", "XDG_CACHE_HOME": root + "/cache", "XDG_STATE_HOME": root + "/state",
            "XDG_RUNTIME_DIR": root + "/run", "TERM": "dumb", "LC_ALL": "C.UTF-8",
        ]
        for folder in ["home", "config", "data", "cache", "state", "run"] {
            try FileManager.default.createDirectory(atPath: root + "/" + folder, withIntermediateDirectories: true)
        }
        let script = try run(binDirectory + "/kindling", ["completions", shell], environment: environment)
        try #require(script.status == 0 && !script.stdout.isEmpty, "kindling completions \(shell): \(script)")
        let target = root + "/" + relativePath
        try FileManager.default.createDirectory(
            atPath: (target as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try script.stdout.write(toFile: target, atomically: true, encoding: .utf8)
        environment["KC_ROOT"] = root
        return Scratch(root: root, environment: environment)
    }

    /// The words after `HIT:` (or another marker) in a shell's output, one a line or many.
    static func hits(_ output: String, marker: String = "HIT:") -> Set<String> {
        var found: Set<String> = []
        for line in output.split(whereSeparator: \.isNewline) {
            for part in line.components(separatedBy: marker).dropFirst() {
                if let word = part.split(separator: " ").first { found.insert(String(word)) }
            }
        }
        return found
    }

    // MARK: - bash

    /// bash-completion finds the script by itself in $XDG_DATA_HOME/bash-completion/completions
    /// (where `make install` puts it), and its function fills COMPREPLY.
    static let bashDriver = #"""
        source /usr/share/bash-completion/bash_completion
        __load_completion kindling || { echo "bash-completion found no completion for kindling" >&2; exit 1; }
        spec=$(complete -p kindling) || exit 1
        function=$(sed -E 's/.*-F ([^ ]+) .*/\1/' <<<"$spec")
        line=$1
        read -ra COMP_WORDS <<<"$line"
        [[ $line == *" " ]] && COMP_WORDS+=("")
        COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
        COMP_LINE=$line
        COMP_POINT=${#line}
        "$function" kindling "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD - 1]}"
        printf 'HIT:%s\n' "${COMPREPLY[@]}"
        """#

    func bash(_ scratch: Scratch, _ line: String) throws -> Outcome {
        try run(
            "/usr/bin/bash", ["--norc", "--noprofile", "-c", Self.bashDriver, "bash", line], environment: scratch.environment)
    }

    @Test func bashCompletesCommandsAndOptions() throws {
        let scratch = try scratch("bash", installAt: "data/bash-completion/completions/kindling")
        defer { try? FileManager.default.removeItem(atPath: scratch.root) }
        let commands = try bash(scratch, "kindling ")
        try #require(commands.status == 0, "\(commands)")
        #expect(Set(Self.commands).isSubset(of: Self.hits(commands.stdout)), "bash offered: \(commands.stdout)")
        let options = try bash(scratch, "kindling respond --")
        #expect(Set(Self.respondOptions).isSubset(of: Self.hits(options.stdout)), "bash offered: \(options.stdout)")
    }

    // MARK: - zsh

    /// Completion in zsh needs its line editor: the driver starts an interactive zsh on a
    /// pseudo-terminal (zsh/zpty), loads compinit with the script on $fpath, types the line and
    /// a Tab, and a wrapper around compadd prints each candidate zsh is given.
    static let zshSetup = #"""
        PS1=''; PROMPT=''; RPROMPT=''
        fpath=($KC_ROOT/zfunc $fpath)
        autoload -U compinit
        compinit -u -d $KC_ROOT/cache/zcompdump
        bindkey '^I' complete-word
        compadd() {
          if (( ${@[(I)-[OAD]]} )); then builtin compadd "$@"; return; fi
          local -a candidates
          builtin compadd -A candidates "$@"
          (( $#candidates )) && print -rl -- "${candidates[@]/#/HIT:}"
          builtin compadd "$@"
        }
        completion-ended() { print -r -- COMPLETION-ENDED }
        comppostfuncs=(completion-ended)
        print SETUP-DONE
        """#

    static let zshDriver = #"""
        zmodload zsh/zpty
        zpty shell zsh -f -i
        zpty -w shell "source ${(q)KC_ROOT}/setup.zsh"
        local line
        while zpty -r shell line; do [[ $line == *SETUP-DONE* ]] && break; done
        zpty -w shell "$1"$'\t'
        while zpty -r shell line; do
          [[ $line == *COMPLETION-ENDED* ]] && break
          print -r -- "$line"
        done
        zpty -d shell
        """#

    func zsh(_ scratch: Scratch, _ line: String) throws -> Outcome {
        var environment = scratch.environment
        environment["ZDOTDIR"] = scratch.root + "/home"
        return try run("/usr/bin/zsh", ["-f", "-c", Self.zshDriver, "zsh", line], environment: environment, timeout: 30)
    }

    @Test func zshCompletesCommandsAndOptions() throws {
        let scratch = try scratch("zsh", installAt: "zfunc/_kindling")
        defer { try? FileManager.default.removeItem(atPath: scratch.root) }
        try Self.zshSetup.write(toFile: scratch.root + "/setup.zsh", atomically: true, encoding: .utf8)
        let commands = try zsh(scratch, "kindling ")
        try #require(commands.status == 0, "\(commands)")
        #expect(Set(Self.commands).isSubset(of: Self.hits(commands.stdout)), "zsh offered: \(commands.stdout)")
        let options = try zsh(scratch, "kindling respond --")
        #expect(Set(Self.respondOptions).isSubset(of: Self.hits(options.stdout)), "zsh offered: \(options.stdout)")
    }

    // MARK: - fish

    @Test func fishCompletesCommandsAndOptions() throws {
        let scratch = try scratch("fish", installAt: "data/fish/vendor_completions.d/kindling.fish")
        defer { try? FileManager.default.removeItem(atPath: scratch.root) }
        // fish reads vendor completions from $XDG_DATA_DIRS; --no-config keeps it off the
        // scratch home's config, so the script is sourced by hand, as the loader would.
        let script = scratch.root + "/data/fish/vendor_completions.d/kindling.fish"
        let outcome = try run(
            "/usr/bin/fish",
            [
                "--no-config", "-c",
                "source \(script); complete -C'kindling ' | string replace -r '^' HIT:; "
                    + "complete -C'kindling respond --' | string replace -r '^' OPTION:",
            ], environment: scratch.environment, timeout: 30)
        try #require(outcome.status == 0, "\(outcome)")
        let commands = Self.hits(outcome.stdout.replacingOccurrences(of: "\t", with: " "))
        #expect(Set(Self.commands).isSubset(of: commands), "fish offered: \(outcome.stdout)")
        let options = Self.hits(outcome.stdout.replacingOccurrences(of: "\t", with: " "), marker: "OPTION:")
        #expect(Set(Self.respondOptions).isSubset(of: options), "fish offered: \(outcome.stdout)")
    }
}
