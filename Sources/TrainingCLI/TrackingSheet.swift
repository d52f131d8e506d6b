import ArgumentParser
import Foundation
import TrainingDomain
import TrainingProjections
import TrainingServices

extension Muster.FieldTraining {
    struct TrackingSheet: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "tracking-sheet",
            abstract: "A trainee's DOR tracking sheet: each category's rating on every shift of a phase, and its trend.")
        @OptionGroup var options: GlobalOptions
        @Argument(help: "Trainee id.") var trainee: TraineeID
        @Option(parsing: .unconditional, help: "Only this phase (default: every phase with DORs).") var phase: CheckedText?

        func run() async throws {
            let phase = try phase.map { try Self.phase($0.text) }
            let id = trainee.rawValue
            guard let sheet = try await options.database.withReadModels({ try await $0.trackingSheet(id, phase: phase) }) else {
                throw UserError("trainee \(id) is not in the read models: check the id, or bring them up to date with `muster projections run`")
            }
            if options.json { return try Output.json(sheet) }
            say("\(sheet.name) (\(sheet.badge)): DOR tracking sheet")
            if sheet.phases.isEmpty { say(phase.map { "no DORs in phase \($0)" } ?? "no DORs on file") }
            for part in sheet.phases {
                print("")
                say("phase \(part.phase): \(part.shifts.count) shifts, \(part.shifts.first ?? "-") to \(part.shifts.last ?? "-")")
                // Shifts as MM-DD, so a phase's grid fits a wide terminal.
                let shifts = part.shifts.map { String($0.suffix(5)) }
                Output.table(
                    ["CATEGORY"] + shifts + ["FIRST", "LAST", "MEAN", "TREND"],
                    part.categories.map { row in
                        [row.category] + row.ratings.map { $0.isEmpty ? "-" : $0 } + [
                            row.first.map(String.init) ?? "-", row.last.map(String.init) ?? "-", row.meanTimes100.map(Self.mean) ?? "-",
                            row.trend.replacingOccurrences(of: "_", with: " "),
                        ]
                    })
            }
        }

        static func phase(_ text: String) throws -> Int {
            guard let value = Int(text), PhaseNumber.range.contains(value) else {
                throw UserError(
                    "--phase must be a phase number \(PhaseNumber.range.lowerBound) to \(PhaseNumber.range.upperBound), not \"\(text.prefix(40))\": "
                        + "give e.g. --phase 1")
            }
            return value
        }

        /// 425 → `4.25`.
        static func mean(_ times100: Int) -> String {
            let cents = times100 % 100
            return "\(times100 / 100).\(cents < 10 ? "0" : "")\(cents)"
        }
    }
}
