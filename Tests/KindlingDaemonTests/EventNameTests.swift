import KindlingControl
import KindlingCore
import Testing

/// The journal's event log (KindlingCore's `EventKind`) and the watch stream (KindlingControl's
/// `Event.Kind`) are two lists, since the control protocol depends on nothing of ours; a kind
/// that both know must carry one name, or a script reading the stream and one reading an export
/// would disagree.
struct EventNameTests {
    @Test func everyWatchedKindButPendingIsAKindTheLogRecords() {
        let logged = Set(EventKind.allCases.map(\.rawValue))
        let onlyOnTheWire = Event.Kind.allCases.filter { !logged.contains($0.rawValue) }
        #expect(onlyOnTheWire == [.pending])
    }
}
