import EventLog
import Foundation
import Postgres
import TrainingDomain
import TrainingRecords

extension ProjectionRunner {
    static let rebuildCheckpoint = "training:rebuild"

    /// An index of a live read-model table, re-created on the fresh table under a `_rebuild`
    /// name and given its own name back at the swap.
    struct IndexDefinition: Sendable {
        var table: String
        var name: String
        /// The constraint behind the index (a primary key), if any.
        var isConstraint: Bool
        var create: String
    }

    /// Refills the read models from the whole log into fresh tables, then swaps them in with
    /// one short transaction, so readers keep answering from the old tables until the swap.
    ///
    /// The fresh tables are filled without indexes: one pass over the log (``RebuildScan``),
    /// one COPY per table, then the live tables' indexes and constraints are built on them,
    /// and statistics gathered. The swap catches up with events appended meanwhile.
    ///
    /// - Parameter batch: events decoded together (several batches are decoded in parallel).
    /// - Returns: the number of events read.
    @discardableResult
    public func rebuild(batch: Int = 2048, progress: @escaping @Sendable (Int) -> Void = { _ in }) async throws -> Int {
        try await rebuild(batch: batch, progress: progress, afterScan: {})
    }

    /// `afterScan` runs between the scan and the swap (tests append there to exercise the catch-up).
    func rebuild(batch: Int, progress: @escaping @Sendable (Int) -> Void, afterScan: () async throws -> Void) async throws -> Int {
        let today = clock.today
        let (indexes, scanned, scannedCache) = try await client.withConnection { connection in
            var indexes: [IndexDefinition] = []
            for table in Self.tables {
                try connection.simpleQuery(
                    """
                    DROP TABLE IF EXISTS muster.\(table)_rebuild;
                    CREATE TABLE muster.\(table)_rebuild (LIKE muster.\(table) INCLUDING ALL EXCLUDING INDEXES);
                    """)
                indexes += try Self.indexDefinitions(of: table, on: connection)
            }
            try connection.query("DELETE FROM muster.projection_checkpoints WHERE projection = \(Self.rebuildCheckpoint)")
            let (cache, read) = try RebuildScan.run(on: connection, batchSize: batch, progress: progress)
            try ReadModelCopy.load(cache.files, policy: cache.policies.policy(on: today), suffix: "_rebuild", on: connection)
            for index in indexes { try connection.simpleQuery(index.create) }
            // Fresh tables have no planner statistics: gather them before readers see the tables.
            for table in Self.tables { try connection.simpleQuery("ANALYZE muster.\(table)_rebuild") }
            let position = cache.checkpoint ?? .start
            try connection.query(
                """
                INSERT INTO muster.projection_checkpoints (projection, xact_id, global_position, policy_in_force)
                VALUES (\(Self.rebuildCheckpoint), \(PostgresTransactionID(position.transaction)), \(position.global),
                        \(cache.policies.identity(on: today)))
                """)
            return (indexes, read, cache)
        }
        try await afterScan()
        let (caughtUp, built) = try await client.withConnection { connection in
            try connection.transaction { connection in
                // Hold the live checkpoint so no live batch runs during the swap; catch up first.
                try connection.query(
                    """
                    INSERT INTO muster.projection_checkpoints (projection, xact_id, global_position)
                    VALUES (\(Self.projection), '0'::xid8, 0) ON CONFLICT (projection) DO NOTHING
                    """)
                try connection.query("SELECT 1 FROM muster.projection_checkpoints WHERE projection = \(Self.projection) FOR UPDATE")
                var caughtUp = 0
                var cache = scannedCache
                while true {
                    let applied = try Self.batch(
                        connection, checkpointName: Self.rebuildCheckpoint, suffix: "_rebuild", limit: 5000, today: today, cache: &cache,
                        failBeforeCommit: false
                    ).applied
                    caughtUp += applied
                    if applied == 0 { break }
                }
                for table in Self.tables {
                    try connection.simpleQuery(
                        """
                        DROP TABLE muster.\(table);
                        ALTER TABLE muster.\(table)_rebuild RENAME TO \(table);
                        GRANT SELECT, INSERT, UPDATE, DELETE ON muster.\(table) TO muster_app;
                        GRANT SELECT ON muster.\(table) TO muster_reader;
                        """)
                }
                for index in indexes {
                    try connection.simpleQuery(
                        index.isConstraint
                            ? "ALTER TABLE muster.\(index.table) RENAME CONSTRAINT \(index.name)_rebuild TO \(index.name)"
                            : "ALTER INDEX muster.\(index.name)_rebuild RENAME TO \(index.name)")
                }
                // The quarantine as the rebuilt files have it (first-seen times kept).
                let unreadable = Self.quarantineRows(cache.files.lazy.map { ($0.key, $0.value) }) + cache.unreadablePolicies
                try connection.query(
                    "DELETE FROM muster.projection_quarantine WHERE NOT event_id::text = ANY(\(PostgresTextArray(unreadable.map(\.entry.rawValue))))")
                try Self.insertQuarantine(unreadable, suffix: "", on: connection)
                try connection.query(
                    """
                    UPDATE muster.projection_checkpoints AS live
                    SET xact_id = built.xact_id, global_position = built.global_position, policy_in_force = built.policy_in_force,
                        updated_at = now()
                    FROM muster.projection_checkpoints AS built
                    WHERE live.projection = \(Self.projection) AND built.projection = \(Self.rebuildCheckpoint)
                    """)
                try connection.query("DELETE FROM muster.projection_checkpoints WHERE projection = \(Self.rebuildCheckpoint)")
                return (caughtUp, cache)
            }
        }
        // The folded files are exactly what the swapped-in tables hold: keep them as this
        // runner's cache, so live batches that follow need not reload any stream.
        install(built)
        return scanned + caughtUp
    }

    /// The live table's indexes and key constraints, as statements that build them on the
    /// fresh table under `_rebuild` names.
    static func indexDefinitions(of table: String, on connection: PostgresConnection) throws -> [IndexDefinition] {
        let rows = try connection.query(
            """
            SELECT index.relname, pg_get_indexdef(pg_index.indexrelid), con.conname, pg_get_constraintdef(con.oid)
            FROM pg_index
            JOIN pg_class AS index ON index.oid = pg_index.indexrelid
            LEFT JOIN pg_constraint AS con ON con.conindid = pg_index.indexrelid AND con.conrelid = pg_index.indrelid
            WHERE pg_index.indrelid = \("muster." + table)::regclass
            ORDER BY index.relname
            """)
        return try (0..<rows.count).map { row in
            let name = try rows.decode(String.self, row: row, column: 0)
            if let constraint = try rows.decodeIfPresent(String.self, row: row, column: 2) {
                let definition = try rows.decode(String.self, row: row, column: 3)
                return IndexDefinition(
                    table: table, name: constraint, isConstraint: true,
                    create: "ALTER TABLE muster.\(table)_rebuild ADD CONSTRAINT \(constraint)_rebuild \(definition)")
            }
            let definition = try rows.decode(String.self, row: row, column: 1)
            let live = " \(name) ON muster.\(table) "
            guard definition.contains(live) else {
                throw PostgresError(
                    code: .unexpectedResult, message: "cannot re-create index \(name) for a rebuild: unexpected definition \(definition)")
            }
            return IndexDefinition(
                table: table, name: name, isConstraint: false,
                create: definition.replacingOccurrences(of: live, with: " \(name)_rebuild ON muster.\(table)_rebuild "))
        }
    }
}
