import ArgumentParser
import Foundation
import TrainingDomain
import TrainingProjections
import TrainingRecords
import TrainingServices

// The standards commission's view: every agency, one row each, read as the statewide role.

extension Muster {
    struct Statewide: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "statewide",
            abstract: "Every agency at a glance: recruits per stage, field-training completions, coursework compliance, FTOs and their workload.",
            discussion: """
                Reads as the statewide role (muster_state), which sees every agency's read models and writes nothing: \
                the login must be granted muster_state (or own the database).
                """)
        @OptionGroup var options: GlobalOptions
        @Option(help: "Write CSV (for a spreadsheet) to this file, or - for standard output.") var csv: String?

        func run() async throws {
            let today = Muster.clock.today
            let rows = try await options.database.withStatewideReadModels { try await $0.statewide(on: today) }
            if let csv {
                let text = StatewideReport.csv(rows)
                if csv == "-" {
                    print(text, terminator: "")
                } else {
                    do {
                        try Data(text.utf8).write(to: URL(fileURLWithPath: csv))
                    } catch {
                        throw UserError("cannot write \(csv): \(error.localizedDescription); check the folder and its permissions")
                    }
                    say("wrote \(rows.count) agencies to \(csv)")
                }
                return
            }
            if options.json { return try Output.json(rows) }
            Output.table(
                ["AGENCY", "HIRED", "ACADEMY", "FIELD TRAINING", "PROBATION", "SOLO (1Y)", "COURSEWORK", "FTOS", "PER FTO (MAX)"],
                rows.map { row in
                    [
                        row.agency, "\(row.stages["hired"] ?? 0)", "\((row.stages["academy"] ?? 0) + (row.stages["academy_graduated"] ?? 0))",
                        "\(row.traineesInFieldTraining)", "\(row.stages["probation"] ?? 0)", "\(row.completionsPastYear)",
                        "\(Self.bar(row.complianceRate)) \(String(format: "%.0f%%", row.complianceRate * 100))", "\(row.qualifiedFTOs)",
                        String(format: "%.1f (%d)", row.traineesPerFTO, row.mostTraineesPerFTO),
                    ]
                })
        }

        /// A ten-cell bar for a rate, so the eye finds the laggards down a long list.
        static func bar(_ rate: Double) -> String {
            let filled = max(0, min(10, Int((rate * 10).rounded())))
            return String(repeating: "█", count: filled) + String(repeating: "░", count: 10 - filled)
        }
    }
}
