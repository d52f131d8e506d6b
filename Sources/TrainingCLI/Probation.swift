import ArgumentParser
import TrainingDomain
import TrainingServices

extension Muster {
    struct Probation: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "probation",
            abstract: "Probation: start, review, extend (before the end date), complete.",
            subcommands: [Start.self, Review.self, Extend.self, Complete.self])
    }
}

extension Muster.Probation {
    struct Start: TraineeRecordingCommand {
        static let configuration = CommandConfiguration(
            commandName: "start", abstract: "Start probation (--date is the start; the end follows policy).")
        @OptionGroup var target: TraineeRecordOptions
        func command(on day: Day, by actor: Actor, services: Services) -> TrainingCommand { .startProbation(start: day) }
    }

    struct Review: TraineeRecordingCommand {
        static let configuration = CommandConfiguration(commandName: "review", abstract: "Record a probation review.")
        @OptionGroup var target: TraineeRecordOptions
        @Option(parsing: .unconditional, help: "Months into probation (3, 6, 9, 12).") var interval: Bounded<MonthCount>
        @Option(help: "\(ReviewOutcome.allCases.map(\.rawValue).joined(separator: ", ")).") var outcome: ReviewOutcome
        @Option(help: "Notes.") var notes: String
        func validate() throws { _ = try interval.checked("--interval") }
        func command(on day: Day, by actor: Actor, services: Services) -> TrainingCommand {
            .reviewProbation(interval: interval.value, outcome: outcome, notes: notes, on: day)
        }
    }

    struct Extend: TraineeRecordingCommand {
        static let configuration = CommandConfiguration(
            commandName: "extend", abstract: "Extend probation; must be recorded before the current end date.")
        @OptionGroup var target: TraineeRecordOptions
        @Option(help: "New end date YYYY-MM-DD.") var newEnd: Day
        @Option(help: "Why.") var reason: String
        func command(on day: Day, by actor: Actor, services: Services) -> TrainingCommand {
            .extendProbation(newEnd: newEnd, reason: reason, on: day)
        }
    }

    struct Complete: TraineeRecordingCommand {
        static let configuration = CommandConfiguration(commandName: "complete", abstract: "Complete probation: permanent status.")
        @OptionGroup var target: TraineeRecordOptions
        func command(on day: Day, by actor: Actor, services: Services) -> TrainingCommand { .completeProbation(on: day) }
    }
}
