import Testing

@testable import KindlingCore

/// The step in hand when progress counts from a later step (after `kindling program skip`
/// or `start --over`), with steps left out.
@Suite struct ProgramStepTests {
    static let reset = BuiltInPrograms.named("five-day-reset")!
    static let circle = BuiltInPrograms.named("widening-circle")!

    private func settings(_ name: String, skip: [Int] = []) -> ProgramSettings {
        var settings = ProgramSettings()
        settings.name = ProgramChoice(rawValue: name)
        settings.skip = skip
        return settings
    }

    @Test func countingFromALaterStepStartsAtItsFirstDay() throws {
        let position = try #require(
            ProgramEngine.position(settings: settings("five-day-reset"), practisedDaysBefore: 0, fromStep: 3))
        #expect(position.part == 3 && position.stepNumber == 3 && !position.isComplete)
        let later = try #require(
            ProgramEngine.position(settings: settings("five-day-reset"), practisedDaysBefore: 1, fromStep: 3))
        #expect(later.part == 4)
        #expect(
            ProgramEngine.stepPrompt(for: "nudge", at: later) != nil
                || ProgramEngine.stepPrompt(for: "intention", at: later) != nil)
    }

    @Test func aWeekStepBeginsOnItsFirstDayAndLeftOutStepsArePassedBy() throws {
        let week = try #require(
            ProgramEngine.position(settings: settings("widening-circle", skip: [3]), practisedDaysBefore: 0, fromStep: 2))
        #expect(week.part == 2 && week.dayInStep == 1)
        let pastTheGap = try #require(
            ProgramEngine.position(settings: settings("widening-circle", skip: [3]), practisedDaysBefore: 7, fromStep: 2))
        #expect(pastTheGap.part == 4 && pastTheGap.dayInStep == 1, "week 3 is left out")
        let fromLeftOut = try #require(
            ProgramEngine.position(settings: settings("widening-circle", skip: [3]), practisedDaysBefore: 0, fromStep: 3))
        #expect(fromLeftOut.part == 4, "a mark on a left-out step begins at the next one")
    }

    @Test func movingOnFromTheLastStepCompletesTheProgram() throws {
        let done = try #require(
            ProgramEngine.position(settings: settings("five-day-reset"), practisedDaysBefore: 0, fromStep: 6))
        #expect(done.isComplete && done.part == nil)
        #expect(ProgramEngine.stepPrompt(for: "intention", at: done) == nil, "the everyday prompts carry on")
    }
}
