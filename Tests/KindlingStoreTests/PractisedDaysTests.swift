import Foundation
import KindlingCore
import Testing

@testable import KindlingStore

/// The practised days are kept across writes (AppDatabase.practised): every write shows
/// at once, and each `since` gets its own answer.
@Suite struct PractisedDaysTests {
    @Test func everyWriteShowsInTheNextAnswer() throws {
        let journal = AppDatabase.inMemory()
        #expect(try journal.practisedDays() == [])
        _ = try journal.saveNote(text: "held the door", at: t0, localDate: "2026-11-20")
        #expect(try journal.practisedDays() == ["2026-11-20"])
        #expect(try journal.practisedDays(since: "2026-11-21") == [])
        let id = try journal.saveNote(text: "soup for a neighbour", at: at(86_400), localDate: "2026-11-21")
        #expect(try journal.practisedDays() == ["2026-11-20", "2026-11-21"])
        #expect(try journal.practisedDays(since: "2026-11-21") == ["2026-11-21"])
        try journal.deleteEntry(id: id)
        #expect(try journal.practisedDays() == ["2026-11-20"])
        #expect(try journal.practisedDays(since: "2026-11-21") == [])
        // Many different `since` between two writes: each is still right.
        for day in 1...20 {
            let since = String(format: "2026-11-%02d", day)
            #expect(try journal.practisedDays(since: since) == ["2026-11-20"])
        }
    }

    @Test func aDateIsReadOnlyInItsOneForm() {
        #expect(LocalDate("2026-11-21") == LocalDate(year: 2026, month: 11, day: 21))
        for text in ["2026-02-30", "2026-13-01", "2026-1-01", "2026-11-2a", "20261-1-21", "２026-11-21", "2026/11/21", ""] {
            #expect(LocalDate(text) == nil, "\(text)")
        }
    }
}
