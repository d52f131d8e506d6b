import ArgumentParser
import Foundation
import TrainingDomain
import TrainingRecords
import TrainingServices

// The compliance reviewer's replay of a record: history, and status as of a day.

extension Muster {
    struct History: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "history",
            abstract: "Every entry of a trainee's record: occurred, recorded, by whom, in what role, and what amended it.")

        @OptionGroup var options: GlobalOptions
        @Argument(help: "Trainee id.") var trainee: TraineeID

        func run() async throws {
            let lines = try await options.database.withServices { try await $0.replay.history(.trainee(trainee)) }
            guard !lines.isEmpty else { throw UserError("no trainee \(trainee); check the id") }
            if options.json { return try Output.json(lines) }
            Output.table(
                ["#", "OCCURRED", "RECORDED", "BY", "ROLE", "ENTRY", "NOTE"],
                lines.map { line in
                    [
                        "\(line.version)", line.occurredOn, Output.date(line.recordedAt), line.actor, line.role, line.type,
                        [
                            line.unreadable.map { "CANNOT BE READ: \($0)" }, line.amends, line.amendedBy,
                            line.document.map { "from paper: \($0), signed \(line.documentSignedOn ?? "on an unknown day")" },
                            line.lateByDays > 3 ? "recorded \(line.lateByDays) days late" : nil,
                        ]
                        .compactMap { $0 }.joined(separator: "; "),
                    ]
                })
        }
    }

    struct Status: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "status",
            abstract: "A trainee's status as of a business date (--as-of) or as the log knew it (--known-at).")

        @OptionGroup var options: GlobalOptions
        @Argument(help: "Trainee id.") var trainee: TraineeID
        @Option(help: "Business date YYYY-MM-DD: only what happened on or before it.") var asOf: Day?
        @Option(help: "Date YYYY-MM-DD: only what had been recorded by the end of that day (UTC).") var knownAt: Day?

        func run() async throws {
            let (file, policy, day) = try await options.database.withServices { services in
                let file = try await services.replay.status(
                    .trainee(trainee), asOf: asOf,
                    knownAt: knownAt.map { EntryMapping.date($0.adding(days: 1)).addingTimeInterval(-0.000001) })
                let day = asOf ?? knownAt ?? services.today
                return (file, try await services.training.policies().policy(on: day), day)
            }
            guard file.profile != nil else { throw UserError("no record of trainee \(trainee) at that point") }
            try printStatus(file, policy: policy, on: day, json: options.json)
        }
    }
}
