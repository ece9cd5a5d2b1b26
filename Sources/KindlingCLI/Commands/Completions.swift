import ArgumentParser

/// `kindling completions bash|zsh|fish`: a completion script on stdout.
struct Completions: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "completions", abstract: "Print a shell completion script (bash, zsh or fish).",
        discussion: """
            bash: kindling completions bash > ~/.local/share/bash-completion/completions/kindling
            zsh:  kindling completions zsh > ~/.zfunc/_kindling   (with fpath+=~/.zfunc)
            fish: kindling completions fish > ~/.config/fish/completions/kindling.fish
            """)

    @Argument(help: "The shell: bash, zsh or fish.")
    var shell: String

    func validate() throws {
        guard CompletionShell(rawValue: shell) != nil else {
            throw ValidationError("unknown shell \"\(shell)\"; use bash, zsh or fish")
        }
    }

    func run() throws {
        print(Kindling.completionScript(for: CompletionShell(rawValue: shell)!))
    }
}
