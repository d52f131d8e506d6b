import ArgumentParser
import EventLog
import TrainingDomain
import TrainingRecords
import TrainingServices

@main
struct Muster: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "muster",
        abstract: "Training records for police departments, kept as an append-only event log.",
        discussion: """
            The database comes from --database-url, else MUSTER_DATABASE_URL, else libpq's PG* variables.
            Every command prints a table for people; add --json for programs.
            Commands that record act as --as NAME (or MUSTER_USER), a user registered with `muster user add`.
            Every command acts for one agency, --agency ID (or MUSTER_AGENCY, else pasadena): the database shows it only that agency's rows.
            """,
        subcommands: [
            DB.self, User.self, Trainee.self, Academy.self, FieldTraining.self, Probation.self, Course.self, FTO.self, Separate.self,
            Correct.self, Retract.self, Pipeline.self, ReadinessBoard.self, Expiring.self, Forecast.self, Queue.self, Workload.self,
            Projections.self, Seed.self, History.self, Status.self, Policy.self, Events.self, Audit.self, Import.self, Serve.self,
            Token.self, Statewide.self,
        ]
    )

    /// The one clock of the process: every "now" and "today" below comes from it.
    static let clock = WallClock.system

    /// Runs the command; a refusal or failure prints as one line (stored names in it made safe
    /// for the terminal) and exits non-zero.
    static func main() async {
        do {
            var command = try parseAsRoot()
            if var command = command as? any AsyncParsableCommand {
                try await command.run()
            } else {
                try command.run()
            }
        } catch let error as DomainError {
            exit(withError: UserError(Output.safe(error.description)))
        } catch let error as EventLogError {
            exit(withError: UserError(Output.safe(error.description)))
        } catch let error as UserError {
            exit(withError: UserError(Output.safe(error.description)))
        } catch {
            exit(withError: error)
        }
    }
}

/// Options every command that touches the database shares.
struct GlobalOptions: ParsableArguments {
    @Option(name: .customLong("database-url"), help: "libpq URL or conninfo (default: MUSTER_DATABASE_URL, then PG* variables).")
    var databaseURL: String?

    @Flag(help: "Print JSON for programs instead of tables.")
    var json = false

    @Option(name: .customLong("read-url"), help: "A hot standby for reads (default: MUSTER_READ_URL); the primary when it cannot answer.")
    var readURL: String?

    @Option(help: "The agency to act for (default: MUSTER_AGENCY, else pasadena); the database shows only its rows.")
    var agency: String?

    var database: MusterDatabase { MusterDatabase(url: databaseURL, readURL: readURL, clock: Muster.clock, agency: agency.map(AgencyID.init)) }
}
