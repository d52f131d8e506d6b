import ArgumentParser
import Foundation
import TrainingDomain
import TrainingProjections
import TrainingServices

extension Muster {
    struct History: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Every entry of a trainee's record: occurred, recorded, by whom, in what role, and what amended it.")

        @OptionGroup var options: GlobalOptions
        @Argument(help: "Trainee id.") var trainee: String

        func run() async throws {
            let services = try await MusterDatabase(url: options.databaseURL).services()
            let lines = try await services.replay.history(.trainee(TraineeID(trainee)))
            await services.close()
            guard !lines.isEmpty else { throw UserError("no trainee \(trainee); check the id") }
            if options.json { return try Output.json(lines) }
            Output.table(
                ["#", "OCCURRED", "RECORDED", "BY", "ROLE", "ENTRY", "NOTE"],
                lines.map { line in
                    [
                        "\(line.version)", line.occurredOn, Output.date(line.recordedAt), line.actor, line.role, line.type,
                        [line.amends, line.amendedBy, line.lateByDays > 3 ? "recorded \(line.lateByDays) days late" : nil]
                            .compactMap { $0 }.joined(separator: "; "),
                    ]
                })
        }
    }

    struct Status: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "A trainee's status as of a business date (--as-of) or as the log knew it (--known-at).")

        @OptionGroup var options: GlobalOptions
        @Argument(help: "Trainee id.") var trainee: String
        @Option(help: "Business date YYYY-MM-DD: only what happened on or before it.") var asOf: String?
        @Option(help: "Date YYYY-MM-DD: only what had been recorded by the end of that day (UTC).") var knownAt: String?

        func validate() throws {
            if let asOf { _ = try parseDay(asOf, "--as-of") }
            if let knownAt { _ = try parseDay(knownAt, "--known-at") }
        }

        func run() async throws {
            let services = try await MusterDatabase(url: options.databaseURL).services()
            let asOfDay = try asOf.map { try parseDay($0, "--as-of") }
            let knownDay = try knownAt.map { try parseDay($0, "--known-at") }
            let file = try await services.replay.status(
                .trainee(TraineeID(trainee)), asOf: asOfDay, knownAt: knownDay.map { EntryMapping.date($0.adding(days: 1)).addingTimeInterval(-0.000001) })
            let day = asOfDay ?? knownDay ?? services.today
            let policy = try await services.training.policies().policy(on: day)
            await services.close()
            guard file.profile != nil else { throw UserError("no record of trainee \(trainee) at that point") }
            try printStatus(file, policy: policy, on: day, json: options.json)
        }
    }
}
