import ArgumentParser

@main
struct Muster: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "muster",
        abstract: "Training records for police departments, kept as an append-only event log.",
        discussion: """
            The database comes from --database-url, else MUSTER_DATABASE_URL, else libpq's PG* variables.
            Every command prints a table for people; add --json for programs.
            Commands that record act as --as NAME (or MUSTER_USER), a user registered with `muster user add`.
            """,
        subcommands: [
            DB.self, User.self, Trainee.self, Academy.self, FieldTraining.self, Probation.self, Course.self, FTO.self, Separate.self,
            Correct.self, Retract.self, Pipeline.self, ReadinessBoard.self, Expiring.self, Forecast.self, Queue.self, Workload.self, Projections.self, Seed.self, History.self, Status.self,
            Events.self, Audit.self,
        ]
    )
}

/// Options every command that touches the database shares.
struct GlobalOptions: ParsableArguments {
    @Option(name: .customLong("database-url"), help: "libpq URL or conninfo (default: MUSTER_DATABASE_URL, then PG* variables).")
    var databaseURL: String?

    @Flag(help: "Print JSON for programs instead of tables.")
    var json = false
}
