#if canImport(Glibc)
    import Glibc
#endif

extension Paths {
    /// Whether the built-in defaults apply: no config file was named and none exists at the
    /// default path. Checked with lstat, so a dangling symlink or a loop there is a broken
    /// file to report, not a missing one.
    public var usesBuiltInDefaults: Bool {
        guard !configIsExplicit else { return false }
        var info = stat()
        return lstat(configFile, &info) != 0 && errno == ENOENT
    }
}
