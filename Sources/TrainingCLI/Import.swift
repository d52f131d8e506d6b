import ArgumentParser
import Foundation
import TrainingDomain
import TrainingServices

extension Muster {
    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "import",
            abstract: "Import a department's history from paper records: a folder of CSV files, all or nothing.",
            discussion: """
                Files (any of): \(BackfillPlan.fileNames.joined(separator: ", ")). Every row names its paper record (document) \
                and who signed it (signed_by, a user registered in users.csv or before). Every rule applies as if each row were \
                recorded by hand on its date; one bad row and nothing is written. Running the same import again records nothing \
                twice. The format: docs/BACKFILL.md, an example: examples/backfill/.
                """)

        @OptionGroup var options: GlobalOptions
        @Argument(help: "The folder holding the CSV files.") var folder: String
        @Flag(help: "Check every row and report what would be recorded; write nothing.") var dryRun = false

        func run() async throws {
            let dryRun = dryRun
            let report: BackfillReport
            do {
                report = try await options.database.withServices { services in
                    let plan = try BackfillPlan.read(folder: URL(fileURLWithPath: folder), agency: services.training.agency)
                    let importer = BackfillImporter(store: services.store, agency: services.training.agency, clock: services.training.clock)
                    return try await importer.run(plan, dryRun: dryRun, progress: Self.progress)
                }
            } catch let error as BackfillError {
                throw UserError(error.description)
            }
            if options.json { return try Output.json(report) }
            Self.print(report)
        }

        /// A line on standard error every 500 commands, and at the end.
        @Sendable static func progress(_ decided: Int, _ total: Int) {
            if decided % 500 == 0 || decided == total { Output.note("decided \(decided) of \(total) commands") }
        }

        static func print(_ report: BackfillReport) {
            Output.table(["FILE", "ROWS", "NEW ENTRIES"], report.files.map { [$0.file, "\($0.rows)", "\($0.entries)"] })
            Swift.print()
            if !report.entryTypes.isEmpty {
                Output.table(["ENTRY", "COUNT"], report.entryTypes.map { [$0.type, "\($0.entries)"] })
                Swift.print()
            }
            let trainees = report.people.filter { $0.hasPrefix("trainee ") }.count
            say(
                "records affected: \(report.people.count) (\(trainees) trainees, \(report.people.count - trainees) officers); users registered: \(report.users.count)"
            )
            if !report.overrides.isEmpty {
                say("plausibility checks overridden: \(report.overrides.count)")
                for override in report.overrides {
                    say("  \(override.file) line \(override.line): \(override.check): \(override.reason)")
                }
            }
            if report.alreadyRecorded > 0 {
                say("\(report.alreadyRecorded) entries of these rows were on record already (an earlier run of this import); not recorded twice")
            }
            if report.dryRun {
                say("dry run: \(report.rows) rows would record \(report.entries) entries; nothing was written")
            } else {
                say("imported \(report.rows) rows: \(report.entries) entries recorded in one transaction")
            }
        }
    }
}
