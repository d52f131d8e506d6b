import EventLog
import Postgres

extension ProjectionRunner {
    static let rebuildCheckpoint = "training:rebuild"

    /// Refills the read models from the whole log into fresh tables, then swaps them in with
    /// one short transaction, so readers keep answering from the old tables until the swap.
    ///
    /// - Returns: the number of events folded.
    @discardableResult
    public func rebuild(batch: Int = 5000, progress: (Int) -> Void = { _ in }) async throws -> Int {
        try await client.withConnection { connection in
            for table in Self.tables {
                try connection.simpleQuery(
                    """
                    DROP TABLE IF EXISTS muster.\(table)_rebuild;
                    CREATE TABLE muster.\(table)_rebuild (LIKE muster.\(table) INCLUDING ALL);
                    """)
            }
            try connection.query("DELETE FROM muster.projection_checkpoints WHERE projection = \(Self.rebuildCheckpoint)")
        }
        let builder = ProjectionRunner(client: client)
        var total = 0
        while true {
            let applied = try await builder.runBatch(checkpointName: Self.rebuildCheckpoint, suffix: "_rebuild", limit: batch)
            total += applied
            progress(total)
            if applied < batch { break }
        }
        // Fresh tables have no planner statistics: gather them before readers see the tables.
        try await client.withConnection { connection in
            for table in Self.tables { try connection.simpleQuery("ANALYZE muster.\(table)_rebuild") }
        }
        let builderCache = builder.cacheSnapshot()
        total += try await client.withConnection { connection in
            try connection.transaction { connection in
                // Hold the live checkpoint so no live batch runs during the swap; catch up first.
                try connection.query(
                    """
                    INSERT INTO muster.projection_checkpoints (projection, xact_id, global_position)
                    VALUES (\(Self.projection), '0'::xid8, 0) ON CONFLICT (projection) DO NOTHING
                    """)
                try connection.query("SELECT 1 FROM muster.projection_checkpoints WHERE projection = \(Self.projection) FOR UPDATE")
                var caughtUp = 0
                var cache = builderCache
                while true {
                    let (applied, updated) = try Self.batch(
                        connection, checkpointName: Self.rebuildCheckpoint, suffix: "_rebuild", limit: batch, cache: cache, failBeforeCommit: false)
                    cache = updated
                    caughtUp += applied
                    if applied == 0 { break }
                }
                for table in Self.tables {
                    try connection.simpleQuery(
                        """
                        ALTER TABLE muster.\(table) RENAME TO \(table)_old;
                        ALTER TABLE muster.\(table)_rebuild RENAME TO \(table);
                        DROP TABLE muster.\(table)_old;
                        GRANT SELECT, INSERT, UPDATE, DELETE ON muster.\(table) TO muster_app;
                        GRANT SELECT ON muster.\(table) TO muster_reader;
                        """)
                }
                try connection.query(
                    """
                    UPDATE muster.projection_checkpoints AS live
                    SET xact_id = built.xact_id, global_position = built.global_position, updated_at = now()
                    FROM muster.projection_checkpoints AS built
                    WHERE live.projection = \(Self.projection) AND built.projection = \(Self.rebuildCheckpoint)
                    """)
                try connection.query("DELETE FROM muster.projection_checkpoints WHERE projection = \(Self.rebuildCheckpoint)")
                return caughtUp
            }
        }
        resetCache()
        return total
    }
}
