import ArgumentParser
import EventLogPostgres
import TrainingServices

extension Muster {
    struct DB: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "db", abstract: "Set up and inspect the database.", subcommands: [Migrate.self, Status.self, Backup.self, Restore.self])
    }
}

extension Muster.DB {
    struct Migrate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "migrate",
            abstract: "Apply schema/NNNN_*.sql migrations in order (a no-op when up to date).")

        @OptionGroup var options: GlobalOptions
        @Option(help: "Folder of migration files (default: MUSTER_SCHEMA_DIR, ./schema, or beside the executable).")
        var schema: String?

        func run() async throws {
            let database = options.database
            let report = try await database.migrate(schemaDirectory: schema)
            if options.json { return try Output.json(report) }
            for name in report.applied { say("applied  \(name)") }
            say(
                report.applied.isEmpty
                    ? "up to date (\(report.alreadyApplied.count) migrations already applied)"
                    : "migrated \(database.displayName): \(report.applied.count) applied, \(report.alreadyApplied.count) already there")
        }
    }

    struct Status: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "status", abstract: "List migrations and when each was applied.")

        @OptionGroup var options: GlobalOptions
        @Option(help: "Folder of migration files.") var schema: String?

        func run() async throws {
            let status = try await options.database.migrationStatus(schemaDirectory: schema)
            if options.json { return try Output.json(status) }
            Output.table(["MIGRATION", "APPLIED"], status.map { [$0.name, $0.appliedAt.map(Output.date) ?? "pending"] })
        }
    }
}

extension Muster.DB {
    struct Backup: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "backup", abstract: "Write the whole database to a file (pg_dump's custom format).")
        @OptionGroup var options: GlobalOptions
        @Argument(help: "The backup file to write.") var file: String
        func run() async throws {
            let summary = try await options.database.backup(to: file)
            if options.json { return try Output.json(summary) }
            say("backed up \(options.database.displayName) to \(summary.file) (\(summary.bytes) bytes)")
        }
    }

    struct Restore: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "restore",
            abstract: "Restore a backup into an empty database; it then reads exactly as before, in the same order.",
            discussion:
                "Restoring into another cluster starts a new transaction-id epoch, so appends after the restore are read after the restored ones.")
        @OptionGroup var options: GlobalOptions
        @Argument(help: "The backup file `muster db backup` wrote.") var file: String
        func run() async throws {
            let summary = try await options.database.restore(from: file)
            if options.json { return try Output.json(summary) }
            say("restored \(summary.events) events into \(options.database.displayName) (log epoch \(summary.epoch)); run `muster audit verify`")
        }
    }
}
