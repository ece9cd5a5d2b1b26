// The built-in prompts the person turned off by key: the rotation leaves them out.
import Foundation
import GRDB

extension AppDatabase {
    /// The keys of the prompts the person hid, in no particular order.
    public func hiddenPromptKeys() throws(StoreError) -> Set<String> {
        try read { db in Set(try String.fetchAll(db.cachedStatement(sql: "SELECT key FROM hidden_prompts"))) }
    }

    /// Hides the prompt `key` (`hidden` true) or shows it again; returns false when it already
    /// was as asked. One transaction.
    @discardableResult
    public func setPromptHidden(_ key: String, hidden: Bool, at: Date) throws(StoreError) -> Bool {
        try write { db in
            if hidden {
                try db.execute(
                    sql: "INSERT INTO hidden_prompts (key, hidden_at) VALUES (?, ?) ON CONFLICT (key) DO NOTHING",
                    arguments: [key, milliseconds(at)])
            } else {
                try db.execute(sql: "DELETE FROM hidden_prompts WHERE key = ?", arguments: [key])
            }
            return db.changesCount > 0
        }
    }
}
