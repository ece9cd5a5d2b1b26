extension Configuration {
    /// Whether `name` could name a slot in a config file: a built-in slot, or a custom name of at
    /// most 32 characters from a-z, 0-9, "-" and "_". What comes from outside the config (an import)
    /// is held to the same rule, so a slot name never carries a control character or a long text.
    public static func isValidSlotName(_ name: String) -> Bool {
        builtinSlotNames.contains(name) || ConfigReader.customNameProblem(name) == nil
    }
}
