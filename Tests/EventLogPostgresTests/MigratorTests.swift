import EventLog
import EventLogPostgres
import EventLogTesting
import Foundation
import Postgres
import Testing

@Suite struct MigratorTests {
    static func migrator() throws -> Migrator { try Migrator(directory: TestDatabase.schemaDirectory) }

    @Test("migrate applies every file in order, records it, and a second run is a no-op")
    func migrateTwice() async throws {
        try await TestDatabase.with(migrated: false) { database in
            let client = try await database.client()
            let migrator = try Self.migrator()
            let first = try await migrator.migrate(client)
            #expect(first.applied == migrator.migrations.map(\.name))
            #expect(first.alreadyApplied.isEmpty)
            let second = try await migrator.migrate(client)
            #expect(second.applied.isEmpty)
            #expect(second.alreadyApplied == migrator.migrations.map(\.name))
            let status = try await migrator.status(client)
            #expect(status.allSatisfy { $0.appliedAt != nil })
            let checksums = try await client.rows("SELECT checksum FROM public.schema_migrations ORDER BY version") {
                try $0.decode(String.self, row: $1, column: 0)
            }
            #expect(checksums == migrator.migrations.map(\.checksum))
            await client.close()
        }
    }

    @Test("an applied migration that was edited is refused with a clear error")
    func editedMigrationIsRefused() async throws {
        try await TestDatabase.with { database in
            let client = try await database.client()
            var migrations = try Self.migrator().migrations
            migrations[0].sql += "\n-- a later edit\n"
            migrations[0].checksum = "0000ffff"
            let error = await #expect(throws: EventLogError.self) { _ = try await Migrator(migrations: migrations).migrate(client) }
            #expect(error?.code == .migrationEdited)
            #expect(error?.description.contains("0001_event_log.sql was edited after it was applied") == true)
            #expect(error?.description.contains("new migration") == true)
            await client.close()
        }
    }

    @Test("a failing migration is rolled back whole and not recorded")
    func failingMigrationRollsBack() async throws {
        try await TestDatabase.with { database in
            let client = try await database.client()
            let broken = Migrator.Migration(
                version: 9999, name: "9999_broken.sql", sql: "CREATE TABLE muster.half (id int); SELECT no_such_function();",
                checksum: "x")
            let migrations = try Self.migrator().migrations + [broken]
            let error = await #expect(throws: EventLogError.self) { _ = try await Migrator(migrations: migrations).migrate(client) }
            #expect(error?.code == .migrationFailed)
            #expect(error?.description.contains("9999_broken.sql failed and was rolled back") == true)
            let half = try await client.rows("SELECT to_regclass('muster.half') IS NULL") { try $0.decode(Bool.self, row: $1, column: 0) }
            #expect(half == [true])
            await client.close()
        }
    }

    @Test("a store on an unmigrated database says to run muster db migrate")
    func unmigratedDatabase() async throws {
        try await TestDatabase.with(migrated: false) { database in
            let error = await #expect(throws: EventLogError.self) { _ = try await database.store() }
            #expect(error?.code == .notMigrated)
            #expect(error?.description.contains("muster db migrate") == true)
        }
    }

    @Test("a database that is down gives storageUnavailable with what to do")
    func databaseDown() async {
        let error = await #expect(throws: EventLogError.self) {
            _ = try await PostgresEventStore.connect(PostgresConfiguration(conninfo: "host=/nonexistent-muster port=1"))
        }
        #expect(error?.code == .storageUnavailable)
        #expect(error?.description.contains("scripts/db start") == true)
    }
}
